#pragma once
/// @file raster_vector.h
/// Conversions between rasters and vector geometry through GDAL: lines burnt into cells.
/// (Labelled cells become polygons in the engine: analysis::label_polygons.)

#include "landel/core/raster.h"

#include <cstdint>
#include <string>
#include <vector>

namespace landel::io {

/// 1 for the cells of @p grid that the geometries (WKB, lines or polygons, in the grid's
/// CRS) touch (GDAL's ALL_TOUCHED rule), else 0; row-major.
std::vector<std::uint8_t> rasterize_touched(const Grid& grid, const std::vector<std::string>& wkb);

} // namespace landel::io
