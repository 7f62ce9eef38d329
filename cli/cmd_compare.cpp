// `compare`: earlier runs of the same areas in different years -> change and trajectory.

#include "commands.h"
#include "job.h"

#include "landel/pipeline/compare.h"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace landel::cli {

namespace {

struct CompareArgs
{
    std::vector<std::string> runs;
    JobArgs job; ///< its config is not used
    double tolerance_m = 0.5;
    int baseline_year = 0;
    std::string language = "en";
};

/// Accepts numbers of at least 0 (CLI11's NonNegativeNumber names no unit).
const CLI::Validator& metres_from_0()
{
    static const CLI::Validator check(
      [](std::string& text) -> std::string {
          std::size_t used = 0;
          double value = -1.0;
          try {
              value = std::stod(text, &used);
          } catch (const std::exception&) {
              used = 0;
          }
          if (used != text.size() || !(value >= 0.0) || value > 1e9)
              return "'" + text + "' is not a number of metres of at least 0";
          return {};
      },
      "METRES>=0");
    return check;
}

} // namespace

Action add_compare_command(CLI::App& app)
{
    auto args = std::make_shared<CompareArgs>();
    CLI::App* cmd = app.add_subcommand(
      "compare",
      "Compare earlier runs of the same areas in different years: change per area and type, and "
      "the path to the milestones");
    cmd->add_option("runs", args->runs, "Output folders of earlier landel runs (two or more)")
      ->required();
    cmd->add_option("--out", args->job.out, "Output folder")->required();
    cmd
      ->add_option("--tolerance-m",
                   args->tolerance_m,
                   "Gains and losses thinner than this beside the other year's elements are "
                   "redigitising noise (default 0.5; 0: none)")
      ->check(metres_from_0());
    CLI::Option* baseline = cmd->add_option("--baseline-year",
                                            args->baseline_year,
                                            "The run the paths start from (default: the earliest)");
    cmd->add_option("--language", args->language, "Language of the outputs' labels: en or nl")
      ->check(CLI::IsMember({ "en", "nl" }));
    cmd->add_option("--threads", args->job.threads, "Worker threads (default: all cores)")
      ->check(whole_number_from_1());
    cmd->add_flag("--overwrite", args->job.overwrite, "Replace an existing output folder");
    cmd->add_option("--log", args->job.log, "Also write the log to this file (kept on failure)");
    add_verbosity_options(cmd, args->job.quiet, args->job.verbose);
    return [args, cmd, baseline]() -> int {
        if (!cmd->parsed())
            return -1;
        pipeline::CompareOptions compare;
        compare.tolerance_m = args->tolerance_m;
        compare.language = args->language;
        if (baseline->count())
            compare.baseline_year = args->baseline_year;
        const std::vector<std::filesystem::path> runs(args->runs.begin(), args->runs.end());
        const pipeline::RunOutcome outcome = run_job(args->job, [&](const pipeline::RunOptions& o) {
            return pipeline::compare(runs, compare, o);
        });
        if (!args->job.quiet)
            std::fprintf(stderr,
                         "landel: compared %zu runs of %zu areas -> %s\n",
                         runs.size(),
                         outcome.areas,
                         outcome.output.string().c_str());
        return 0;
    };
}

} // namespace landel::cli
