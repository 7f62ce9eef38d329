#pragma once
// Internal stages of measure() for raster sources and the element density raster.

#include "measure_stages.h"

namespace landel::analysis::detail {

/// Corrects result.areas (vector figures, owned geometry per type) with the request's raster
/// masks and raster element sources, and fills the density raster from the same cells.
/// @p plan ([area][type]) lets it take out the lengths and points that fall in cells the
/// rasters remove from the rural land. Progress runs from @p progress_from to
/// @p progress_to. Throws InvalidArgument when a raster element source has no data over the
/// areas.
///
/// Method (the steps are numbered alike in raster_pass.cpp):
///  1. the analysis grid: the lattice of the finest raster, framed to cover the areas (and
///     request.raster_frame_extent: a piece of a run in pieces frames the whole run's) in
///     whole blocks of that raster;
///  2. per area its vector results as rings (area, rural land, owned geometry per type,
///     vector masks of groups that also have raster masks), per raster its class lookup, and
///     the density grid;
///  3. chunks of the frame, sized by the memory budget and the config alone;
///  4. every chunk measured on its own (raster_chunk.cpp): its cells read from every raster,
///     then per area the changes its cells make to the figures and the density sums (exact
///     counts: raster_pass_sums.h);
///  5. the chunks' results merged in chunk order;
///  6. the changes applied to the figures, and the lost cells cut out of the owned geometry;
///  7. the sums across areas applied (cells read, the density raster), or kept in
///     result.raster_sums with request.keep_raster_sums; warnings on areas short of data and
///     on sources that miss the areas.
void apply_raster_sources(Contexts& contexts,
                          const MeasureRequest& request,
                          const PreparedAreas& prepared,
                          const RuralLand& rural,
                          MeasureResult& result,
                          double progress_from,
                          double progress_to,
                          const std::vector<std::vector<PlanGeometry>>& plan);

/// The grid of the density raster of a run without raster sources: cells of
/// density_cell_m aligned to multiples of that size, over the areas' extent; empty when
/// density_cell_m is 0. Throws InvalidArgument beyond max_density_cells, so a run whose
/// areas are in the wrong unit stops before measuring rather than after.
Grid density_grid(const std::vector<Box>& area_env, double density_cell_m);

/// The density raster on @p grid (from density_grid): the owned vector element area per cell
/// (result.areas[i].owned_wkb) over the area geometries @p area_geom with envelopes @p area_env.
Raster<float> vector_density(Contexts& contexts,
                             const Grid& grid,
                             const std::vector<const GEOSGeometry*>& area_geom,
                             const std::vector<Box>& area_env,
                             const MeasureResult& result);

} // namespace landel::analysis::detail
