#pragma once
/// @file label_polygons.h
/// The cells of each label of a raster as polygons along the cell edges (raster to vector),
/// in parallel, as valid OGC geometry.

#include "landel/analysis/delineation/catchment_areas.h"
#include "landel/core/raster.h"
#include "landel/core/tiled_raster.h"

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

/// label_polygons() of the cells @p tile of a label raster on @p grid kept in tiles
/// (hydrology/tiled.h): @p with_ring holds the tile's labels with the ring of cells around it
/// ((rows + 2) × (cols + 2) values, as TiledRaster::read_with_ring gives them; 0 off the grid).
/// Only the tile's cells are traced; the ring adds a vertex wherever the label across the
/// tile's edge changes, so the pieces of neighbouring tiles share their vertices along the
/// tile border (the coordinates are @p grid's), and the pieces of one label form an exact
/// coverage of its land.
/// @throws InvalidArgument when @p with_ring does not have the size of the tile and its ring.
std::vector<BasinPolygon> label_polygons(const Grid& grid,
                                         const CellBox& tile,
                                         const std::vector<std::int32_t>& with_ring);

/// label_polygons() of a label raster on @p grid kept in tiles: each tile's pieces, those of
/// one label united (geometry::coverage_union), as one Polygon or MultiPolygon per label.
std::vector<BasinPolygon> label_polygons(const Grid& grid, const TiledRaster<std::int32_t>& labels);

} // namespace landel::analysis
