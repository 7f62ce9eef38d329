#pragma once
/// @file tiled.h
/// The catchment chain of hydrology.h on grids larger than memory: every raster is a
/// TiledRaster (tiles in a TileStorage, e.g. a scratch file), and each stage reads and writes
/// one tile at a time per thread, plus what the tiles share at their borders (their
/// perimeters and small graphs over them). Each function gives, cell for cell, the result of
/// its in-memory counterpart on the same grid, for any tile side and thread count (tested).
///
/// Conventions: a float raster's nodata cells hold NaN (there is no mask); a direction
/// raster's nodata cells hold kNoFlow; cells off the grid read as those same values.

#include "landel/analysis/hydrology/hydrology.h"
#include "landel/core/progress.h"
#include "landel/core/tiled_raster.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace landel::analysis::hydrology::tiled {

/// fill_nodata_holes() on tiles: each nodata hole (8-connected NaN cells) that does not touch
/// the grid's edge gets the lowest elevation on its rim; holes across tile borders are joined
/// over the tiles' border cells. Returns the number of cells filled.
std::size_t fill_nodata_holes(TiledRaster<float>& dem);

/// fill_depressions() out of memory: the tile-parallel Priority-Flood of Barnes (2016),
/// "Parallel priority-flood depression filling for trillion cell digital elevation models",
/// Computers & Geosciences 96, 167-178, doi:10.1016/j.cageo.2016.07.001. Each tile is flooded
/// on its own from its seeds and its border (its local filled surface and watershed labels go
/// to storage), the tiles' watersheds are joined at their spill levels in a graph over the
/// labels only, and a second pass raises each cell to its watershed's level.
/// In memory besides the tiles being worked on: one label per tile border cell and per seed.
/// @throws InvalidArgument on an infinite elevation; Cancelled when @p progress asks to stop.
TiledRaster<float> fill_depressions(const TiledRaster<float>& dem,
                                    const TileStorageFactory& storage,
                                    const Progress& progress = {});

/// flow_directions() out of memory, on cells of @p dx × @p dy. Steepest descent is local (a
/// tile and its ring); a flat inside one tile is drained with that tile; a flat that crosses
/// tile borders is found by joining the tiles' flats along their borders and drained on its
/// own window (its bounding box and a ring), read from the tiles it crosses.
/// @throws Error when such a window has more than @p max_window_cells cells (the message
/// gives its size); Cancelled when @p progress asks to stop.
TiledRaster<std::uint8_t> flow_directions(const TiledRaster<float>& filled,
                                          double dx,
                                          double dy,
                                          const TileStorageFactory& storage,
                                          std::size_t max_window_cells,
                                          const Progress& progress = {});

/// The stream cells of flow_accumulation() (1 where the accumulation is at least
/// @p threshold_cells, 0 elsewhere and on nodata), out of memory: the tile-parallel flow
/// accumulation of Barnes (2017), "Parallel non-divergent flow accumulation for trillion
/// cell digital elevation models", Environmental Modelling & Software 92, 202-212,
/// doi:10.1016/j.envsoft.2017.02.022. Each tile accumulates its own cells and records where
/// flow leaves it and where flow entering it leaves again; a graph over those border cells
/// gives each tile its inflows, and a second pass accumulates the tile with them.
/// Also returns the number of stream cells in @p stream_cells.
/// @throws InvalidArgument on an unknown direction code or a cycle.
TiledRaster<std::uint8_t> stream_cells(const TiledRaster<std::uint8_t>& directions,
                                       double threshold_cells,
                                       const TileStorageFactory& storage,
                                       std::size_t& stream_count,
                                       const Progress& progress = {});

/// Basins labelled on tiles.
struct TiledBasins
{
    /// 1..n per valid cell, 0 on nodata, numbered as delineate_basins() numbers them.
    TiledRaster<std::int32_t> labels;
    /// As Basins::downstream.
    std::vector<std::int32_t> downstream;
    std::size_t stream_cells = 0;
};

/// delineate_basins() out of memory, from directions and stream cells. A cell's basin is
/// found by following the cell it takes its label from (downstream, or up a stream link to
/// the link's head) inside its tile; chains that leave a tile are resolved over the tiles'
/// border cells, then every tile is labelled in a second pass.
TiledBasins delineate_basins(const TiledRaster<std::uint8_t>& directions,
                             const TiledRaster<std::uint8_t>& streams,
                             std::size_t stream_count,
                             BasinMode mode,
                             const TileStorageFactory& storage,
                             const Progress& progress = {});

/// merge_small_basins() on tiled labels: the merging is decided on the basins' graph (their
/// sizes and downstream basins), and the labels rewritten tile by tile.
void merge_small_basins(TiledBasins& basins, std::size_t min_cells);

} // namespace landel::analysis::hydrology::tiled
