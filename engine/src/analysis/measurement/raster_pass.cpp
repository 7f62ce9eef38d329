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
    const Box& e = frame.extent();
    pass.density_grid = Grid(Box{ e.xmin,
                                  e.ymax - double(d_rows * pass.ky) * frame.dy(),
                                  e.xmin + double(d_cols * pass.kx) * frame.dx(),
                                  e.ymax },
                             double(pass.kx) * frame.dx(),
                             double(pass.ky) * frame.dy());
}

/// The chunks of the frame that meet an area, and how many may run at once.
struct ChunkPlan
{
    std::vector<Grid> chunks;
    int in_flight = 1;
};

/// Step 3: chunks whose size follows the memory budget alone (not the thread count); as
/// many run at once as the budget holds.
ChunkPlan plan_chunks(const PassPlan& pass, const geometry::BoxIndex& area_index)
{
    std::size_t vector_types = 0;
    for (std::size_t t = 0; t < pass.n_types; ++t)
        for (const AreaShapes& s : pass.shapes)
            if (!s.owned[t].rings.empty()) {
                ++vector_types;
                break;
            }
    // Per cell: each raster's codes and mask (5 B), cell states (4 B), density sums (16 B),
    // and coverage fractions of the area, rural land, vector types and groups with their
    // transient work arrays (8 B each, plus 16 B while one is computed).
    const std::size_t bytes_per_cell = 5 * pass.layers.size() + 4 + (pass.density ? 16 : 0) +
                                       8 * (2 + vector_types + pass.raster_groups.size()) + 16;
    const std::size_t budget = std::max<std::size_t>(pass.request.raster_memory_bytes, 16u << 20);
    const std::size_t chunk_cells =
      std::clamp<std::size_t>(budget / 4 / bytes_per_cell, 1u << 16, kMaxChunkCells);
    ChunkPlan out;
    const RasterLayer& finest = *pass.finest;
    for (const Grid& c : pass.frame.subdivide(chunk_cells, finest.block_rows, finest.block_cols))
        if (area_index.count(c.extent()) > 0)
            out.chunks.push_back(c);
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

/// Every area's changes and the density sums, over all chunks.
struct PassTotals
{
    std::vector<AreaDelta> areas;
    Raster<double> d_element, d_area;
};

/// Step 5: merges the chunks' results in chunk order (so sums do not depend on threads), and
/// counts the cells each raster read and found valid into the source reports.
PassTotals merge_chunks(const PassPlan& pass,
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
    if (pass.density) {
        total.d_element = Raster<double>(pass.density_grid, 0.0);
        total.d_area = Raster<double>(pass.density_grid, 0.0);
    }
    double read_s = 0.0, coverage_s = 0.0, cells_s = 0.0;
    std::size_t coverage_passes = 0;
    for (ChunkResult& c : chunk_results) {
        read_s += c.read_s;
        coverage_s += c.coverage_s;
        cells_s += c.cells_s;
        coverage_passes += c.coverage_passes;
        for (const AreaDelta& d : c.areas)
            total.areas[d.area].add(d);
        for (std::size_t m = 0; m < masks.size(); ++m) {
            result.raster_mask_reports[m].cells_read += c.masks[m].read;
            result.raster_mask_reports[m].valid_cells += c.masks[m].valid;
        }
        for (std::size_t e = 0; e < sources.size(); ++e) {
            result.raster_element_reports[e].cells_read += c.elements[e].read;
            result.raster_element_reports[e].valid_cells += c.elements[e].valid;
        }
        for (std::size_t r = 0; r < c.d_rows; ++r)
            for (std::size_t col = 0; col < c.d_cols; ++col) {
                const std::size_t j = r * c.d_cols + col;
                total.d_element(c.d_row0 + r, c.d_col0 + col) += c.d_element[j];
                total.d_area(c.d_row0 + r, c.d_col0 + col) += c.d_area[j];
            }
        c = ChunkResult();
    }
    // Thread time, summed over the chunks: what the pass spends where (docs/benchmarks.md).
    result.timings_s.emplace_back("rasters.read_cpu", read_s);
    result.timings_s.emplace_back("rasters.coverage_cpu", coverage_s);
    result.timings_s.emplace_back("rasters.cells_cpu", cells_s);
    result.raster_notes.push_back("coverage fractions computed " + std::to_string(coverage_passes) +
                                  " times, once per area and chunk, shared by the " +
                                  std::to_string(masks.size() + sources.size()) +
                                  " raster source(s)");
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

/// Step 7: warnings on areas short of data and on element sources that miss the areas;
/// throws InvalidArgument for an element source with only nodata over the areas.
void check_sources(const PassPlan& pass, const std::vector<AreaDelta>& total, MeasureResult& result)
{
    // Nodata inside a raster's extent leaves areas short of data just as its edge does.
    std::vector<std::string> short_of_data;
    for (const AreaMeasure& m : result.areas)
        if (m.nodata_ha >= gap_epsilon_ha) {
            std::ostringstream item;
            item.setf(std::ios::fixed);
            item.precision(6);
            item << m.id << " (" << m.nodata_ha << " ha)";
            short_of_data.push_back(item.str());
        }
    if (!short_of_data.empty())
        result.warnings.push_back("the raster element sources have no data for part of area(s) " +
                                  join_first(short_of_data) +
                                  "; that land is not counted as rural land (nodata_ha)");

    const auto& sources = pass.request.raster_sources;
    for (std::size_t e = 0; e < sources.size(); ++e) {
        SourceReport& r = result.raster_element_reports[e];
        if (r.cells_read > 0 && r.valid_cells == 0)
            throw InvalidArgument(sources[e].label + ": has only nodata cells over the areas");
        for (const AreaDelta& d : total)
            if (d.raster_hit[e])
                r.inside_rural_land = true;
        std::vector<std::string> outside;
        for (std::size_t i = 0; i < pass.area_env.size(); ++i)
            if (!sources[e].grid.extent().contains(pass.area_env[i]) && !pass.area_env[i].empty())
                outside.push_back(result.areas[i].id);
        if (!outside.empty())
            result.warnings.push_back(sources[e].label + ": does not cover the whole of area(s) " +
                                      join_first(outside) +
                                      "; the part outside the raster counts as nodata");
        if (!r.inside_rural_land)
            result.warnings.push_back(sources[e].label +
                                      ": gives no element cell inside the areas' rural land; "
                                      "its types get 0 ha from it");
    }
}

/// Step 8: the density raster: element m² / cell m² where a cell meets an area.
Raster<float> density_raster(const PassTotals& total, const Grid& grid)
{
    Raster<float> out(grid, 0.0f);
    out.mask().assign(grid.size(), 0);
    const double cell = grid.cell_area();
    for (std::size_t j = 0; j < grid.size(); ++j)
        if (total.d_area.values()[j] > 0.0) {
            out.values()[j] = float(std::min(1.0, total.d_element.values()[j] / cell));
            out.mask()[j] = 1;
        }
    return out;
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
    Box areas_env;
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
    const PassTotals total = merge_chunks(pass, chunk_results, result);
    // 6. The figures.
    apply_changes(contexts, pass, total.areas, result);
    // 7. The checks.
    check_sources(pass, total.areas, result);
    // 8. The density raster.
    if (pass.density)
        result.density = density_raster(total, pass.density_grid);
}

} // namespace landel::analysis::detail
