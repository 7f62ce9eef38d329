#include "commands.h"
#include "job.h"

#include "landel/pipeline/config.h"
#include "landel/pipeline/run.h"

#include <cstdio>
#include <memory>

namespace landel::cli {

Action add_run_command(CLI::App& app)
{
    auto args = std::make_shared<JobArgs>();
    CLI::App* cmd =
      app.add_subcommand("run", "Measure every area of a config and write all outputs");
    add_job_options(cmd, *args);
    return [args, cmd]() -> int {
        if (!cmd->parsed())
            return -1;
        const pipeline::Config config = pipeline::load_config(args->config);
        const pipeline::RunOutcome outcome = run_job(
          *args, [&config](const pipeline::RunOptions& o) { return pipeline::run(config, o); });
        if (!args->quiet)
            std::fprintf(stderr,
                         "landel: %zu areas, %.6f ha of elements on %.6f ha of rural land -> %s\n",
                         outcome.areas,
                         outcome.element_ha,
                         outcome.rural_ha,
                         outcome.output.string().c_str());
        return 0;
    };
}

} // namespace landel::cli
