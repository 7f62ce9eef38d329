#include "commands.h"
#include "job.h"

#include "landel/pipeline/config.h"
#include "landel/pipeline/delineate.h"

#include <cstdio>
#include <memory>

namespace landel::cli {

Action add_delineate_command(CLI::App& app)
{
    auto args = std::make_shared<JobArgs>();
    CLI::App* cmd = app.add_subcommand(
      "delineate", "Make the areas of a config (overlay or catchments) and write only them");
    add_job_options(cmd, *args);
    return [args, cmd]() -> int {
        if (!cmd->parsed())
            return -1;
        const pipeline::Config config =
          pipeline::load_config(args->config, pipeline::ConfigUse::Delineate);
        const pipeline::RunOutcome outcome =
          run_job(*args, [&config](const pipeline::RunOptions& o) {
              return pipeline::delineate(config, o);
          });
        if (!args->quiet)
            std::fprintf(
              stderr, "landel: %zu areas -> %s\n", outcome.areas, outcome.output.string().c_str());
        return 0;
    };
}

} // namespace landel::cli
