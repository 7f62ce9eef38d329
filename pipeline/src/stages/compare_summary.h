#pragma once
// Internal: summary.json of `landel compare`.

#include "stages/run_comparison.h"
#include "stages/trajectory_table.h"

#include <filesystem>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

/// What summary.json says besides the comparison itself.
struct CompareReport
{
    std::vector<std::filesystem::path> inputs; ///< the files read
    std::vector<std::string> input_sha256;     ///< their checksums, in the same order
    std::vector<std::string> outputs;
    std::vector<std::string> notes;
    std::vector<std::string> warnings;
};

/// summary.json: landel_version, command, inputs (path, sha256), runs (folder, year, as_of,
/// landel_version, incomplete_registry, areas and their totals), baseline_year, last_year,
/// tolerance_m, types, raster_types, milestones, totals per pair (sums over the areas; shares as
/// ratios of the sums), trajectory (areas per milestone and status), outputs, notes, warnings and
/// timings_s.
std::string compare_summary_json(const Comparison& c,
                                 const std::vector<AreaTrajectory>& paths,
                                 const CompareReport& report);

} // namespace landel::pipeline::detail
