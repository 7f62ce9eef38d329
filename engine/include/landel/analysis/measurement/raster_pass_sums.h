#pragma once
/// @file raster_pass_sums.h
/// The sums of the raster pass that run across areas: the element density raster's per-cell
/// sums and the cells each raster read. A run in pieces (pipeline/pieces.h) measures each
/// piece's areas on the whole run's analysis grid and chunks (MeasureRequest::
/// raster_frame_extent), keeps these sums (MeasureRequest::keep_raster_sums), and the merge
/// adds them: its density raster and cell counts are then those of one whole run, bit for bit.
///
/// Exact by construction rather than by summation order: a density cell's sums are counts of
/// a fixed unit (2^-32 of an analysis cell), so adding them in any order, over any split of
/// the areas, gives the same integers. Cell counts are kept per chunk of the frame, and a
/// chunk measured by two pieces is counted once.

#include "landel/core/grid.h"
#include "landel/core/raster.h"

#include <cstdint>
#include <string>
#include <vector>

namespace landel::analysis {

struct MeasureResult;

/// Per density cell, over a window of the density grid: the element area in counts of
/// unit_m2, and how many analysis cells an area covers part of (a cell of an area counted
/// once per area; a density cell with none is outside the areas).
struct DensitySums
{
    Grid grid;            ///< the whole run's density grid
    double unit_m2 = 0.0; ///< m² per count: the analysis cell's area / 2^32
    std::size_t row0 = 0, col0 = 0, rows = 0, cols = 0; ///< the window of grid held
    std::vector<std::int64_t> element, covered;         ///< per window cell, row by row

    bool empty() const { return rows == 0 || cols == 0; }
    /// Adds @p other's sums (same grid and unit), growing the window to hold both.
    void add(const DensitySums& other);
    /// The density raster: element / cell area (at most 1) where a cell meets an area,
    /// invalid elsewhere; on the whole grid.
    Raster<float> raster() const;
};

/// The cells each raster layer read in one chunk of the analysis grid and found valid.
struct ChunkCells
{
    std::uint64_t chunk = 0;          ///< the chunk's position among the frame's chunks
    std::vector<std::uint64_t> read;  ///< per raster: masks, then element sources
    std::vector<std::uint64_t> valid; ///< likewise
};

struct RasterPassSums
{
    DensitySums density;              ///< empty without a density raster
    std::vector<ChunkCells> chunks;   ///< in chunk order, each chunk once
    std::size_t coverage_passes = 0;  ///< areas' coverage computed, once per area and chunk
    std::vector<Box> element_extents; ///< per raster element source, for the warnings

    /// Adds a piece's sums: density counts add up, a chunk already held is not counted
    /// again, coverage passes add up (each area belongs to one piece).
    void add(const RasterPassSums& other);
};

/// Sets what the sums decide in @p result, over all its areas: the raster reports' cells read
/// and valid, the note on coverage passes, the density raster (when the sums hold one), and
/// the warnings on areas short of raster data, on areas a raster element source does not
/// cover and on such sources giving no element land. The raster pass of a whole run ends
/// with this too. Throws InvalidArgument naming a raster element source with only nodata
/// cells over the areas.
void apply_raster_sums(const RasterPassSums& sums, MeasureResult& result);

} // namespace landel::analysis
