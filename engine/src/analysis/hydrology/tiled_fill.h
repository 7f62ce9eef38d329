#pragma once
// Internal: depression filling in tiles, in parallel (tiled_fill.cpp), for fill_depressions().

#include "landel/core/progress.h"
#include "landel/core/raster.h"

#include <cstddef>

namespace landel::analysis::hydrology::detail {

/// Fills @p out (a copy of the DEM, mask checked, valid cells finite, fewer than 2^32 cells) in
/// tiles of @p tile_side × @p tile_side cells, in parallel; the serial fill's result.
void fill_in_tiles(Raster<float>& out, std::size_t tile_side, const Progress& progress);

} // namespace landel::analysis::hydrology::detail
