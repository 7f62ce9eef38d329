#pragma once
// Internal stages of measure() for raster sources and the element density raster.

#include "measure_stages.h"

namespace landel::analysis::detail {

/// Corrects result.areas (vector figures, owned geometry per type) with the request's raster
/// masks and raster element sources, and fills the density raster from the same cells.
/// Progress runs from @p progress_from to @p progress_to. Throws InvalidArgument when a raster
/// element source has no data over the areas.
void apply_raster_sources(Contexts& contexts, const MeasureRequest& request,
                          const PreparedAreas& prepared, const RuralLand& rural,
                          MeasureResult& result, double progress_from, double progress_to);

/// The density raster of a run without raster sources: owned vector element area per cell of
/// request.density_cell_m, cells aligned to multiples of that size.
Raster<float> vector_density(Contexts& contexts, const MeasureRequest& request,
                             const PreparedAreas& prepared, const MeasureResult& result);

} // namespace landel::analysis::detail
