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

#include "raster_pass.h"
#include "raster_sampling.h"
#include "segment_cells.h"

#include "landel/analysis/measurement/cell_coverage.h"
#include "landel/core/error.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"
#include "landel/parallel/progress_counter.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <sstream>
#include <unordered_map>

namespace landel::analysis::detail {

using geometry::GeomPtr;

namespace {

/// A polygonal geometry ready for coverage fractions without GEOS.
struct RingSet
{
    std::vector<CoverageRing> rings;
    Box env;
};

RingSet ring_set(const geometry::GeosContext& ctx, const GEOSGeometry* g)
{
    RingSet out;
    if (!g || geometry::is_empty(ctx, g))
        return out;
    out.rings = coverage_rings(ctx, g);
    out.env = geometry::envelope(ctx, g);
    return out;
}

/// What the pass needs of one area's vector results.
struct AreaShapes
{
    RingSet area;
    RingSet rural;            ///< empty rings with rural_is_area
    bool rural_is_area = false;
    std::vector<RingSet> owned; ///< per type (vector types only)
    std::vector<RingSet> group; ///< per mask group: area ∩ its vector masks (when needed)
};

/// Changes to one area's figures, in m².
struct AreaDelta
{
    std::size_t area = 0;
    double rural = 0.0, masked = 0.0, nodata = 0.0;
    std::vector<double> excl;  ///< per group
    std::vector<double> type;  ///< per type
    std::vector<char> raster_hit; ///< per raster element source: it gave this area element area
    /// Per type: analysis cells (row, first col, last col) where the type lost owned area.
    std::vector<std::vector<std::array<std::size_t, 3>>> lost_runs;
    std::vector<double> length_lost; ///< per type: centre-line metres in removed cells
    /// Per type: point feature -> its points in removed cells.
    std::vector<std::map<std::size_t, std::size_t>> points_lost;
};

struct SourceCells
{
    std::uint64_t read = 0, valid = 0;
};

struct ChunkResult
{
    std::vector<AreaDelta> areas;
    std::vector<SourceCells> masks, elements;
    // Element and area m² per density cell, over the density cells this chunk touches.
    std::size_t d_row0 = 0, d_col0 = 0, d_rows = 0, d_cols = 0;
    std::vector<double> d_element, d_area;
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

/// Chunks stay small enough for their per-cell buffers (coverage fractions, states) to live
/// in the processor's caches: the pass is bound by memory traffic, not arithmetic, and
/// larger chunks only add to it.
constexpr std::size_t kMaxChunkCells = std::size_t(1) << 18;

/// Cell states on one chunk.
constexpr std::uint8_t kMasked = 1, kNodata = 2;

std::string describe_grid(const Grid& g)
{
    std::ostringstream s;
    s.precision(12);
    s << g.cols() << " x " << g.rows() << " cells of " << g.dx() << " x " << g.dy() << " m from ("
      << g.extent().xmin << ", " << g.extent().ymax << ")";
    return s.str();
}

} // namespace

void apply_raster_sources(Contexts& contexts, const MeasureRequest& request,
                          const PreparedAreas& prepared, const RuralLand& rural,
                          MeasureResult& result, double progress_from, double progress_to,
                          const std::vector<std::vector<PlanGeometry>>& plan)
{
    const std::size_t n_areas = result.areas.size();
    const std::size_t n_types = request.types.size();
    const std::size_t n_groups = request.mask_groups.size();
    const auto& masks = request.raster_masks;
    const auto& sources = request.raster_sources;

    // The finest raster sets the analysis lattice; on ties element rasters go first (their
    // class areas are the figures that matter), then masks, each in config order. Readers
    // are indexed in the order masks, then element sources.
    std::vector<const RasterLayer*> layers;
    for (const auto& m : masks)
        layers.push_back(&m);
    for (const auto& s : sources)
        layers.push_back(&s);
    std::vector<const RasterLayer*> by_preference;
    for (const auto& s : sources)
        by_preference.push_back(&s);
    for (const auto& m : masks)
        by_preference.push_back(&m);
    const RasterLayer* finest = by_preference.front();
    for (const RasterLayer* l : by_preference)
        if (l->grid.cell_area() < finest->grid.cell_area() * (1.0 - 1e-9))
            finest = l;
    for (const RasterLayer* l : layers)
        if (l != finest && !finest->grid.nests(l->grid))
            result.warnings.push_back(
              l->label + ": its cells do not nest in the analysis grid of " + finest->label +
              "; it is sampled at that grid's cell centres (nearest neighbour), so its class "
              "areas shift by up to half a cell along class borders");

    Box areas_env;
    for (const Box& e : prepared.env)
        areas_env.expand(e);
    if (areas_env.empty())
        return;
    // The frame: the areas' extent in whole blocks of the finest raster.
    const Grid block_lattice(
      Box{ finest->grid.extent().xmin, finest->grid.extent().ymax - finest->grid.dy() * double(finest->block_rows),
           finest->grid.extent().xmin + finest->grid.dx() * double(finest->block_cols),
           finest->grid.extent().ymax },
      finest->grid.dx() * double(finest->block_cols), finest->grid.dy() * double(finest->block_rows));
    const Box frame_box = block_lattice.cover(areas_env).extent();
    const Grid frame(frame_box, finest->grid.dx(), finest->grid.dy());
    result.analysis_grid = frame;
    result.raster_notes.push_back("raster sources measured on the grid of " + finest->label +
                                  ": " + describe_grid(frame));

    // The vector results per area, as rings (no GEOS in the cell loops).
    std::vector<char> group_has_raster(n_groups, 0);
    for (const auto& m : masks)
        if (m.group >= 0)
            group_has_raster[std::size_t(m.group)] = 1;
    std::vector<AreaShapes> shapes(n_areas);
    parallel::for_each_index(n_areas, [&](std::size_t i) {
        const geometry::GeosContext& ctx = contexts.local();
        AreaShapes& s = shapes[i];
        s.area = ring_set(ctx, prepared.geom[i].get());
        s.rural_is_area = rural.masked_m2[i] == 0.0;
        if (!s.rural_is_area)
            s.rural = ring_set(ctx, rural.rural[i].get());
        s.owned.resize(n_types);
        for (std::size_t t = 0; t < n_types; ++t)
            if (!result.areas[i].owned_wkb[t].empty())
                s.owned[t] = ring_set(ctx, geometry::from_wkb(ctx, result.areas[i].owned_wkb[t]).get());
        s.group.resize(n_groups);
        for (std::size_t g = 0; g < n_groups; ++g)
            if (group_has_raster[g] && g < rural.group_geom[i].size() && rural.group_geom[i][g])
                s.group[g] = ring_set(ctx, rural.group_geom[i][g].get());
    });
    std::vector<Box> area_env(n_areas);
    for (std::size_t i = 0; i < n_areas; ++i)
        area_env[i] = shapes[i].area.env;
    const geometry::BoxIndex area_index(area_env);

    std::vector<ClassLookup> mask_classes(masks.size()), element_types(sources.size());
    for (std::size_t m = 0; m < masks.size(); ++m)
        for (std::int64_t code : masks[m].classes)
            mask_classes[m].set(code, 1);
    for (std::size_t s = 0; s < sources.size(); ++s)
        for (const auto& [code, type] : sources[s].class_types)
            element_types[s].set(code, type);
    std::vector<int> raster_groups; // groups with a raster mask, each once
    for (std::size_t g = 0; g < n_groups; ++g)
        if (group_has_raster[g])
            raster_groups.push_back(int(g));

    // Density grid: whole multiples of the analysis cell, anchored at the frame.
    const bool density = request.density_cell_m > 0.0;
    const std::size_t kx =
      std::max<std::size_t>(1, std::size_t(std::llround(request.density_cell_m / frame.dx())));
    const std::size_t ky =
      std::max<std::size_t>(1, std::size_t(std::llround(request.density_cell_m / frame.dy())));
    const std::size_t d_cols = (frame.cols() + kx - 1) / kx, d_rows = (frame.rows() + ky - 1) / ky;
    Grid density_grid;
    if (density)
        density_grid = Grid(Box{ frame.extent().xmin, frame.extent().ymax - double(d_rows * ky) * frame.dy(),
                                 frame.extent().xmin + double(d_cols * kx) * frame.dx(), frame.extent().ymax },
                            double(kx) * frame.dx(), double(ky) * frame.dy());

    // Chunks: their size follows the budget alone (not the thread count); as many run at
    // once as the budget holds.
    std::size_t vector_types = 0;
    for (std::size_t t = 0; t < n_types; ++t)
        for (const AreaShapes& s : shapes)
            if (!s.owned[t].rings.empty()) {
                ++vector_types;
                break;
            }
    // Per cell: each raster's codes and mask (5 B), cell states (4 B), density sums (16 B),
    // and coverage fractions of the area, rural land, vector types and groups with their
    // transient work arrays (8 B each, plus 16 B while one is computed).
    const std::size_t bytes_per_cell =
      5 * layers.size() + 4 + (density ? 16 : 0) + 8 * (2 + vector_types + raster_groups.size()) + 16;
    const std::size_t budget = std::max<std::size_t>(request.raster_memory_bytes, 16u << 20);
    const std::size_t chunk_cells =
      std::clamp<std::size_t>(budget / 4 / bytes_per_cell, 1u << 16, kMaxChunkCells);
    std::vector<Grid> chunks;
    for (const Grid& c : frame.subdivide(chunk_cells, finest->block_rows, finest->block_cols))
        if (area_index.count(c.extent()) > 0)
            chunks.push_back(c);
    const std::size_t chunk_bytes =
      std::max(chunk_cells, chunks.empty() ? std::size_t(1) : chunks.front().size()) * bytes_per_cell;
    const int in_flight = int(std::max<std::size_t>(1, budget / chunk_bytes));

    // One reader per source and worker thread.
    tbb::enumerable_thread_specific<std::vector<std::unique_ptr<ClassReader>>> readers;
    auto reader = [&](std::size_t k) -> ClassReader& {
        auto& mine = readers.local();
        if (mine.empty())
            mine.resize(layers.size());
        if (!mine[k])
            mine[k] = layers[k]->open();
        return *mine[k];
    };

    std::vector<ChunkResult> chunk_results(chunks.size());
    tbb::enumerable_thread_specific<Scratch> scratches;
    parallel::ProgressCounter progress(request.progress, progress_from, progress_to, chunks.size(),
                                       "rasters");
    auto run_chunk = [&](std::size_t ci) {
        const Grid& chunk = chunks[ci];
        const std::size_t cells = chunk.size();
        ChunkResult& out = chunk_results[ci];
        out.masks.resize(masks.size());
        out.elements.resize(sources.size());

        // Reads through a per-chunk cache, so a file serving several layers is read once.
        std::map<std::pair<std::string, std::size_t>, Raster<std::int32_t>> cache;
        auto read = [&](std::size_t k, const Sampling& s) -> const Raster<std::int32_t>& {
            const std::string& key = layers[k]->dataset_key;
            const std::pair<std::string, std::size_t> id{ key, key.empty() ? k : 0 };
            auto it = cache.find(id);
            if (it == cache.end() || !it->second.grid().compatible_with(s.window) ||
                it->second.grid().size() != s.window.size())
                it = cache.insert_or_assign(id, reader(k).read(s.window)).first;
            return it->second;
        };

        Scratch& scratch = scratches.local();
        std::vector<std::uint8_t>& state = scratch.state;
        std::vector<std::int16_t>& rtype = scratch.rtype;
        std::vector<std::int16_t>& rsource = scratch.rsource;
        state.assign(cells, 0);
        rtype.assign(cells, -1);
        rsource.assign(cells, -1);
        std::vector<std::vector<std::uint8_t>>& in_group = scratch.in_group;
        in_group.resize(raster_groups.size());
        for (auto& g : in_group)
            g.clear();
        for (std::size_t m = 0; m < masks.size(); ++m) {
            const Sampling s = sampling_for(masks[m].grid, chunk);
            const Raster<std::int32_t>& data = read(m, s);
            std::vector<std::uint8_t>* group = nullptr;
            for (std::size_t k = 0; k < raster_groups.size(); ++k)
                if (raster_groups[k] == masks[m].group) {
                    if (in_group[k].empty())
                        in_group[k].assign(cells, 0);
                    group = &in_group[k];
                }
            SourceCells& sc = out.masks[m];
            std::uint64_t valid_cells = 0;
            for_each_sample(s, data, chunk, [&](std::size_t i, std::int32_t code, bool valid) {
                if (!valid)
                    return; // a mask's nodata excludes nothing
                ++valid_cells;
                if (mask_classes[m].get(code) > 0) {
                    state[i] |= kMasked;
                    if (group)
                        (*group)[i] = 1;
                }
            });
            sc.read += cells;
            sc.valid += valid_cells;
        }
        for (std::size_t e = 0; e < sources.size(); ++e) {
            const Sampling s = sampling_for(sources[e].grid, chunk);
            const Raster<std::int32_t>& data = read(masks.size() + e, s);
            SourceCells& sc = out.elements[e];
            std::uint64_t valid_cells = 0;
            for_each_sample(s, data, chunk, [&](std::size_t i, std::int32_t code, bool valid) {
                if (!valid) {
                    state[i] |= kNodata;
                    return;
                }
                ++valid_cells;
                const int t = element_types[e].get(code);
                if (t >= 0 && (rtype[i] < 0 || t < rtype[i])) {
                    rtype[i] = std::int16_t(t);
                    rsource[i] = std::int16_t(e);
                }
            });
            sc.read += cells;
            sc.valid += valid_cells;
        }
        cache.clear();

        const double cell_m2 = chunk.cell_area();
        // Not a structured binding: the `removed` lambda below uses these (C++17 cannot
        // capture bindings; clang refuses it).
        const auto chunk_offset = offset_in(frame, chunk);
        const auto chunk_row = chunk_offset.first, chunk_col = chunk_offset.second;
        // Density cells this chunk touches, and per chunk column its density column.
        std::vector<std::size_t> d_col_of;
        if (density) {
            out.d_row0 = chunk_row / ky;
            out.d_col0 = chunk_col / kx;
            out.d_rows = (chunk_row + chunk.rows() - 1) / ky - out.d_row0 + 1;
            out.d_cols = (chunk_col + chunk.cols() - 1) / kx - out.d_col0 + 1;
            out.d_element.assign(out.d_rows * out.d_cols, 0.0);
            out.d_area.assign(out.d_rows * out.d_cols, 0.0);
            d_col_of.resize(chunk.cols());
            for (std::size_t c = 0; c < chunk.cols(); ++c)
                d_col_of[c] = (chunk_col + c) / kx - out.d_col0;
        }
        for (std::size_t a : area_index.query(chunk.extent())) {
            const AreaShapes& s = shapes[a];
            const Grid sub = chunk.crop(s.area.env);
            if (sub.empty())
                continue;
            const auto [r_off, c_off] = offset_in(chunk, sub);
            std::vector<double>& f_area = scratch.f_area;
            coverage_fractions(s.area.rings, sub, f_area, scratch.work);
            if (!s.rural_is_area)
                coverage_fractions(s.rural.rings, sub, scratch.f_rural, scratch.work);
            const std::vector<double>& f_rural = s.rural_is_area ? f_area : scratch.f_rural;
            scratch.f_owned.resize(n_types);
            std::vector<std::size_t> owned_types;
            for (std::size_t t = 0; t < n_types; ++t)
                if (!s.owned[t].rings.empty() && s.owned[t].env.intersects(sub.extent())) {
                    coverage_fractions(s.owned[t].rings, sub, scratch.f_owned[t], scratch.work);
                    owned_types.push_back(t);
                }
            const std::vector<std::vector<double>>& f_owned = scratch.f_owned;
            scratch.f_group.resize(raster_groups.size());
            std::vector<char> has_group(raster_groups.size(), 0);
            for (std::size_t k = 0; k < raster_groups.size(); ++k) {
                const RingSet& g = s.group[std::size_t(raster_groups[k])];
                if (!g.rings.empty() && g.env.intersects(sub.extent())) {
                    coverage_fractions(g.rings, sub, scratch.f_group[k], scratch.work);
                    has_group[k] = 1;
                }
            }

            AreaDelta d;
            d.area = a;
            d.excl.assign(n_groups, 0.0);
            d.type.assign(n_types, 0.0);
            d.raster_hit.assign(sources.size(), 0);
            d.lost_runs.resize(n_types);
            auto lose = [&](std::size_t t, std::size_t row, std::size_t col, double m2) {
                d.type[t] -= m2;
                auto& runs = d.lost_runs[t];
                if (!runs.empty() && runs.back()[0] == row && runs.back()[2] + 1 == col)
                    runs.back()[2] = col;
                else
                    runs.push_back({ row, col, col });
            };
            bool any = false;
            const bool plain = owned_types.empty(); // no vector element geometry here
            for (std::size_t r = 0; r < sub.rows(); ++r) {
                const double* fa = f_area.data() + r * sub.cols();
                const std::size_t row_i = (r + r_off) * chunk.cols() + c_off;
                const std::size_t grid_row = chunk_row + r + r_off;
                double* d_area_row = density ? out.d_area.data() + (grid_row / ky - out.d_row0) * out.d_cols : nullptr;
                double* d_element_row =
                  density ? out.d_element.data() + (grid_row / ky - out.d_row0) * out.d_cols : nullptr;
                for (std::size_t c = 0; c < sub.cols(); ++c) {
                    if (fa[c] == 0.0)
                        continue;
                    any = true;
                    const std::size_t i = row_i + c;
                    const double a_m2 = fa[c] * cell_m2;
                    if (density)
                        d_area_row[d_col_of[c + c_off]] += a_m2;
                    // Most cells are rural land without elements: nothing changes there.
                    if (plain && state[i] == 0 && rtype[i] < 0)
                        continue;
                    const std::size_t k = r * sub.cols() + c;
                    const std::size_t grid_col = chunk_col + c + c_off;
                    const double r_m2 = f_rural[k] * cell_m2;
                    double element = 0.0;
                    if (state[i] & (kMasked | kNodata)) {
                        d.rural -= r_m2;
                        if (state[i] & kMasked) {
                            d.masked += r_m2;
                            for (std::size_t g = 0; g < raster_groups.size(); ++g)
                                if (!in_group[g].empty() && in_group[g][i])
                                    d.excl[std::size_t(raster_groups[g])] +=
                                      a_m2 - (has_group[g] ? scratch.f_group[g][k] * cell_m2 : 0.0);
                        } else {
                            d.nodata += r_m2;
                        }
                        for (std::size_t t : owned_types)
                            if (f_owned[t][k] > 0.0)
                                lose(t, grid_row, grid_col, f_owned[t][k] * cell_m2);
                    } else if (rtype[i] >= 0) {
                        const std::size_t rt = std::size_t(rtype[i]);
                        double before = 0.0;
                        for (std::size_t t : owned_types) {
                            const double o = f_owned[t][k] * cell_m2;
                            if (t < rt)
                                before += o;
                            else if (o > 0.0)
                                lose(t, grid_row, grid_col, o);
                        }
                        const double gain = std::max(0.0, r_m2 - before);
                        d.type[rt] += gain;
                        if (gain > 0.0)
                            d.raster_hit[std::size_t(rsource[i])] = 1;
                        element = before + gain;
                    } else {
                        for (std::size_t t : owned_types)
                            element += f_owned[t][k] * cell_m2;
                    }
                    if (density)
                        d_element_row[d_col_of[c + c_off]] += element;
                }
            }

            // Plan quantities in cells the rasters take out of the rural land. A piece of
            // line belongs to the cell holding its midpoint, so chunks never count it twice.
            d.length_lost.assign(n_types, 0.0);
            d.points_lost.resize(n_types);
            if (!plan.empty()) {
                auto removed = [&](double x, double y) {
                    const long gr = frame.row_of(y) - long(chunk_row), gc = frame.col_of(x) - long(chunk_col);
                    if (gr < 0 || gc < 0 || gr >= long(chunk.rows()) || gc >= long(chunk.cols()))
                        return false; // another chunk's cell
                    return (state[std::size_t(gr) * chunk.cols() + std::size_t(gc)] & (kMasked | kNodata)) != 0;
                };
                const Box& box = chunk.extent();
                for (std::size_t t = 0; t < n_types; ++t) {
                    const PlanGeometry& pg = plan[a][t];
                    for (const std::vector<double>& xy : pg.lines)
                        for (std::size_t k = 0; k + 3 < xy.size(); k += 2) {
                            if (std::max(xy[k], xy[k + 2]) < box.xmin || std::min(xy[k], xy[k + 2]) > box.xmax ||
                                std::max(xy[k + 1], xy[k + 3]) < box.ymin ||
                                std::min(xy[k + 1], xy[k + 3]) > box.ymax)
                                continue;
                            walk_segment(frame, box, xy[k], xy[k + 1], xy[k + 2], xy[k + 3],
                                         [&](double len, double x, double y) {
                                             if (removed(x, y))
                                                 d.length_lost[t] += len;
                                         });
                        }
                    for (std::size_t f = 0; f < pg.point_features.size(); ++f)
                        for (const auto& p : pg.point_features[f])
                            if (removed(p[0], p[1])) {
                                ++d.points_lost[t][f];
                                any = true;
                            }
                    any = any || d.length_lost[t] > 0.0;
                }
            }
            if (any)
                out.areas.push_back(std::move(d));
        }

        progress.step();
    };
    tbb::task_arena arena(std::min(in_flight, tbb::this_task_arena::max_concurrency()));
    arena.execute([&] { parallel::for_each_index(chunks.size(), run_chunk); });

    // Merge in chunk order.
    std::vector<AreaDelta> total(n_areas);
    for (std::size_t i = 0; i < n_areas; ++i) {
        total[i].excl.assign(n_groups, 0.0);
        total[i].type.assign(n_types, 0.0);
        total[i].raster_hit.assign(sources.size(), 0);
        total[i].lost_runs.resize(n_types);
        total[i].length_lost.assign(n_types, 0.0);
        total[i].points_lost.resize(n_types);
    }
    result.raster_mask_reports.resize(masks.size());
    result.raster_element_reports.resize(sources.size());
    for (std::size_t m = 0; m < masks.size(); ++m)
        result.raster_mask_reports[m].label = masks[m].label;
    for (std::size_t e = 0; e < sources.size(); ++e)
        result.raster_element_reports[e].label = sources[e].label;
    Raster<double> d_element, d_area;
    if (density) {
        d_element = Raster<double>(density_grid, 0.0);
        d_area = Raster<double>(density_grid, 0.0);
    }
    for (ChunkResult& c : chunk_results) {
        for (AreaDelta& d : c.areas) {
            AreaDelta& t = total[d.area];
            t.rural += d.rural;
            t.masked += d.masked;
            t.nodata += d.nodata;
            for (std::size_t g = 0; g < n_groups; ++g)
                t.excl[g] += d.excl[g];
            for (std::size_t k = 0; k < n_types; ++k) {
                t.type[k] += d.type[k];
                t.length_lost[k] += d.length_lost[k];
                for (const auto& [f, count] : d.points_lost[k])
                    t.points_lost[k][f] += count;
                t.lost_runs[k].insert(t.lost_runs[k].end(), d.lost_runs[k].begin(), d.lost_runs[k].end());
            }
            for (std::size_t e = 0; e < sources.size(); ++e)
                t.raster_hit[e] |= d.raster_hit[e];
        }
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
                d_element(c.d_row0 + r, c.d_col0 + col) += c.d_element[j];
                d_area(c.d_row0 + r, c.d_col0 + col) += c.d_area[j];
            }
        c = ChunkResult();
    }

    // Apply, and cut the lost cells out of the vector types' owned geometry.
    parallel::for_each_index(n_areas, [&](std::size_t i) {
        const geometry::GeosContext& ctx = contexts.local();
        AreaMeasure& m = result.areas[i];
        const AreaDelta& d = total[i];
        m.rural_ha = std::max(0.0, m.rural_ha + d.rural / 1e4);
        m.masked_ha += d.masked / 1e4;
        m.nodata_ha += d.nodata / 1e4;
        for (std::size_t g = 0; g < n_groups; ++g)
            m.excl_ha[g] += d.excl[g] / 1e4;
        m.element_ha = 0.0;
        for (std::size_t t = 0; t < n_types; ++t) {
            m.type_length_m[t] = std::max(0.0, m.type_length_m[t] - d.length_lost[t]);
            // A point feature leaves the count when all its points inside the rural land
            // fall in removed cells.
            for (const auto& [f, count] : d.points_lost[t])
                if (count == plan[i][t].point_features[f].size())
                    --m.type_count[t];
            m.type_ha[t] = std::max(0.0, m.type_ha[t] + d.type[t] / 1e4);
            m.element_ha += m.type_ha[t];
            if (d.lost_runs[t].empty() || m.owned_wkb[t].empty())
                continue;
            std::vector<GeomPtr> boxes;
            std::vector<const GEOSGeometry*> refs;
            for (const auto& run : d.lost_runs[t]) {
                // Each cell edge one way (the next cell's x_left / y_top, not + dx / − dy):
                // on RD New coordinates the two differ by up to 6e-11 m, and the boxes of
                // neighbouring runs left slivers of the owned geometry between them.
                boxes.push_back(geometry::box_polygon(
                  ctx, Box{ frame.x_left(run[1]), frame.y_top(run[0] + 1),
                            frame.x_left(run[2] + 1), frame.y_top(run[0]) }));
                refs.push_back(boxes.back().get());
            }
            const GeomPtr owned = geometry::from_wkb(ctx, m.owned_wkb[t]);
            const GeomPtr kept = geometry::polygonal_part(
              ctx, geometry::difference(ctx, owned.get(), geometry::union_of(ctx, refs).get()).get());
            m.owned_wkb[t] = geometry::is_empty(ctx, kept.get()) ? std::string()
                                                                  : geometry::to_wkb(ctx, kept.get());
        }
        m.targets = evaluate_targets(m.element_ha, m.rural_ha, request.milestones);
    });

    auto list_ids = [](const std::vector<std::string>& ids) {
        std::string list;
        for (std::size_t k = 0; k < ids.size() && k < 10; ++k)
            list += (k ? ", " : "") + ids[k];
        if (ids.size() > 10)
            list += " and " + std::to_string(ids.size() - 10) + " more";
        return list;
    };
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
                                  list_ids(short_of_data) +
                                  "; that land is not counted as rural land (nodata_ha)");

    for (std::size_t e = 0; e < sources.size(); ++e) {
        SourceReport& r = result.raster_element_reports[e];
        if (r.cells_read > 0 && r.valid_cells == 0)
            throw InvalidArgument(sources[e].label + ": has only nodata cells over the areas");
        for (const AreaDelta& d : total)
            if (d.raster_hit[e])
                r.inside_rural_land = true;
        std::vector<std::string> outside;
        for (std::size_t i = 0; i < n_areas; ++i)
            if (!sources[e].grid.extent().contains(area_env[i]) && !area_env[i].empty())
                outside.push_back(result.areas[i].id);
        if (!outside.empty())
            result.warnings.push_back(sources[e].label + ": does not cover the whole of area(s) " +
                                      list_ids(outside) +
                                      "; the part outside the raster counts as nodata");
        if (!r.inside_rural_land)
            result.warnings.push_back(sources[e].label +
                                      ": gives no element cell inside the areas' rural land; "
                                      "its types get 0 ha from it");
    }

    if (density) {
        Raster<float> out(density_grid, 0.0f);
        out.mask().assign(density_grid.size(), 0);
        const double cell = density_grid.cell_area();
        for (std::size_t j = 0; j < density_grid.size(); ++j)
            if (d_area.values()[j] > 0.0) {
                out.values()[j] = float(std::min(1.0, d_element.values()[j] / cell));
                out.mask()[j] = 1;
            }
        result.density = std::move(out);
    }
}

} // namespace landel::analysis::detail
