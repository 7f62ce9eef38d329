#include "commands.h"
#include "terminal_progress.h"

#include "landel/pipeline/config.h"
#include "landel/pipeline/run.h"

#include <tbb/global_control.h>
#include <tbb/info.h>

#include <memory>
#include <string>

namespace landel::cli {

namespace {

struct DelineateArgs
{
    std::string config;
    std::string out;
    std::string log;
    int threads = 0;
    bool overwrite = false;
    bool quiet = false;
};

} // namespace

Action add_delineate_command(CLI::App& app)
{
    auto args = std::make_shared<DelineateArgs>();
    CLI::App* cmd = app.add_subcommand(
      "delineate", "Make the areas of a config (overlay or catchments) and write only them");
    cmd->add_option("config", args->config, "The run's TOML file")->required();
    cmd->add_option("--out", args->out, "Output folder (default: run.output of the config)");
    cmd->add_option("--threads", args->threads, "Worker threads (default: all cores)")
      ->check(CLI::PositiveNumber);
    cmd->add_flag("--overwrite", args->overwrite, "Replace an existing output folder");
    cmd->add_option("--log", args->log, "Also write the log to this file (kept on failure)");
    cmd->add_flag("-q,--quiet", args->quiet, "No progress on stderr (warnings are still shown)");

    return [args, cmd]() -> int {
        if (!cmd->parsed())
            return -1;
        const int threads = args->threads > 0 ? args->threads : tbb::info::default_concurrency();
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(threads));
        const pipeline::Config config = pipeline::load_config(args->config, pipeline::ConfigUse::Delineate);
        pipeline::RunOptions options;
        if (!args->out.empty())
            options.out = args->out;
        options.overwrite = args->overwrite;
        options.log_file = args->log;
        options.threads = threads;
        options.on_warning = print_warning;
        TerminalProgress progress;
        if (!args->quiet) {
            progress.start();
            options.progress = [&progress](double f, std::string_view stage) {
                return progress(f, stage);
            };
        }
        try {
            const pipeline::RunOutcome outcome = pipeline::delineate(config, options);
            progress.finish();
            if (!args->quiet)
                std::fprintf(stderr, "landel: %zu areas -> %s\n", outcome.areas,
                             outcome.output.string().c_str());
        } catch (...) {
            progress.finish();
            throw;
        }
        return 0;
    };
}

} // namespace landel::cli
