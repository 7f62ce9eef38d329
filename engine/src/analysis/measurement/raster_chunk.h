#pragma once
// Internal to the raster pass (raster_pass.cpp): what the pass fixes before its chunks run,
// and the measurement of one chunk of the analysis grid (raster_chunk.cpp).

#include "raster_pass.h"
#include "raster_sampling.h"

#include "landel/analysis/measurement/cell_coverage.h"
#include "landel/core/grid.h"
#include "landel/core/raster.h"

#include <tbb/enumerable_thread_specific.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace landel::analysis::detail {

/// A polygonal geometry ready for coverage fractions without GEOS.
struct RingSet
{
    std::vector<CoverageRing> rings;
    Box env;
};

RingSet ring_set(const geometry::GeosContext& ctx, const GEOSGeometry* g);

/// What the pass needs of one area's vector results.
struct AreaShapes
{
    RingSet area;
    RingSet rural; ///< empty rings with rural_is_area
    bool rural_is_area = false;
    std::vector<RingSet> owned; ///< per type (vector types only)
    std::vector<RingSet> group; ///< per mask group: area ∩ its vector masks (when needed)
};

/// Changes to one area's figures, in m².
struct AreaDelta
{
    std::size_t area = 0;
    double rural = 0.0, masked = 0.0, nodata = 0.0;
    std::vector<double> excl;     ///< per group
    std::vector<double> type;     ///< per type
    std::vector<char> raster_hit; ///< per raster element source: it gave this area element area
    /// Per type: analysis cells (row, first col, last col) where the type lost owned area.
    std::vector<std::vector<std::array<std::size_t, 3>>> lost_runs;
    std::vector<double> length_lost; ///< per type: centre-line metres in removed cells
    /// Per type: point feature -> its points in removed cells.
    std::vector<std::map<std::size_t, std::size_t>> points_lost;

    /// No change yet, sized for @p groups mask groups, @p types types and @p sources raster
    /// element sources.
    AreaDelta(std::size_t area, std::size_t groups, std::size_t types, std::size_t sources);
    AreaDelta() = default;

    /// Type @p t loses @p m2 of owned area in analysis cell (@p row, @p col).
    void lose(std::size_t t, std::size_t row, std::size_t col, double m2);
    /// Adds the changes of @p d (another chunk's, of the same area).
    void add(const AreaDelta& d);
};

/// Cells of one raster read and found valid.
struct SourceCells
{
    std::uint64_t read = 0, valid = 0;
};

/// What one chunk found.
struct ChunkResult
{
    std::vector<AreaDelta> areas;
    std::vector<SourceCells> masks, elements;
    // Per density cell this chunk touches: element area in counts of the density unit, and
    // the analysis cells an area covers part of (raster_pass_sums.h).
    std::size_t d_row0 = 0, d_col0 = 0, d_rows = 0, d_cols = 0;
    std::vector<std::int64_t> d_element, d_covered;
    /// Thread time spent reading and classing the cells, on coverage fractions (once per area
    /// whatever the number of rasters), and on the cells themselves; for the run's timings.
    double read_s = 0.0, coverage_s = 0.0, cells_s = 0.0;
    std::size_t coverage_passes = 0; ///< areas whose coverage this chunk computed
};

/// What every chunk reads, fixed before the chunks run.
struct PassPlan
{
    PassPlan(const MeasureRequest& request_, const std::vector<std::vector<PlanGeometry>>& plan_)
      : request(request_)
      , plan(plan_)
      , n_types(request_.types.size())
      , n_groups(request_.mask_groups.size())
    {
    }

    const MeasureRequest& request;
    const std::vector<std::vector<PlanGeometry>>& plan; ///< [area][type]
    std::size_t n_types = 0, n_groups = 0;
    /// Masks, then element sources: the index of a layer's reader.
    std::vector<const RasterLayer*> layers;
    const RasterLayer* finest = nullptr;    ///< sets the analysis lattice
    Grid frame;                             ///< the analysis grid
    std::vector<AreaShapes> shapes;         ///< per area
    std::vector<Box> area_env;              ///< per area
    std::vector<ClassLookup> mask_classes;  ///< per mask: code -> 1 when listed
    std::vector<ClassLookup> element_types; ///< per element source: code -> type
    std::vector<int> raster_groups;         ///< groups with a raster mask, each once
    /// The density raster: cells of kx x ky analysis cells on density_grid.
    bool density = false;
    std::size_t kx = 1, ky = 1;
    Grid density_grid;
    /// Density unit counts per m²: 2^32 per analysis cell (raster_pass_sums.h).
    double density_counts_per_m2 = 0.0;

    /// @p m2 (>= 0) in density units, rounded to the nearest.
    std::int64_t density_counts(double m2) const
    {
        return std::int64_t(m2 * density_counts_per_m2 + 0.5);
    }
};

/// Buffers a worker reuses from chunk to chunk (fresh large vectors would be faulted in and
/// zeroed by the kernel every time).
struct Scratch
{
    std::vector<std::uint8_t> state;
    std::vector<std::int16_t> rtype, rsource;
    std::vector<std::vector<std::uint8_t>> in_group;
    std::vector<double> f_area, f_rural, work;
    std::vector<std::vector<double>> f_owned, f_group;
};

/// One reader per raster layer and worker thread, opened on first use.
class LayerReaders
{
public:
    explicit LayerReaders(const std::vector<const RasterLayer*>& layers)
      : m_layers(layers)
    {
    }
    ClassReader& operator()(std::size_t k);

private:
    const std::vector<const RasterLayer*>& m_layers;
    tbb::enumerable_thread_specific<std::vector<std::unique_ptr<ClassReader>>> m_readers;
};

/// Measures chunk @p chunk of @p pass.frame (step 4 of apply_raster_sources()):
///  1. the state of its cells from every raster: masked (and by which groups), nodata, and
///     the earliest raster type with its source;
///  2. the density cells it touches;
///  3. per area of @p area_index in it: a. the coverage fractions of its vector results;
///     b. cell by cell the changes to its figures and the density sums; c. the plan
///     quantities in cells the rasters take out of the rural land.
ChunkResult measure_chunk(const PassPlan& pass,
                          const geometry::BoxIndex& area_index,
                          const Grid& chunk,
                          LayerReaders& readers,
                          Scratch& scratch);

} // namespace landel::analysis::detail
