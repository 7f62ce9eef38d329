// `landel compare`: earlier runs of the same areas in different measurement years -> the
// change of their elements between the years and each area's path to the milestones.

#include "landel/pipeline/compare.h"

#include "job/finish.h"
#include "job/frame.h"
#include "job/progress.h"
#include "job/stopwatch.h"
#include "landel/core/error.h"
#include "landel/parallel/for_each_index.h"
#include "landel/parallel/progress_counter.h"
#include "landel/pipeline/version.h"
#include "stages/comparison_outputs.h"
#include "stages/output_language.h"

#include <cmath>

namespace landel::pipeline {

namespace fs = std::filesystem;

namespace {

RunOutcome compare_job(const std::vector<fs::path>& runs,
                       const CompareOptions& compare,
                       const RunOptions& options,
                       RunLog& log)
{
    log.info(std::string("landel ") + version() + " compare of " + std::to_string(runs.size()) +
             " runs");
    if (runs.size() < 2)
        throw Error("compare needs at least two runs, got " + std::to_string(runs.size()));
    if (!(compare.tolerance_m >= 0.0 && std::isfinite(compare.tolerance_m)))
        throw Error("tolerance_m " + std::to_string(compare.tolerance_m) +
                    ": must be a number of metres of at least 0");
    if (compare.language != "en" && compare.language != "nl")
        throw Error("--language must be nl or en, not '" + compare.language + "'");
    if (!options.out)
        throw Error("no output folder: give --out");
    std::vector<fs::path> inputs;
    for (const fs::path& run : runs)
        for (const fs::path& file : detail::run_folder_inputs(run))
            inputs.push_back(file);
    StagedFolder folder(*options.out, options.out->string(), options.overwrite, inputs);

    detail::Stopwatch clock;
    // The runs are read side by side: each is a GeoPackage of its own, and reading one is
    // mostly decoding its geometry (a third of a compare's time when read one after another).
    std::vector<detail::RunFolder> read(runs.size());
    {
        const Progress slice = detail::progress_slice(options.progress, 0.0, 0.2);
        parallel::ProgressCounter reading(slice, 0.0, 1.0, runs.size(), "read runs");
        parallel::for_each_index(runs.size(), [&](std::size_t r) {
            read[r] = detail::read_run_folder(runs[r]);
            reading.step();
        });
    }
    for (const detail::RunFolder& run : read)
        log.info("run '" + run.folder.string() + "': year " + std::to_string(run.year) + ", " +
                 std::to_string(run.areas.size()) + " areas, made by landel " + run.landel_version);
    detail::ComparisonSettings settings;
    settings.tolerance_m = compare.tolerance_m;
    settings.baseline_year = compare.baseline_year;
    detail::Comparison c = detail::line_up_runs(std::move(read), settings, log);
    c.words = detail::output_language(compare.language);
    c.timings.emplace_back("read", clock.lap());
    detail::compare_runs(c, detail::progress_slice(options.progress, 0.2, 0.9));
    c.timings.emplace_back("change", clock.lap());
    log.info("compared " + std::to_string(c.pairs.size()) + " pairs of years");

    RunOutcome outcome;
    outcome.areas = c.area_count();
    for (const analysis::AreaMeasure& a : c.runs.back().areas) {
        outcome.rural_ha += a.rural_ha;
        outcome.element_ha += a.element_ha;
    }
    detail::write_comparison(folder.path(), c, inputs, true, log);
    detail::log_untranslated(*c.words, log);
    log.info("writing " + folder.final_path().string());
    return detail::finish_job(folder, log, options.progress, outcome);
}

} // namespace

RunOutcome compare(const std::vector<fs::path>& runs,
                   const CompareOptions& compare,
                   const RunOptions& options)
{
    // No config: the job's messages name --out as given.
    const Config none;
    return detail::run_as_job(
      none, options, [&](RunLog& log) { return compare_job(runs, compare, options, log); });
}

} // namespace landel::pipeline
