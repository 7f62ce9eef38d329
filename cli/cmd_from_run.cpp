// `bid` and `render`: jobs that read a finished run (--from) instead of measuring.

#include "commands.h"
#include "job.h"
#include "stop_signals.h"

#include "landel/pipeline/bid.h"
#include "landel/pipeline/config.h"
#include "landel/pipeline/render.h"

#include <cstdio>
#include <functional>
#include <memory>
#include <string>

namespace landel::cli {

namespace {

struct FromRunArgs
{
    std::string config;
    std::string from;
    std::string out;
    std::string log;
    bool overwrite = false;
    bool quiet = false;
    bool verbose = false;
};

using Job = std::function<pipeline::RunOutcome(const pipeline::Config&,
                                               const std::filesystem::path&,
                                               const pipeline::RunOptions&)>;

Action add_from_run_command(CLI::App& app,
                            const char* name,
                            const char* description,
                            const char* config_help,
                            const char* what,
                            Job job)
{
    auto args = std::make_shared<FromRunArgs>();
    CLI::App* cmd = app.add_subcommand(name, description);
    cmd->add_option("config", args->config, config_help)->required();
    cmd->add_option("--from", args->from, "Output folder of the earlier landel run")->required();
    cmd->add_option("--out", args->out, std::string("Output folder for the ") + what)->required();
    cmd->add_flag("--overwrite", args->overwrite, "Replace an existing output folder");
    cmd->add_option("--log", args->log, "Also write the log to this file (kept on failure)");
    add_verbosity_options(cmd, args->quiet, args->verbose);
    return [args, cmd, what, job]() -> int {
        if (!cmd->parsed())
            return -1;
        const pipeline::Config config = pipeline::load_config(args->config);
        pipeline::RunOptions options;
        options.out = args->out;
        options.overwrite = args->overwrite;
        options.log_file = args->log;
        options.on_warning = print_warning;
        if (args->verbose)
            options.on_info = print_info;
        options.progress = [](double, std::string_view) { return stop_signal() == 0; };
        const pipeline::RunOutcome outcome = job(config, args->from, options);
        if (!args->quiet)
            std::fprintf(stderr,
                         "landel: %s for %zu areas -> %s\n",
                         what,
                         outcome.areas,
                         outcome.output.string().c_str());
        return 0;
    };
}

} // namespace

Action add_bid_command(CLI::App& app)
{
    return add_from_run_command(
      app,
      "bid",
      "Recompute the area bid from a finished run's output, without measuring again",
      "The TOML file (the run's, with new [bid] or [targets])",
      "bid",
      pipeline::bid);
}

Action add_render_command(CLI::App& app)
{
    return add_from_run_command(
      app,
      "render",
      "Draw the maps and report.html again from a finished run, without measuring",
      "The TOML file (the run's, with new [render], [bid] or [targets])",
      "maps and report",
      pipeline::render);
}

} // namespace landel::cli
