#include "commands.h"
#include "stop_signals.h"

#include "landel/pipeline/config.h"
#include "landel/pipeline/run.h"

#include <memory>
#include <string>

namespace landel::cli {

namespace {

struct BidArgs
{
    std::string config;
    std::string from;
    std::string out;
    std::string log;
    bool overwrite = false;
    bool quiet = false;
};

} // namespace

Action add_bid_command(CLI::App& app)
{
    auto args = std::make_shared<BidArgs>();
    CLI::App* cmd = app.add_subcommand(
      "bid", "Recompute the area bid from a finished run's output, without measuring again");
    cmd->add_option("config", args->config, "The TOML file (the run's, with new [bid] or [targets])")->required();
    cmd->add_option("--from", args->from, "Output folder of the earlier landel run")->required();
    cmd->add_option("--out", args->out, "Output folder for the new bid")->required();
    cmd->add_flag("--overwrite", args->overwrite, "Replace an existing output folder");
    cmd->add_option("--log", args->log, "Also write the log to this file (kept on failure)");
    cmd->add_flag("-q,--quiet", args->quiet, "No summary line on stderr (warnings are still shown)");

    return [args, cmd]() -> int {
        if (!cmd->parsed())
            return -1;
        const pipeline::Config config = pipeline::load_config(args->config);
        pipeline::RunOptions options;
        options.out = args->out;
        options.overwrite = args->overwrite;
        options.log_file = args->log;
        options.on_warning = print_warning;
        options.progress = [](double, std::string_view) { return stop_signal() == 0; };
        const pipeline::RunOutcome outcome = pipeline::bid(config, args->from, options);
        if (!args->quiet)
            std::fprintf(stderr, "landel: bid for %zu areas -> %s\n", outcome.areas,
                         outcome.output.string().c_str());
        return 0;
    };
}

} // namespace landel::cli
