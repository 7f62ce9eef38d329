// One chunk of the raster pass (raster_pass.cpp): its cells read from every raster, then per
// area in it the changes the cells make to the area's figures.

#include "raster_chunk.h"
#include "segment_cells.h"

#include "landel/geometry/ops.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <tuple>
#include <utility>

namespace landel::analysis::detail {

RingSet ring_set(const geometry::GeosContext& ctx, const GEOSGeometry* g)
{
    RingSet out;
    if (!g || geometry::is_empty(ctx, g))
        return out;
    out.rings = coverage_rings(ctx, g);
    out.env = geometry::envelope(ctx, g);
    return out;
}

AreaDelta::AreaDelta(std::size_t area_, std::size_t groups, std::size_t types, std::size_t sources)
  : area(area_)
  , excl(groups, 0.0)
  , type(types, 0.0)
  , raster_hit(sources, 0)
  , lost_runs(types)
  , length_lost(types, 0.0)
  , points_lost(types)
{
}

void AreaDelta::lose(std::size_t t, std::size_t row, std::size_t col, double m2)
{
    type[t] -= m2;
    auto& runs = lost_runs[t];
    if (!runs.empty() && runs.back()[0] == row && runs.back()[2] + 1 == col)
        runs.back()[2] = col;
    else
        runs.push_back({ row, col, col });
}

void AreaDelta::add(const AreaDelta& d)
{
    rural += d.rural;
    masked += d.masked;
    nodata += d.nodata;
    for (std::size_t g = 0; g < excl.size(); ++g)
        excl[g] += d.excl[g];
    for (std::size_t k = 0; k < type.size(); ++k) {
        type[k] += d.type[k];
        length_lost[k] += d.length_lost[k];
        for (const auto& [f, count] : d.points_lost[k])
            points_lost[k][f] += count;
        lost_runs[k].insert(lost_runs[k].end(), d.lost_runs[k].begin(), d.lost_runs[k].end());
    }
    for (std::size_t e = 0; e < raster_hit.size(); ++e)
        raster_hit[e] |= d.raster_hit[e];
}

ClassReader& LayerReaders::operator()(std::size_t k)
{
    auto& mine = m_readers.local();
    if (mine.empty())
        mine.resize(m_layers.size());
    if (!mine[k])
        mine[k] = m_layers[k]->open();
    return *mine[k];
}

namespace {

/// Cell states on one chunk.
constexpr std::uint8_t kMasked = 1, kNodata = 2;

/// Reads a chunk's windows through a cache, so a file serving several layers is read once.
class ChunkWindows
{
public:
    ChunkWindows(const PassPlan& pass, LayerReaders& readers)
      : m_pass(pass)
      , m_readers(readers)
    {
    }
    const Raster<std::int32_t>& read(std::size_t k, const Sampling& s)
    {
        const std::string& key = m_pass.layers[k]->dataset_key;
        const std::pair<std::string, std::size_t> id{ key, key.empty() ? k : 0 };
        auto it = m_cache.find(id);
        if (it == m_cache.end() || !it->second.grid().compatible_with(s.window) ||
            it->second.grid().size() != s.window.size())
            it = m_cache.insert_or_assign(id, m_readers(k).read(s.window)).first;
        return it->second;
    }

private:
    const PassPlan& m_pass;
    LayerReaders& m_readers;
    std::map<std::pair<std::string, std::size_t>, Raster<std::int32_t>> m_cache;
};

/// Step 1 of a chunk: the state of its cells from the raster masks (masked, and the groups
/// masking them) and from the element rasters (nodata; the earliest type and its source).
void read_cell_states(const PassPlan& pass,
                      const Grid& chunk,
                      LayerReaders& readers,
                      Scratch& scratch,
                      ChunkResult& out)
{
    const auto& masks = pass.request.raster_masks;
    const auto& sources = pass.request.raster_sources;
    const std::size_t cells = chunk.size();
    out.masks.resize(masks.size());
    out.elements.resize(sources.size());
    ChunkWindows windows(pass, readers);

    std::vector<std::uint8_t>& state = scratch.state;
    std::vector<std::int16_t>& rtype = scratch.rtype;
    std::vector<std::int16_t>& rsource = scratch.rsource;
    state.assign(cells, 0);
    rtype.assign(cells, -1);
    rsource.assign(cells, -1);
    std::vector<std::vector<std::uint8_t>>& in_group = scratch.in_group;
    in_group.resize(pass.raster_groups.size());
    for (auto& g : in_group)
        g.clear();
    for (std::size_t m = 0; m < masks.size(); ++m) {
        const Sampling s = sampling_for(masks[m].grid, chunk);
        const Raster<std::int32_t>& data = windows.read(m, s);
        std::vector<std::uint8_t>* group = nullptr;
        for (std::size_t k = 0; k < pass.raster_groups.size(); ++k)
            if (pass.raster_groups[k] == masks[m].group) {
                if (in_group[k].empty())
                    in_group[k].assign(cells, 0);
                group = &in_group[k];
            }
        std::uint64_t valid_cells = 0;
        for_each_sample(s, data, chunk, [&](std::size_t i, std::int32_t code, bool valid) {
            if (!valid)
                return; // a mask's nodata excludes nothing
            ++valid_cells;
            if (pass.mask_classes[m].get(code) > 0) {
                state[i] |= kMasked;
                if (group)
                    (*group)[i] = 1;
            }
        });
        out.masks[m].read += cells;
        out.masks[m].valid += valid_cells;
    }
    for (std::size_t e = 0; e < sources.size(); ++e) {
        const Sampling s = sampling_for(sources[e].grid, chunk);
        const Raster<std::int32_t>& data = windows.read(masks.size() + e, s);
        std::uint64_t valid_cells = 0;
        for_each_sample(s, data, chunk, [&](std::size_t i, std::int32_t code, bool valid) {
            if (!valid) {
                state[i] |= kNodata;
                return;
            }
            ++valid_cells;
            const int t = pass.element_types[e].get(code);
            if (t >= 0 && (rtype[i] < 0 || t < rtype[i])) {
                rtype[i] = std::int16_t(t);
                rsource[i] = std::int16_t(e);
            }
        });
        out.elements[e].read += cells;
        out.elements[e].valid += valid_cells;
    }
}

/// Step 2 of a chunk: the density cells it touches, zeroed; per chunk column, its density
/// column (empty without a density raster).
std::vector<std::size_t> density_window(const PassPlan& pass,
                                        const Grid& chunk,
                                        std::size_t chunk_row,
                                        std::size_t chunk_col,
                                        ChunkResult& out)
{
    std::vector<std::size_t> d_col_of;
    if (!pass.density)
        return d_col_of;
    out.d_row0 = chunk_row / pass.ky;
    out.d_col0 = chunk_col / pass.kx;
    out.d_rows = (chunk_row + chunk.rows() - 1) / pass.ky - out.d_row0 + 1;
    out.d_cols = (chunk_col + chunk.cols() - 1) / pass.kx - out.d_col0 + 1;
    out.d_element.assign(out.d_rows * out.d_cols, 0);
    out.d_covered.assign(out.d_rows * out.d_cols, 0);
    d_col_of.resize(chunk.cols());
    for (std::size_t c = 0; c < chunk.cols(); ++c)
        d_col_of[c] = (chunk_col + c) / pass.kx - out.d_col0;
    return d_col_of;
}

/// One area's cells in one chunk: the coverage fractions of its vector results on the part
/// of the chunk it covers, and the changes its cells make.
using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double>(to - from).count();
}

class AreaCells
{
public:
    AreaCells(const PassPlan& pass,
              const Grid& chunk,
              std::size_t area,
              Scratch& scratch,
              ChunkResult& out)
      : m_pass(pass)
      , m_chunk(chunk)
      , m_shapes(pass.shapes[area])
      , m_sub(chunk.crop(m_shapes.area.env))
      , m_scratch(scratch)
      , m_out(out)
      , m_delta(area, pass.n_groups, pass.n_types, pass.request.raster_sources.size())
    {
        std::tie(m_chunk_row, m_chunk_col) = offset_in(pass.frame, chunk);
    }

    /// Measures the area's cells; false when the area misses the chunk's cells or they
    /// change nothing.
    bool measure(const std::vector<std::size_t>& d_col_of)
    {
        if (m_sub.empty())
            return false;
        const auto start = Clock::now();
        coverage();
        const auto covered = Clock::now();
        const bool cells = measure_cells(d_col_of);
        const bool plan = count_plan_losses();
        m_out.coverage_s += seconds(start, covered);
        m_out.cells_s += seconds(covered, Clock::now());
        ++m_out.coverage_passes;
        return cells || plan;
    }

    AreaDelta& delta() { return m_delta; }

private:
    /// Step 3a: coverage fractions of the area, its rural land, the vector types' owned
    /// geometry and the groups' vector masks on the area's part of the chunk.
    void coverage()
    {
        Scratch& s = m_scratch;
        coverage_fractions(m_shapes.area.rings, m_sub, s.f_area, s.work);
        if (!m_shapes.rural_is_area)
            coverage_fractions(m_shapes.rural.rings, m_sub, s.f_rural, s.work);
        s.f_owned.resize(m_pass.n_types);
        for (std::size_t t = 0; t < m_pass.n_types; ++t) {
            const RingSet& owned = m_shapes.owned[t];
            if (!owned.rings.empty() && owned.env.intersects(m_sub.extent())) {
                coverage_fractions(owned.rings, m_sub, s.f_owned[t], s.work);
                m_owned_types.push_back(t);
            }
        }
        s.f_group.resize(m_pass.raster_groups.size());
        m_has_group.assign(m_pass.raster_groups.size(), 0);
        for (std::size_t k = 0; k < m_pass.raster_groups.size(); ++k) {
            const RingSet& g = m_shapes.group[std::size_t(m_pass.raster_groups[k])];
            if (!g.rings.empty() && g.env.intersects(m_sub.extent())) {
                coverage_fractions(g.rings, m_sub, s.f_group[k], s.work);
                m_has_group[k] = 1;
            }
        }
    }

    /// Step 3b: cell by cell, the changes to the area's figures and the density sums; true
    /// when the area covers any cell.
    bool measure_cells(const std::vector<std::size_t>& d_col_of)
    {
        const auto [r_off, c_off] = offset_in(m_chunk, m_sub);
        const std::vector<double>& f_area = m_scratch.f_area;
        const std::vector<std::uint8_t>& state = m_scratch.state;
        const std::vector<std::int16_t>& rtype = m_scratch.rtype;
        const double cell_m2 = m_chunk.cell_area();
        const bool plain = m_owned_types.empty(); // no vector element geometry here
        bool any = false;
        for (std::size_t r = 0; r < m_sub.rows(); ++r) {
            const double* fa = f_area.data() + r * m_sub.cols();
            const std::size_t row_i = (r + r_off) * m_chunk.cols() + c_off;
            const std::size_t grid_row = m_chunk_row + r + r_off;
            std::int64_t* d_covered_row = density_row(m_out.d_covered, grid_row);
            std::int64_t* d_element_row = density_row(m_out.d_element, grid_row);
            for (std::size_t c = 0; c < m_sub.cols(); ++c) {
                if (fa[c] == 0.0)
                    continue;
                any = true;
                const std::size_t i = row_i + c;
                const double a_m2 = fa[c] * cell_m2;
                if (m_pass.density)
                    ++d_covered_row[d_col_of[c + c_off]];
                // Most cells are rural land without elements: nothing changes there.
                if (plain && state[i] == 0 && rtype[i] < 0)
                    continue;
                const std::size_t k = r * m_sub.cols() + c;
                const double element = cell(i, k, grid_row, m_chunk_col + c + c_off, a_m2);
                if (m_pass.density)
                    d_element_row[d_col_of[c + c_off]] += m_pass.density_counts(element);
            }
        }
        return any;
    }

    /// The row of density sums @p sums holding analysis row @p grid_row; null without a
    /// density raster.
    std::int64_t* density_row(std::vector<std::int64_t>& sums, std::size_t grid_row) const
    {
        if (!m_pass.density)
            return nullptr;
        return sums.data() + (grid_row / m_pass.ky - m_out.d_row0) * m_out.d_cols;
    }

    /// The changes analysis cell (@p grid_row, @p grid_col), index @p i in the chunk and
    /// @p k in the area's part, makes; @p a_m2 is the area's m² in it. Returns the element
    /// m² the cell keeps.
    double cell(std::size_t i,
                std::size_t k,
                std::size_t grid_row,
                std::size_t grid_col,
                double a_m2)
    {
        const double cell_m2 = m_chunk.cell_area();
        const double r_m2 =
          (m_shapes.rural_is_area ? m_scratch.f_area : m_scratch.f_rural)[k] * cell_m2;
        const std::uint8_t state = m_scratch.state[i];
        if (state & (kMasked | kNodata)) {
            m_delta.rural -= r_m2;
            if (state & kMasked) {
                m_delta.masked += r_m2;
                add_group_exclusions(i, k, a_m2);
            } else {
                m_delta.nodata += r_m2;
            }
            for (std::size_t t : m_owned_types)
                if (f_owned(t, k) > 0.0)
                    m_delta.lose(t, grid_row, grid_col, f_owned(t, k) * cell_m2);
            return 0.0;
        }
        double element = 0.0;
        if (m_scratch.rtype[i] >= 0) {
            // The cell's raster type takes its rural land minus what vector types ranked
            // before it own; vector types ranked after it lose what they own.
            const std::size_t rt = std::size_t(m_scratch.rtype[i]);
            double before = 0.0;
            for (std::size_t t : m_owned_types) {
                const double o = f_owned(t, k) * cell_m2;
                if (t < rt)
                    before += o;
                else if (o > 0.0)
                    m_delta.lose(t, grid_row, grid_col, o);
            }
            const double gain = std::max(0.0, r_m2 - before);
            m_delta.type[rt] += gain;
            if (gain > 0.0)
                m_delta.raster_hit[std::size_t(m_scratch.rsource[i])] = 1;
            return before + gain;
        }
        for (std::size_t t : m_owned_types)
            element += f_owned(t, k) * cell_m2;
        return element;
    }

    /// A masked cell: each group masking it by raster excludes the area's part of the cell
    /// beyond what that group's vector masks already cover.
    void add_group_exclusions(std::size_t i, std::size_t k, double a_m2)
    {
        const std::vector<int>& groups = m_pass.raster_groups;
        const double cell_m2 = m_chunk.cell_area();
        for (std::size_t g = 0; g < groups.size(); ++g) {
            const std::vector<std::uint8_t>& in_group = m_scratch.in_group[g];
            if (in_group.empty() || !in_group[i])
                continue;
            m_delta.excl[std::size_t(groups[g])] +=
              a_m2 - (m_has_group[g] ? m_scratch.f_group[g][k] * cell_m2 : 0.0);
        }
    }

    double f_owned(std::size_t t, std::size_t k) const { return m_scratch.f_owned[t][k]; }

    /// Whether the point (@p x, @p y) lies in a cell of this chunk that the rasters take out
    /// of the rural land (cells of other chunks are theirs to count).
    bool removed(double x, double y) const
    {
        const long gr = m_pass.frame.row_of(y) - long(m_chunk_row);
        const long gc = m_pass.frame.col_of(x) - long(m_chunk_col);
        if (gr < 0 || gc < 0 || gr >= long(m_chunk.rows()) || gc >= long(m_chunk.cols()))
            return false;
        const std::uint8_t state =
          m_scratch.state[std::size_t(gr) * m_chunk.cols() + std::size_t(gc)];
        return (state & (kMasked | kNodata)) != 0;
    }

    /// Step 3c: plan quantities in cells the rasters take out of the rural land. A piece of
    /// line belongs to the cell holding its midpoint, so chunks never count it twice. True
    /// when any is lost.
    bool count_plan_losses()
    {
        if (m_pass.plan.empty())
            return false;
        bool any = false;
        for (std::size_t t = 0; t < m_pass.n_types; ++t) {
            const PlanGeometry& pg = m_pass.plan[m_delta.area][t];
            for (const std::vector<double>& xy : pg.lines)
                add_removed_length(xy, m_delta.length_lost[t]);
            for (std::size_t f = 0; f < pg.point_features.size(); ++f)
                for (const auto& p : pg.point_features[f])
                    if (removed(p[0], p[1])) {
                        ++m_delta.points_lost[t][f];
                        any = true;
                    }
            any = any || m_delta.length_lost[t] > 0.0;
        }
        return any;
    }

    /// Adds to @p lost the length of line @p xy (x, y, x, y...) in removed cells.
    void add_removed_length(const std::vector<double>& xy, double& lost) const
    {
        const Box& box = m_chunk.extent();
        for (std::size_t k = 0; k + 3 < xy.size(); k += 2) {
            if (std::max(xy[k], xy[k + 2]) < box.xmin || std::min(xy[k], xy[k + 2]) > box.xmax ||
                std::max(xy[k + 1], xy[k + 3]) < box.ymin ||
                std::min(xy[k + 1], xy[k + 3]) > box.ymax)
                continue;
            walk_segment(m_pass.frame,
                         box,
                         xy[k],
                         xy[k + 1],
                         xy[k + 2],
                         xy[k + 3],
                         [&](double len, double x, double y) {
                             if (removed(x, y))
                                 lost += len;
                         });
        }
    }

    const PassPlan& m_pass;
    const Grid& m_chunk;
    const AreaShapes& m_shapes;
    const Grid m_sub; ///< the chunk's cells the area's envelope meets
    Scratch& m_scratch;
    ChunkResult& m_out;
    AreaDelta m_delta;
    std::size_t m_chunk_row = 0, m_chunk_col = 0; ///< the chunk's offset in the frame
    std::vector<std::size_t> m_owned_types;       ///< vector types with owned geometry here
    std::vector<char> m_has_group;                ///< per raster group: vector mask geometry here
};

} // namespace

ChunkResult measure_chunk(const PassPlan& pass,
                          const geometry::BoxIndex& area_index,
                          const Grid& chunk,
                          LayerReaders& readers,
                          Scratch& scratch)
{
    ChunkResult out;
    const auto start = Clock::now();
    read_cell_states(pass, chunk, readers, scratch, out);
    out.read_s = seconds(start, Clock::now());
    const auto [chunk_row, chunk_col] = offset_in(pass.frame, chunk);
    const std::vector<std::size_t> d_col_of =
      density_window(pass, chunk, chunk_row, chunk_col, out);
    for (std::size_t a : area_index.query(chunk.extent())) {
        AreaCells cells(pass, chunk, a, scratch, out);
        if (cells.measure(d_col_of))
            out.areas.push_back(std::move(cells.delta()));
    }
    return out;
}

} // namespace landel::analysis::detail
