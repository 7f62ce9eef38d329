#pragma once
/// @file label_polygons.h
/// The cells of each label of a raster as polygons along the cell edges (raster to vector),
/// in parallel, as valid OGC geometry.

#include "landel/analysis/delineation/catchment_areas.h"
#include "landel/core/raster.h"

#include <cstdint>
#include <vector>

namespace landel::analysis {

/// Per label > 0 of @p labels (a cell outside the mask counts as no label), the land of its
/// cells as one WKB geometry: a Polygon, or a MultiPolygon when its cells fall apart.
///
/// - One polygon per group of cells joined by their sides; groups that meet only at a cell
///   corner are separate polygons touching there, a hole may touch its shell at a corner, as
///   valid OGC geometry must be (GDAL's Polygonize instead keeps corner-joined cells in one
///   polygon whose ring touches itself, which is not valid).
/// - Vertices where the boundary turns and where the label on its other side changes, at the
///   cell corners Grid::x_left / Grid::y_top give (the same numbers as GDAL's geotransform):
///   two labels share their border vertex for vertex, so the polygons of all labels form an
///   exact coverage.
/// - Shells counter-clockwise, holes clockwise; in label order; the same bytes for any thread
///   count.
std::vector<BasinPolygon> label_polygons(const Raster<std::int32_t>& labels);

} // namespace landel::analysis
