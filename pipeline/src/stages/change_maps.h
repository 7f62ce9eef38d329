#pragma once
// Internal: the change maps of a comparison of runs (maps/change_overview.png and .pdf,
// change_atlas.pdf and a PNG per area), drawn by the renderer of a run's maps.

#include "landel/render/report.h"
#include "stages/run_comparison.h"

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

/// The areas of a run drawn as maps when the caller sets no other limit (render.max_area_maps).
inline constexpr std::size_t default_change_area_maps = 20;

/// The bounds (percentage points of rural land) of the overview's classes of the net change
/// of the element share: within ±0.1 about unchanged, ±0.5 small, ±2 clear, beyond large.
inline constexpr double change_class_bounds_pp[] = { -2.0, -0.5, -0.1, 0.1, 0.5, 2.0 };

/// Draws the change baseline → last of @p c (compare_runs done, its change geometry not yet
/// moved out) into @p dir/maps: the overview of the areas coloured by the net change of their
/// element share (change_overview.png and .pdf), and for the first @p max_area_maps areas in
/// the common order a map of the land gained, lost, reclassified and realigned over the last
/// year's elements (change_<area id>.png), the overview and those pages also in
/// change_atlas.pdf. Returns the files written, relative to @p dir.
std::vector<std::string> write_change_maps(const std::filesystem::path& dir,
                                           const Comparison& c,
                                           std::size_t max_area_maps = default_change_area_maps);

/// The overview and the first @p max_area_maps area maps of @p c (its change geometry not yet
/// moved out) as PNG bytes at screen resolution into @p report, for report.html.
void embed_change_maps(render::Report& report,
                       const Comparison& c,
                       std::size_t max_area_maps = default_change_area_maps);

} // namespace landel::pipeline::detail
