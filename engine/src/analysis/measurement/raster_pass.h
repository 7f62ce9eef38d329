#pragma once
// Internal stages of measure() for raster sources and the element density raster.

#include "measure_stages.h"

#include <array>

namespace landel::analysis::detail {

/// The plan-quantity geometry of one type in one area's vector rural land, kept for the
/// raster pass: centre-lines as x, y, x, y... and point features as their points.
struct PlanGeometry
{
    std::vector<std::vector<double>> lines;
    std::vector<std::vector<std::array<double, 2>>> point_features;

    /// Appends the line parts / point parts of @p g.
    void add_lines(const geometry::GeosContext& ctx, const GEOSGeometry* g);
    void add_point_feature(const geometry::GeosContext& ctx, const GEOSGeometry* g);
};

/// Corrects result.areas (vector figures, owned geometry per type) with the request's raster
/// masks and raster element sources, and fills the density raster from the same cells.
/// @p plan ([area][type]) lets it take out the lengths and points that fall in cells the
/// rasters remove from the rural land. Progress runs from @p progress_from to @p progress_to. Throws InvalidArgument when a raster
/// element source has no data over the areas.
void apply_raster_sources(Contexts& contexts, const MeasureRequest& request,
                          const PreparedAreas& prepared, const RuralLand& rural,
                          MeasureResult& result, double progress_from, double progress_to,
                          const std::vector<std::vector<PlanGeometry>>& plan);

/// The grid of the density raster of a run without raster sources: cells of
/// density_cell_m aligned to multiples of that size, over the areas' extent; empty when
/// density_cell_m is 0. Throws InvalidArgument beyond max_density_cells, so a run whose
/// areas are in the wrong unit stops before measuring rather than after.
Grid density_grid(const std::vector<Box>& area_env, double density_cell_m);

/// The density raster on @p grid (from density_grid): the owned vector element area per cell
/// (result.areas[i].owned_wkb) over the area geometries @p area_geom with envelopes @p area_env.
Raster<float> vector_density(Contexts& contexts, const Grid& grid,
                             const std::vector<const GEOSGeometry*>& area_geom,
                             const std::vector<Box>& area_env, const MeasureResult& result);

} // namespace landel::analysis::detail
