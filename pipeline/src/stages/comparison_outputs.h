#pragma once
// Internal: a comparison of runs from start to finish — the runs lined up, compared, and
// every output written — shared by `landel compare` and by `landel run` with [monitoring].

#include "landel/pipeline/run_log.h"
#include "stages/change_maps.h"
#include "stages/run_comparison.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

/// How runs are compared: the noise tolerance and the baseline the user asked for.
struct ComparisonSettings
{
    double tolerance_m = 0.5;
    /// Given by the user (--baseline-year): it must be a run's year, before the last.
    std::optional<int> baseline_year;
    /// The words naming the setting in an error: "--baseline-year" or "targets.baseline_year".
    std::string baseline_key = "--baseline-year";
};

/// @p runs (read back, any order) ordered by year, checked for comparability and matched,
/// with their baseline: the settings' baseline year, else the last run's recorded
/// targets.baseline_year when a run earlier than the last has that year (otherwise a warning
/// and the earliest), else the earliest. Runs of an incomplete BGT registry are warned about.
Comparison line_up_runs(std::vector<RunFolder> runs,
                        const ComparisonSettings& settings,
                        RunLog& log);

/// Writes the outputs of the compared @p c (compare_runs done) into @p dir: change.csv,
/// trajectory.csv, the change maps (maps/, with a PNG for the first @p max_area_maps areas),
/// report.html, change.xlsx, change.gpkg and summary.json; @p inputs are the files read
/// (checksummed in summary.json). Returns the files written, relative to @p dir; with
/// @p own_log also landel.log, the job's log that finish_job saves there. Moves the change
/// geometry out of @p c.
std::vector<std::string> write_comparison(const std::filesystem::path& dir,
                                          Comparison& c,
                                          const std::vector<std::filesystem::path>& inputs,
                                          bool own_log,
                                          RunLog& log,
                                          std::size_t max_area_maps = default_change_area_maps);

} // namespace landel::pipeline::detail
