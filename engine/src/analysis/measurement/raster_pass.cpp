// The raster pass of measure(): corrects the vector figures of every area cell by cell with
// the raster sources (docs/semantics.md, "Raster sources").
//
// The analysis grid is the lattice of the finest raster, framed to cover the areas in whole
// blocks of that raster. Per cell, under the uniform-cell assumption:
//   - a cell with a listed class of any raster mask is not rural land: its vector rural part
//     moves to the masked land (and into excl_<name>_ha of its group, beyond what that group's
//     vector masks already cover there);
//   - else a cell that some raster element source has no data for (nodata, or outside its
//     extent) is not rural land either: its vector rural part becomes nodata;
//   - else the earliest-ranked raster type any element raster gives the cell takes the cell's
//     rural part minus what vector types ranked before it own there; vector types ranked
//     after it lose what they own there.
// Vector figures per cell come from exact coverage fractions (cell_coverage.h) of the area,
// its vector rural land and each vector type's owned geometry. Coarser rasters are sampled at
// the analysis cells' centres, which is exact when their cells nest in the analysis grid.
//
// Chunks follow the finest raster's blocks and their layout depends on the memory budget
// only; chunk results are merged in chunk order, so figures do not depend on threads.

//
// The steps of apply_raster_sources() are numbered as in raster_pass.h; a chunk's own steps
// are in raster_chunk.cpp.

#include "raster_pass.h"
#include "raster_chunk.h"

#include "landel/core/error.h"
#include "landel/core/text.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"
#include "landel/parallel/progress_counter.h"

#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace landel::analysis::detail {

using geometry::GeomPtr;

namespace {

/// Chunks stay small enough for their per-cell buffers (coverage fractions, states) to live
/// in the processor's caches: the pass is bound by memory traffic, not arithmetic, and
/// larger chunks only add to it.
constexpr std::size_t kMaxChunkCells = std::size_t(1) << 18;

std::string describe_grid(const Grid& g)
{
    std::ostringstream s;
    s.precision(12);
    s << g.cols() << " x " << g.rows() << " cells of " << g.dx() << " x " << g.dy() << " m from ("
      << g.extent().xmin << ", " << g.extent().ymax << ")";
    return s.str();
}

/// Step 1: the finest raster sets the analysis lattice; on ties element rasters go first
/// (their class areas are the figures that matter), then masks, each in config order. Also
/// lists the layers in reader order (masks, then element sources) and warns of layers whose
/// cells do not nest in the lattice.
void choose_lattice(PassPlan& pass, MeasureResult& result)
{
    const auto& masks = pass.request.raster_masks;
    const auto& sources = pass.request.raster_sources;
    for (const auto& m : masks)
        pass.layers.push_back(&m);
    for (const auto& s : sources)
        pass.layers.push_back(&s);
    std::vector<const RasterLayer*> by_preference;
    for (const auto& s : sources)
        by_preference.push_back(&s);
    for (const auto& m : masks)
        by_preference.push_back(&m);
    const RasterLayer* finest = by_preference.front();
    for (const RasterLayer* l : by_preference)
        if (l->grid.cell_area() < finest->grid.cell_area() * (1.0 - 1e-9))
            finest = l;
    pass.finest = finest;
    for (const RasterLayer* l : pass.layers)
        if (l != finest && !finest->grid.nests(l->grid))
            result.warnings.push_back(
              l->label + ": its cells do not nest in the analysis grid of " + finest->label +
              "; it is sampled at that grid's cell centres (nearest neighbour), so its class "
              "areas shift by up to half a cell along class borders");
}

/// Step 1 (cont.): the frame, the areas' extent @p areas_env in whole blocks of the finest
/// raster.
Grid frame_grid(const RasterLayer& finest, const Box& areas_env)
{
    const Grid& g = finest.grid;
    const Grid block_lattice(Box{ g.extent().xmin,
                                  g.extent().ymax - g.dy() * double(finest.block_rows),
                                  g.extent().xmin + g.dx() * double(finest.block_cols),
                                  g.extent().ymax },
                             g.dx() * double(finest.block_cols),
                             g.dy() * double(finest.block_rows));
    const Box frame_box = block_lattice.cover(areas_env).extent();
    return Grid(frame_box, g.dx(), g.dy());
}

/// Step 2: the vector results per area as rings (no GEOS in the cell loops).
void area_shapes(Contexts& contexts,
                 const PreparedAreas& prepared,
                 const RuralLand& rural,
                 const MeasureResult& result,
                 PassPlan& pass)
{
    const std::size_t n_areas = result.areas.size();
    std::vector<char> group_has_raster(pass.n_groups, 0);
    for (const auto& m : pass.request.raster_masks)
        if (m.group >= 0)
            group_has_raster[std::size_t(m.group)] = 1;
    pass.shapes.resize(n_areas);
    parallel::for_each_index(n_areas, [&](std::size_t i) {
        const geometry::GeosContext& ctx = contexts.local();
        AreaShapes& s = pass.shapes[i];
        s.area = ring_set(ctx, prepared.geom[i].get());
        s.rural_is_area = rural.masked_m2[i] == 0.0;
        if (!s.rural_is_area)
            s.rural = ring_set(ctx, rural.rural[i].get());
        s.owned.resize(pass.n_types);
        for (std::size_t t = 0; t < pass.n_types; ++t)
            if (!result.areas[i].owned_wkb[t].empty())
                s.owned[t] =
                  ring_set(ctx, geometry::from_wkb(ctx, result.areas[i].owned_wkb[t]).get());
        s.group.resize(pass.n_groups);
        for (std::size_t g = 0; g < pass.n_groups; ++g)
            if (group_has_raster[g] && g < rural.group_geom[i].size() && rural.group_geom[i][g])
                s.group[g] = ring_set(ctx, rural.group_geom[i][g].get());
    });
    pass.area_env.resize(n_areas);
    for (std::size_t i = 0; i < n_areas; ++i)
        pass.area_env[i] = pass.shapes[i].area.env;
    for (std::size_t g = 0; g < pass.n_groups; ++g)
        if (group_has_raster[g])
            pass.raster_groups.push_back(int(g));
}

/// Step 2 (cont.): class code lookups per raster, and the density grid: whole multiples of
/// the analysis cell, anchored at the frame.
void lookups_and_density(PassPlan& pass)
{
    const auto& masks = pass.request.raster_masks;
    const auto& sources = pass.request.raster_sources;
    pass.mask_classes.resize(masks.size());
    pass.element_types.resize(sources.size());
    for (std::size_t m = 0; m < masks.size(); ++m)
        for (std::int64_t code : masks[m].classes)
            pass.mask_classes[m].set(code, 1);
    for (std::size_t s = 0; s < sources.size(); ++s)
        for (const auto& [code, type] : sources[s].class_types)
            pass.element_types[s].set(code, type);

    const Grid& frame = pass.frame;
    const double cell_m = pass.request.density_cell_m;
    pass.density = cell_m > 0.0;
    pass.kx = std::max<std::size_t>(1, std::size_t(std::llround(cell_m / frame.dx())));
    pass.ky = std::max<std::size_t>(1, std::size_t(std::llround(cell_m / frame.dy())));
    const std::size_t d_cols = (frame.cols() + pass.kx - 1) / pass.kx;
    const std::size_t d_rows = (frame.rows() + pass.ky - 1) / pass.ky;
    if (!pass.density)
        return;
    pass.density_counts_per_m2 = 4294967296.0 / frame.cell_area(); // 2^32 per analysis cell
    const Box& e = frame.extent();
    pass.density_grid = Grid(Box{ e.xmin,
                                  e.ymax - double(d_rows * pass.ky) * frame.dy(),
                                  e.xmin + double(d_cols * pass.kx) * frame.dx(),
                                  e.ymax },
                             double(pass.kx) * frame.dx(),
                             double(pass.ky) * frame.dy());
}

/// The chunks of the frame that meet an area, their positions among all the frame's chunks,
/// and how many may run at once.
struct ChunkPlan
{
    std::vector<Grid> chunks;
    std::vector<std::uint64_t> positions;
    int in_flight = 1;
};

/// Step 3: chunks whose size follows the memory budget and the config alone (not the thread
/// count, nor which areas a piece of a run holds); as many run at once as the budget holds.
ChunkPlan plan_chunks(const PassPlan& pass, const geometry::BoxIndex& area_index)
{
    // Per cell: each raster's codes and mask (5 B), cell states (4 B), density sums (16 B),
    // and coverage fractions of the area, rural land, every type (any may own vector
    // geometry) and groups with their transient work arrays (8 B each, plus 16 B while one is
    // computed).
    const std::size_t bytes_per_cell = 5 * pass.layers.size() + 4 + (pass.density ? 16 : 0) +
                                       8 * (2 + pass.n_types + pass.raster_groups.size()) + 16;
    const std::size_t budget = std::max<std::size_t>(pass.request.raster_memory_bytes, 16u << 20);
    const std::size_t chunk_cells =
      std::clamp<std::size_t>(budget / 4 / bytes_per_cell, 1u << 16, kMaxChunkCells);
    ChunkPlan out;
    const RasterLayer& finest = *pass.finest;
    const std::vector<Grid> all =
      pass.frame.subdivide(chunk_cells, finest.block_rows, finest.block_cols);
    for (std::size_t k = 0; k < all.size(); ++k)
        if (area_index.count(all[k].extent()) > 0) {
            out.chunks.push_back(all[k]);
            out.positions.push_back(k);
        }
    const std::size_t chunk_bytes =
      std::max(chunk_cells, out.chunks.empty() ? std::size_t(1) : out.chunks.front().size()) *
      bytes_per_cell;
    out.in_flight = int(std::max<std::size_t>(1, budget / chunk_bytes));
    return out;
}

/// Step 4: every chunk measured on TBB workers, at most in_flight at once.
std::vector<ChunkResult> measure_chunks(const PassPlan& pass,
                                        const geometry::BoxIndex& area_index,
                                        const ChunkPlan& chunks,
                                        double progress_from,
                                        double progress_to)
{
    const std::size_t n = chunks.chunks.size();
    std::vector<ChunkResult> results(n);
    LayerReaders readers(pass.layers);
    tbb::enumerable_thread_specific<Scratch> scratches;
    parallel::ProgressCounter progress(
      pass.request.progress, progress_from, progress_to, n, "rasters");
    tbb::task_arena arena(std::min(chunks.in_flight, tbb::this_task_arena::max_concurrency()));
    arena.execute([&] {
        parallel::for_each_index(n, [&](std::size_t ci) {
            results[ci] =
              measure_chunk(pass, area_index, chunks.chunks[ci], readers, scratches.local());
            progress.step();
        });
    });
    return results;
}

/// Every area's changes, and the sums across areas (density, cells read).
struct PassTotals
{
    std::vector<AreaDelta> areas;
    RasterPassSums sums;
};

/// Zero density sums over the density cells @p chunks touch (a piece of a run in pieces
/// holds only its part of the whole run's density grid).
DensitySums zero_density(const PassPlan& pass, const std::vector<ChunkResult>& chunks)
{
    DensitySums d;
    d.grid = pass.density_grid;
    d.unit_m2 = 1.0 / pass.density_counts_per_m2;
    if (chunks.empty())
        return d;
    std::size_t r1 = 0, c1 = 0;
    d.row0 = d.grid.rows();
    d.col0 = d.grid.cols();
    for (const ChunkResult& c : chunks) {
        d.row0 = std::min(d.row0, c.d_row0);
        d.col0 = std::min(d.col0, c.d_col0);
        r1 = std::max(r1, c.d_row0 + c.d_rows);
        c1 = std::max(c1, c.d_col0 + c.d_cols);
    }
    d.rows = r1 - d.row0;
    d.cols = c1 - d.col0;
    d.element.assign(d.rows * d.cols, 0);
    d.covered.assign(d.rows * d.cols, 0);
    return d;
}

/// Step 5: merges the chunks' results in chunk order (so sums do not depend on threads), and
/// keeps the cells each raster read and found valid per chunk.
PassTotals merge_chunks(const PassPlan& pass,
                        const ChunkPlan& plan,
                        std::vector<ChunkResult>& chunk_results,
                        MeasureResult& result)
{
    const auto& masks = pass.request.raster_masks;
    const auto& sources = pass.request.raster_sources;
    PassTotals total;
    for (std::size_t i = 0; i < result.areas.size(); ++i)
        total.areas.emplace_back(i, pass.n_groups, pass.n_types, sources.size());
    result.raster_mask_reports.resize(masks.size());
    result.raster_element_reports.resize(sources.size());
    for (std::size_t m = 0; m < masks.size(); ++m)
        result.raster_mask_reports[m].label = masks[m].label;
    for (std::size_t e = 0; e < sources.size(); ++e)
        result.raster_element_reports[e].label = sources[e].label;
    if (pass.density)
        total.sums.density = zero_density(pass, chunk_results);
    DensitySums& density = total.sums.density;
    double read_s = 0.0, coverage_s = 0.0, cells_s = 0.0;
    for (std::size_t k = 0; k < chunk_results.size(); ++k) {
        ChunkResult& c = chunk_results[k];
        read_s += c.read_s;
        coverage_s += c.coverage_s;
        cells_s += c.cells_s;
        total.sums.coverage_passes += c.coverage_passes;
        for (const AreaDelta& d : c.areas)
            total.areas[d.area].add(d);
        ChunkCells cells;
        cells.chunk = plan.positions[k];
        for (const SourceCells& s : c.masks) {
            cells.read.push_back(s.read);
            cells.valid.push_back(s.valid);
        }
        for (const SourceCells& s : c.elements) {
            cells.read.push_back(s.read);
            cells.valid.push_back(s.valid);
        }
        total.sums.chunks.push_back(std::move(cells));
        for (std::size_t r = 0; r < c.d_rows; ++r)
            for (std::size_t col = 0; col < c.d_cols; ++col) {
                const std::size_t j = r * c.d_cols + col;
                const std::size_t to =
                  (c.d_row0 + r - density.row0) * density.cols + c.d_col0 + col - density.col0;
                density.element[to] += c.d_element[j];
                density.covered[to] += c.d_covered[j];
            }
        c = ChunkResult();
    }
    // Thread time, summed over the chunks: what the pass spends where (docs/benchmarks.md).
    result.timings_s.emplace_back("rasters.read_cpu", read_s);
    result.timings_s.emplace_back("rasters.coverage_cpu", coverage_s);
    result.timings_s.emplace_back("rasters.cells_cpu", cells_s);
    return total;
}

/// @p owned_wkb minus the analysis cells of @p runs (row, first col, last col).
std::string cut_cells(const geometry::GeosContext& ctx,
                      const Grid& frame,
                      const std::vector<std::array<std::size_t, 3>>& runs,
                      const std::string& owned_wkb)
{
    std::vector<GeomPtr> boxes;
    std::vector<const GEOSGeometry*> refs;
    for (const auto& run : runs) {
        // Each cell edge one way (the next cell's x_left / y_top, not + dx / - dy): on RD New
        // coordinates the two differ by up to 6e-11 m, and the boxes of neighbouring runs
        // left slivers of the owned geometry between them.
        boxes.push_back(geometry::box_polygon(ctx,
                                              Box{ frame.x_left(run[1]),
                                                   frame.y_top(run[0] + 1),
                                                   frame.x_left(run[2] + 1),
                                                   frame.y_top(run[0]) }));
        refs.push_back(boxes.back().get());
    }
    const GeomPtr owned = geometry::from_wkb(ctx, owned_wkb);
    const GeomPtr kept = geometry::polygonal_part(
      ctx, geometry::difference(ctx, owned.get(), geometry::union_of(ctx, refs).get()).get());
    return geometry::is_empty(ctx, kept.get()) ? std::string() : geometry::to_wkb(ctx, kept.get());
}

/// Step 6: applies every area's changes to its figures, and cuts the lost cells out of the
/// vector types' owned geometry.
void apply_changes(Contexts& contexts,
                   const PassPlan& pass,
                   const std::vector<AreaDelta>& total,
                   MeasureResult& result)
{
    parallel::for_each_index(result.areas.size(), [&](std::size_t i) {
        const geometry::GeosContext& ctx = contexts.local();
        AreaMeasure& m = result.areas[i];
        const AreaDelta& d = total[i];
        m.rural_ha = std::max(0.0, m.rural_ha + d.rural / 1e4);
        m.masked_ha += d.masked / 1e4;
        m.nodata_ha += d.nodata / 1e4;
        for (std::size_t g = 0; g < pass.n_groups; ++g)
            m.excl_ha[g] += d.excl[g] / 1e4;
        m.element_ha = 0.0;
        for (std::size_t t = 0; t < pass.n_types; ++t) {
            m.type_length_m[t] = std::max(0.0, m.type_length_m[t] - d.length_lost[t]);
            // A point feature leaves the count when all its points inside the rural land
            // fall in removed cells.
            for (const auto& [f, count] : d.points_lost[t])
                if (count == pass.plan[i][t].point_features[f].size())
                    --m.type_count[t];
            m.type_ha[t] = std::max(0.0, m.type_ha[t] + d.type[t] / 1e4);
            m.element_ha += m.type_ha[t];
            if (!d.lost_runs[t].empty() && !m.owned_wkb[t].empty())
                m.owned_wkb[t] = cut_cells(ctx, pass.frame, d.lost_runs[t], m.owned_wkb[t]);
        }
        m.targets = evaluate_targets(m.element_ha, m.rural_ha, pass.request.milestones);
    });
}

/// Step 7 (cont.): which raster element sources gave any area element land (the warnings
/// on the areas' raster data follow from it in apply_raster_sums).
void note_raster_hits(const std::vector<AreaDelta>& total, MeasureResult& result)
{
    for (std::size_t e = 0; e < result.raster_element_reports.size(); ++e)
        for (const AreaDelta& d : total)
            if (d.raster_hit[e])
                result.raster_element_reports[e].inside_rural_land = true;
}

} // namespace

void apply_raster_sources(Contexts& contexts,
                          const MeasureRequest& request,
                          const PreparedAreas& prepared,
                          const RuralLand& rural,
                          MeasureResult& result,
                          double progress_from,
                          double progress_to,
                          const std::vector<std::vector<PlanGeometry>>& plan)
{
    PassPlan pass(request, plan);

    // 1. The analysis grid.
    choose_lattice(pass, result);
    // The whole run's areas where given (a piece of a run in pieces), so that every piece
    // measures on the whole run's grid, chunks and density cells.
    Box areas_env = request.raster_frame_extent;
    for (const Box& e : prepared.env)
        areas_env.expand(e);
    if (areas_env.empty())
        return;
    pass.frame = frame_grid(*pass.finest, areas_env);
    result.analysis_grid = pass.frame;
    result.raster_notes.push_back("raster sources measured on the grid of " + pass.finest->label +
                                  ": " + describe_grid(pass.frame));

    // 2. What every chunk reads.
    area_shapes(contexts, prepared, rural, result, pass);
    const geometry::BoxIndex area_index(pass.area_env);
    lookups_and_density(pass);

    // 3. Chunks.
    const ChunkPlan chunks = plan_chunks(pass, area_index);
    // 4. Each chunk measured.
    std::vector<ChunkResult> chunk_results =
      measure_chunks(pass, area_index, chunks, progress_from, progress_to);
    // 5. Merged in chunk order.
    PassTotals total = merge_chunks(pass, chunks, chunk_results, result);
    // 6. The figures.
    apply_changes(contexts, pass, total.areas, result);
    // 7. The sums across areas (the cells read, the density raster and the warnings on the
    //    areas' raster data), or kept for a merge of pieces, which applies them to the whole
    //    run.
    note_raster_hits(total.areas, result);
    for (const RasterElementSource& e : request.raster_sources)
        total.sums.element_extents.push_back(e.grid.extent());
    if (request.keep_raster_sums)
        result.raster_sums = std::move(total.sums);
    else
        apply_raster_sums(total.sums, result);
}

} // namespace landel::analysis::detail
