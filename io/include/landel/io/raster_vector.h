#pragma once
/// @file raster_vector.h
/// Conversions between rasters and vector geometry, through GDAL: polygons of labelled cells
/// along cell edges, and lines burnt into cells.

#include "landel/core/raster.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace landel::io {

/// The cells of each label > 0 as polygons that follow the cell edges exactly (GDAL
/// Polygonize, 8-connected so a basin joined at a cell corner stays one polygon); cells with
/// label <= 0 or invalid are left out. Returns (label, WKB polygon) pairs, several per label
/// when its cells fall apart, in GDAL's order (callers sort).
std::vector<std::pair<std::int32_t, std::string>> polygonize_labels(
  const Raster<std::int32_t>& labels);

/// 1 for the cells of @p grid that the geometries (WKB, lines or polygons, in the grid's
/// CRS) touch (GDAL's ALL_TOUCHED rule), else 0; row-major.
std::vector<std::uint8_t> rasterize_touched(const Grid& grid, const std::vector<std::string>& wkb);

} // namespace landel::io
