#pragma once
/// @file hydrology.h
/// Catchment delineation on a DEM: depression filling, D8 flow directions with drained flats,
/// flow accumulation, stream-link and outlet basins, and merging of small basins downstream.
///
/// Conventions shared by every function here:
/// - Rasters are north-up, row 0 is the northernmost row, cells are indexed row * cols + col.
/// - Raster::mask() marks valid cells (1) and nodata (0); an empty mask means all cells valid.
///   Valid DEM cells must hold finite elevations (InvalidArgument otherwise).
/// - Nodata cells are outlets: flow that reaches a hole ends there, exactly as flow that
///   leaves the grid. fill_nodata_holes() removes interior holes beforehand when that is not
///   wanted (e.g. a lake masked out of a lidar DEM).
///
/// Memory, in bytes per grid cell, measured on random 4000 x 4000 DEMs (a noisy tilted plane,
/// a smooth one, and pure white noise, the worst case for both the flood front and the flats):
/// - fill_depressions: 4 (output) + 1 (closed flags) + 8 per queued cell (float elevation and
///   32-bit index; 16 above 2^32 cells). The queue peaked at 0.01 entries per cell on the
///   tilted and the smooth DEM, 0.52 on white noise: at most ~4 B, 9 B in all (serial). In
///   tiles, 4 more (each cell's tile watershed label), the closed flags and queue per tile
///   being flooded only (not measured on the 4000 x 4000 DEMs).
/// - flow_directions: 1 (output) + 8 (flat labels and gradients, allocated only when the DEM
///   has flats) + 8 per flat edge cell and breadth-first ring: up to 13.4 B in all on white
///   noise, where 40% of the cells are raised into flats (serial flats, before they were
///   labelled in bands: the edge cells are now collected per band, then moved band by band
///   into lists per flat, and each band's piece of a flat has a 4 B union-find entry).
/// - flow_accumulation: 8 (output) + 1 (in-degree counters).
/// - delineate_basins: 4 (labels) + a stack as long as the longest flow path.
/// Keeping the DEM, the filled DEM, directions, accumulation and labels alive (21 B), the whole
/// chain peaked at 22-23 B per cell (maximum resident set 350-368 MB for 16 M cells): about
/// 9.2 GB for a 20,000 x 20,000 DEM.

#include "landel/core/progress.h"
#include "landel/core/raster.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace landel::analysis::hydrology {

/// D8 direction codes 0..7 point, in this order, to the neighbour to the east, south-east,
/// south, south-west, west, north-west, north and north-east: clockwise from east, so the
/// opposite of code d is (d + 4) % 8.
inline constexpr std::array<int, 8> direction_row_offset{ 0, 1, 1, 1, 0, -1, -1, -1 };
inline constexpr std::array<int, 8> direction_col_offset{ 1, 1, 0, -1, -1, -1, 0, 1 };
/// The cell's flow leaves the grid or ends in a nodata hole (or, on a DEM that was not filled,
/// in a pit it cannot leave).
inline constexpr std::uint8_t kOutlet = 8;
/// A nodata cell: it has no direction.
inline constexpr std::uint8_t kNoFlow = 255;

/// Fills every depression of @p dem up to its spill level, so that each valid cell has a path
/// of non-increasing elevation to the grid edge or to a nodata cell.
///
/// Method: the improved Priority-Flood of Barnes, Lehman & Mulla (2014), "Priority-flood: an
/// optimal depression-filling and watershed-labeling algorithm for digital elevation models",
/// Computers & Geosciences 62, 117-127, doi:10.1016/j.cageo.2013.04.024. The flood starts from
/// the seeds (valid cells on the grid edge and valid cells 8-adjacent to nodata) and grows
/// lowest cell first; cells it reaches below the current level are raised to it and taken from
/// a plain FIFO instead of the priority queue. Ties in the queue go to the lower cell index, so
/// the work order is deterministic (the filled surface is unique anyway). Serial: O(n log n).
/// Depressions are filled flat (no epsilon gradient): flow_directions() drains the flats.
///
/// In parallel: a grid larger than @p tile_side cells on a side is filled in tiles of
/// @p tile_side × @p tile_side cells, each flooded on its own from its border, with the
/// tile-parallel Priority-Flood of Barnes (2016), "Parallel priority-flood depression filling
/// for trillion cell digital elevation models", Computers & Geosciences 96, 167-178,
/// doi:10.1016/j.cageo.2016.07.001: the tiles' watersheds are joined at their spill levels and
/// each cell raised to its watershed's level. In a tile, cells on slopes skip the queue (Zhou,
/// Sun & Fu 2016, "An efficient variant of the Priority-Flood algorithm for filling depressions
/// in raster digital elevation models", Computers & Geosciences 90, 87-96,
/// doi:10.1016/j.cageo.2016.02.021) and the queue is a radix heap. The filled surface is
/// unique, so the result is the serial flood's cell for cell, for any tile size and thread
/// count (tested, and against the surface computed from its definition).
/// @p tile_side 0 floods the whole grid at once, serially. Memory: 4 B per cell more than the
/// serial flood (the tile watershed labels).
/// @pre valid cells hold finite values.
/// @post result >= dem in every valid cell, equal on seeds; nodata cells and the mask are
/// copied unchanged.
/// @throws InvalidArgument on a mask of the wrong size or a non-finite valid cell;
/// Cancelled when @p progress asks to stop.
Raster<float> fill_depressions(const Raster<float>& dem,
                               const Progress& progress = {},
                               std::size_t tile_side = 512);

/// Turns each nodata hole that does not touch the grid edge into valid cells at the lowest
/// elevation found on its rim, so that the hole stops acting as an outlet and its water flows
/// on (after fill_depressions(), over the hole's flat surface). Holes are 8-connected, like D8
/// flow: a hole touching the edge only diagonally still counts as touching it and is kept.
/// @return the number of cells filled (0 when the mask is empty).
std::size_t fill_nodata_holes(Raster<float>& dem);

/// D8 flow directions on a depression-filled DEM; every valid cell drains to an outlet.
///
/// A cell flows to the neighbour with the steepest distance-weighted descent (drop divided by
/// dx, dy or the diagonal sqrt(dx^2 + dy^2)); ties go to the first code in the order above. A
/// valid cell on the grid edge or next to nodata with no lower neighbour is an outlet
/// (kOutlet); with a lower neighbour it flows inward, as in ArcGIS' default edge handling, so
/// a valley along the edge of the DEM keeps its stream.
///
/// Cells without a lower neighbour that are not outlets form flats. They are drained with the
/// method of Barnes, Lehman & Mulla (2014), "An efficient assignment of drainage direction
/// over flat surfaces in raster digital elevation models", Computers & Geosciences 62,
/// 128-135, doi:10.1016/j.cageo.2013.01.009: two breadth-first gradients over each flat,
/// towards its lower edge (cells of the same elevation that already drain) and away from higher
/// terrain, are combined with the first weighing double, and each flat cell flows to the
/// neighbour of the flat with the lowest combined value. Flow thus always reaches the flat's
/// outlet, and tends to the middle of the flat instead of hugging its rim.
///
/// In parallel: flats are labelled in bands of @p flat_band_rows rows (0: about 65,536 cells
/// a band), their pieces joined across bands, and each flat's two gradients computed on its
/// own. Breadth-first distances do not depend on the order of their seeds, so the directions
/// are the same for any band height and thread count (tested).
///
/// On a DEM that was not filled, a flat or pit with no way out becomes a set of outlets
/// (every cell of it kOutlet), so the result still has no cycles.
/// @post values in 0..7 or kOutlet for valid cells, kNoFlow for nodata; the mask is copied;
/// following directions from any valid cell reaches a kOutlet cell (a D8 step never leads off
/// the grid or into nodata).
/// @throws InvalidArgument on a mask of the wrong size or a non-finite valid cell;
/// Cancelled when @p progress asks to stop.
Raster<std::uint8_t> flow_directions(const Raster<float>& filled,
                                     const Progress& progress = {},
                                     std::size_t flat_band_rows = 0);

/// The number of cells draining through each cell, the cell itself included (1 on a ridge);
/// 0 on nodata. Runs in parallel (TBB): sources start walks downstream, and a walk continues
/// into a cell only when it has delivered the last of that cell's inflows, which then sums its
/// upstream neighbours. The counts are exact integers, so the result is the same for any
/// thread count. A direction leading off the grid or into nodata ends there, like kOutlet.
/// @post on directions from flow_directions(), the sum over kOutlet cells equals the number
/// of valid cells; the mask is copied.
/// @throws InvalidArgument on an unknown direction code, a mask of the wrong size or a cycle;
/// Cancelled when @p progress asks to stop.
Raster<double> flow_accumulation(const Raster<std::uint8_t>& directions,
                                 const Progress& progress = {});

/// How delineate_basins() cuts the land into basins.
enum class BasinMode
{
    /// One basin per stream link: the stream cells from a source or a confluence down to the
    /// next confluence or outlet, with every cell that drains into them.
    Links,
    /// One basin per outlet cell (kOutlet), with every cell that drains to it.
    Outlets
};

/// A basin label raster and the basins' drainage topology.
struct Basins
{
    /// 1..n per valid cell, 0 on nodata; the mask of the directions is copied.
    Raster<std::int32_t> labels;
    /// Index = label (size n + 1, downstream[0] = 0): the label of the basin this basin drains
    /// into, 0 when it drains off the grid or into nodata.
    std::vector<std::int32_t> downstream;
    /// Cells with accumulation >= the stream threshold.
    std::size_t stream_cells = 0;
};

/// Basins from D8 directions and their accumulation; streams are the cells with
/// @p accumulation >= @p threshold_cells.
///
/// - Links: a stream cell with no or with two or more upstream stream neighbours starts a
///   link; a link runs downstream until the next such cell or its outlet. A cell off the
///   streams joins the basin of the first stream cell downstream of it; cells whose outlet is
///   not a stream cell (small edge outlets) get one basin per outlet, draining nowhere.
///   A link basin drains into the basin of the link below its confluence.
/// - Outlets: every outlet gets its own basin, however small, and all drain nowhere; the
///   threshold only counts stream_cells. Small edge basins therefore stay: merge_small_basins()
///   cannot merge them (they drain nowhere); a caller wanting fewer merges them by adjacency.
///
/// Labels are numbered in order of each basin's lowest cell index, so they depend only on the
/// inputs, not on the thread count. O(n), in parallel: seeds found in bands of rows, links
/// labelled per seed, every other cell labelled by walks downstream per band that stop at the
/// first labelled cell (walks that meet write the same labels).
/// @pre @p accumulation was computed from @p directions (it grows downstream).
/// @throws GridMismatch when the rasters differ in size; InvalidArgument on a NaN threshold, an
/// unknown direction code or a cycle.
Basins delineate_basins(const Raster<std::uint8_t>& directions,
                        const Raster<double>& accumulation,
                        double threshold_cells,
                        BasinMode mode);

/// Merges every basin smaller than @p min_cells into the basin it drains into, smallest first
/// (ties: lower label first); a merged basin takes the size of both and may then be merged in
/// turn, and basins that drained into the absorbed one drain into the union. A basin draining
/// nowhere stays, whatever its size. Labels are renumbered 1..m in order of each basin's lowest
/// cell index; downstream is rewritten to match. stream_cells is unchanged.
void merge_small_basins(Basins& basins, std::size_t min_cells);

/// Lowers the valid cells of @p dem where @p stream_mask is non-zero by @p depth, so that flow
/// follows mapped watercourses (rasterized by the caller on the DEM's grid) through
/// embankments and culverts the DEM does not show. Call before fill_depressions().
/// @throws InvalidArgument when the mask size differs from the grid's or @p depth is negative
/// or not finite.
void burn_streams(Raster<float>& dem, const std::vector<std::uint8_t>& stream_mask, float depth);

} // namespace landel::analysis::hydrology
