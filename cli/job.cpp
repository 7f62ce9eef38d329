#include "job.h"

#include "commands.h"
#include "stop_signals.h"
#include "terminal_progress.h"

#include <cstdio>

#include <tbb/global_control.h>
#include <tbb/info.h>

namespace landel::cli {

void add_job_options(CLI::App* cmd, JobArgs& args)
{
    cmd->add_option("config", args.config, "The run's TOML file")->required();
    cmd->add_option("--out", args.out, "Output folder (default: run.output of the config)");
    cmd->add_option("--threads", args.threads, "Worker threads (default: all cores)")
      ->check(whole_number_from_1());
    cmd->add_flag("--overwrite", args.overwrite, "Replace an existing output folder");
    cmd->add_option("--log", args.log, "Also write the log to this file (kept on failure)");
    add_verbosity_options(cmd, args.quiet, args.verbose);
}

void add_verbosity_options(CLI::App* cmd, bool& quiet, bool& verbose)
{
    CLI::Option* q =
      cmd->add_flag("-q,--quiet", quiet, "No progress on stderr (warnings are still shown)");
    cmd
      ->add_flag(
        "-v,--verbose", verbose, "Every line of the log on stderr instead of the progress bar")
      ->excludes(q);
}

const CLI::Validator& whole_number_from_1()
{
    static const CLI::Validator check(
      [](std::string& text) -> std::string {
          std::size_t used = 0;
          long value = 0;
          try {
              value = std::stol(text, &used);
          } catch (const std::exception&) {
              used = 0;
          }
          if (used != text.size() || value < 1)
              return "'" + text + "' is not a whole number of at least 1";
          return {};
      },
      "INT>=1");
    return check;
}

void print_info(const std::string& message)
{
    std::fprintf(stderr, "landel: %s\n", message.c_str());
}

pipeline::RunOutcome run_job(
  const JobArgs& args,
  const std::function<pipeline::RunOutcome(const pipeline::RunOptions&)>& job)
{
    const int threads = args.threads > 0 ? args.threads : tbb::info::default_concurrency();
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(threads));
    pipeline::RunOptions options;
    if (!args.out.empty())
        options.out = args.out;
    options.overwrite = args.overwrite;
    options.log_file = args.log;
    options.threads = threads;
    TerminalProgress progress;
    // A message in the middle of the progress line starts a line of its own.
    options.on_warning = [&progress](const std::string& message) {
        progress.break_line();
        print_warning(message);
    };
    if (args.verbose)
        options.on_info = print_info;
    const bool quiet = args.quiet || args.verbose;
    if (!quiet)
        progress.start();
    // Even when quiet, progress checks are where a stop signal cancels the job.
    options.progress = [&progress, quiet](double f, std::string_view stage) {
        if (stop_signal() != 0)
            return false;
        return quiet ? true : progress(f, stage);
    };
    try {
        const pipeline::RunOutcome outcome = job(options);
        progress.finish();
        return outcome;
    } catch (...) {
        progress.finish();
        throw;
    }
}

} // namespace landel::cli
