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
    auto no_maps = std::make_shared<bool>(false);
    CLI::App* cmd =
      app.add_subcommand("run", "Measure every area of a config and write all outputs");
    add_job_options(cmd, *args);
    cmd->add_flag("--no-maps", *no_maps, "Draw no maps (as [render] maps = false)");
    return [args, cmd, no_maps]() -> int {
        if (!cmd->parsed())
            return -1;
        pipeline::Config config = pipeline::load_config(args->config);
        if (*no_maps)
            config.maps = false;
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
