#pragma once
// Internal: change.xlsx of `landel compare` — the comparison's tables as sheets, for a
// comparison's own workbook and for `landel run` with [monitoring] to add to area_bid.xlsx.

#include "landel/io/xlsx_writer.h"
#include "stages/run_comparison.h"
#include "stages/trajectory_table.h"

#include <filesystem>
#include <vector>

namespace landel::pipeline::detail {

/// The sheets: "change by area" (area_overview_table with a totals row: sums of the hectares,
/// shares as ratios of the sums), "change" (change.csv), "trajectory" (trajectory.csv, status
/// coloured) and "runs" (runs_table). The last three have no totals row: their rows mix pairs
/// of years, milestones or years, whose sums would count land more than once.
std::vector<io::Sheet> change_sheets(const Comparison& c, const std::vector<AreaTrajectory>& paths);

/// Writes change_sheets() to @p path.
void write_change_workbook(const std::filesystem::path& path,
                           const Comparison& c,
                           const std::vector<AreaTrajectory>& paths);

} // namespace landel::pipeline::detail
