#pragma once
// Internal: report.html of `landel compare` — the page a reader opens first: summary figures,
// cautions about the registry, a chart per area (and for all areas together) of the share per
// year against the paths to the milestones, the table of areas and the list of runs.

#include "landel/render/report.h"
#include "stages/run_comparison.h"
#include "stages/trajectory_table.h"

#include <filesystem>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

/// At most this many areas get a chart of their own (all areas together always get one), so
/// that the page stays small enough to open; trajectory.csv has every area.
inline constexpr std::size_t max_report_area_charts = 500;

/// The page of @p c (compare_runs done; the change geometry is not needed) with the paths of
/// @p paths and the comparison's @p notes. It has no interactive map and no map pictures:
/// a caller with change maps sets overview_png and area_pngs before writing it.
render::Report change_report(const Comparison& c,
                             const std::vector<AreaTrajectory>& paths,
                             const std::vector<std::string>& notes);

/// Writes @p report to @p path. @throws Error naming the path when it cannot.
void write_report_html(const std::filesystem::path& path, const render::Report& report);

} // namespace landel::pipeline::detail
