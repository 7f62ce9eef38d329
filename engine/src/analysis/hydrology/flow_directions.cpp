#include "landel/analysis/hydrology/hydrology.h"
#include "landel/core/error.h"
#include "landel/parallel/for_each_index.h"
#include "landel/parallel/progress_counter.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace landel::analysis::hydrology {

namespace {

/// Marks a cell with no lower neighbour that is not an outlet, until the flats are drained.
constexpr std::uint8_t unresolved = 254;

/// Row blocks of about this many cells are the unit of parallel work and of progress.
constexpr std::size_t cells_per_block = 1 << 16;

class FlowDirector
{
public:
    FlowDirector(const Raster<float>& filled, Raster<std::uint8_t>& out)
      : m_rows(filled.rows())
      , m_cols(filled.cols())
      , m_z(filled.values())
      , m_mask(filled.mask())
      , m_dir(out.values())
    {
        const double dx = filled.grid().dx(), dy = filled.grid().dy();
        const double diagonal = std::hypot(dx, dy);
        for (int d = 0; d < 8; ++d)
            m_inverse_distance[d] = 1.0 / (direction_row_offset[d] == 0   ? dx
                                           : direction_col_offset[d] == 0 ? dy
                                                                          : diagonal);
    }

    /// Steepest descent for the cells of rows [row0, row1): a direction, kOutlet, kNoFlow or
    /// unresolved. Writes only those rows, so blocks run in parallel.
    void descend(std::size_t row0, std::size_t row1)
    {
        for (std::size_t r = row0; r < row1; ++r)
            for (std::size_t c = 0; c < m_cols; ++c)
                m_dir[r * m_cols + c] = descend_cell(r, c);
    }

    /// Gives every unresolved cell a direction across its flat; see drain_flats().
    /// Returns false when there was nothing to do.
    bool drain_flats(const Progress& progress);

private:
    bool valid(std::size_t i) const { return m_mask.empty() || m_mask[i] != 0; }

    /// Neighbour @p d of (r, c), or npos when it lies off the grid.
    std::size_t neighbour(std::size_t r, std::size_t c, int d) const
    {
        const std::size_t nr = r + direction_row_offset[d]; // -1 wraps: caught below
        const std::size_t nc = c + direction_col_offset[d];
        return nr < m_rows && nc < m_cols ? nr * m_cols + nc : npos;
    }

    std::uint8_t descend_cell(std::size_t r, std::size_t c) const
    {
        const std::size_t i = r * m_cols + c;
        if (!valid(i))
            return kNoFlow;
        const float z = m_z[i];
        if (!std::isfinite(z))
            throw InvalidArgument("DEM cell (row " + std::to_string(r) + ", col " +
                                  std::to_string(c) + ") is valid but not finite");
        bool beside_outside = false;
        double steepest = 0.0;
        int best = -1;
        for (int d = 0; d < 8; ++d) {
            const std::size_t j = neighbour(r, c, d);
            if (j == npos || !valid(j)) {
                beside_outside = true;
                continue;
            }
            if (m_z[j] < z) {
                const double slope = (double(z) - double(m_z[j])) * m_inverse_distance[d];
                if (slope > steepest) {
                    steepest = slope;
                    best = d;
                }
            }
        }
        if (best >= 0)
            return std::uint8_t(best);
        return beside_outside ? kOutlet : unresolved;
    }

    /// The flats (drain_flats(), step 1).
    struct Flats
    {
        std::vector<std::uint32_t> label; ///< per cell: its flat, 0 = not part of a flat
        std::vector<std::int32_t> height; ///< per flat: the largest distance a
        std::vector<std::size_t> high_edges, drain_cells;
    };

    Flats label_flats() const;
    void flood_flat(std::size_t start, Flats& flats, std::vector<std::size_t>& stack) const;
    template<class IsNew, class Visit>
    void breadth_first(const std::vector<std::uint32_t>& flat_of,
                       std::vector<std::size_t>& seeds,
                       IsNew&& is_new,
                       Visit&& visit) const;
    std::uint8_t flat_direction(std::size_t r,
                                std::size_t c,
                                const Flats& flats,
                                const std::vector<std::int32_t>& gradient) const;

    static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

    std::size_t m_rows, m_cols;
    const std::vector<float>& m_z;
    const std::vector<std::uint8_t>& m_mask;
    std::vector<std::uint8_t>& m_dir;
    double m_inverse_distance[8];
};

/// Barnes, Lehman & Mulla (2014), in three breadth-first passes over the flats:
/// 1. label each flat (8-connected unresolved cells of one elevation) and collect its high
///    edges (cells beside higher terrain) and its drain cells (cells beside a cell of the same
///    elevation that already drains: the flat's low edge);
/// 2. away from higher terrain: distance a from the high edges, turned around per flat into
///    h - a (h: the flat's largest distance), high next to the rim, 0 far from it;
/// 3. towards lower terrain: distance t from the low edge, combined as 2t + (h - a).
/// Between neighbours in a flat both distances change by at most 1, so every cell has a
/// neighbour with a combined value at least 1 lower (the one a step closer to the low edge):
/// following the lowest neighbour never cycles and ends at the low edge.
bool FlowDirector::drain_flats(const Progress& progress)
{
    const std::size_t n = m_rows * m_cols;
    if (std::find(m_dir.begin(), m_dir.end(), unresolved) == m_dir.end())
        return false;
    const auto report = [&](double fraction) {
        report_progress(progress, fraction, "flow directions: flats");
    };

    // 1. The flats, their high edges and drain cells.
    Flats flats = label_flats();
    const std::vector<std::uint32_t>& label = flats.label;
    report(0.4);

    // 2. Away from higher terrain.
    std::vector<std::int32_t> gradient(n, 0);
    breadth_first(
      label,
      flats.high_edges,
      [&](std::size_t j) { return gradient[j] == 0; },
      [&](std::size_t i, std::int32_t a) {
          gradient[i] = a;
          flats.height[label[i]] = std::max(flats.height[label[i]], a);
      });
    report(0.6);

    // Stores -(h - a) - 1 (always negative: not yet reached from the low edge); flats without
    // high edges (a = 0 everywhere) contribute nothing.
    for (std::size_t i = 0; i < n; ++i)
        if (label[i] != 0)
            gradient[i] = -(gradient[i] > 0 ? flats.height[label[i]] - gradient[i] : 0) - 1;

    // 3. Towards lower terrain.
    breadth_first(
      label,
      flats.drain_cells,
      [&](std::size_t j) { return gradient[j] < 0; },
      [&](std::size_t i, std::int32_t t) { gradient[i] = 2 * t + (-gradient[i] - 1); });
    report(0.8);

    // Reads labels and gradients only, and writes only its own cells: rows run in parallel.
    const std::size_t block_rows = std::max<std::size_t>(cells_per_block / m_cols, 1);
    parallel::for_each_index((m_rows + block_rows - 1) / block_rows, [&](std::size_t b) {
        const std::size_t row1 = std::min(m_rows, (b + 1) * block_rows);
        for (std::size_t r = b * block_rows; r < row1; ++r)
            for (std::size_t c = 0; c < m_cols; ++c)
                if (label[r * m_cols + c] != 0)
                    m_dir[r * m_cols + c] = flat_direction(r, c, flats, gradient);
    });
    report(1.0);
    return true;
}

/// Step 1 of drain_flats(): labels every flat.
FlowDirector::Flats FlowDirector::label_flats() const
{
    Flats flats;
    flats.label.assign(m_rows * m_cols, 0);
    flats.height.assign(1, 0);
    std::vector<std::size_t> stack;
    for (std::size_t start = 0; start < flats.label.size(); ++start) {
        if (m_dir[start] != unresolved || flats.label[start] != 0)
            continue;
        if (flats.height.size() > std::numeric_limits<std::uint32_t>::max())
            throw Error("flow directions: more than 2^32 flats");
        flood_flat(start, flats, stack);
    }
    return flats;
}

/// Labels the flat holding @p start (a new label), collecting its high edges and drain cells.
void FlowDirector::flood_flat(std::size_t start,
                              Flats& flats,
                              std::vector<std::size_t>& stack) const
{
    const auto flat = std::uint32_t(flats.height.size());
    flats.height.push_back(0);
    const float z = m_z[start];
    std::vector<std::uint32_t>& label = flats.label;
    label[start] = flat;
    stack.push_back(start);
    while (!stack.empty()) {
        const std::size_t i = stack.back();
        stack.pop_back();
        const std::size_t r = i / m_cols, c = i % m_cols;
        bool high_edge = false, drain = false;
        for (int d = 0; d < 8; ++d) {
            const std::size_t j = neighbour(r, c, d);
            if (j == npos || !valid(j))
                continue; // cannot happen: such a cell would be an outlet
            if (m_z[j] > z) {
                high_edge = true;
            } else if (m_dir[j] != unresolved) {
                drain = true; // no lower neighbour, so m_z[j] == z
            } else if (label[j] == 0) {
                label[j] = flat;
                stack.push_back(j);
            }
        }
        if (high_edge)
            flats.high_edges.push_back(i);
        if (drain)
            flats.drain_cells.push_back(i);
    }
}

/// Breadth-first from @p seeds through the cells of their own flats (only unresolved cells
/// carry a label): visit(cell, distance) marks the seeds at distance 1, then every cell for
/// which is_new(cell) holds, one distance further per ring.
template<class IsNew, class Visit>
void FlowDirector::breadth_first(const std::vector<std::uint32_t>& flat_of,
                                 std::vector<std::size_t>& seeds,
                                 IsNew&& is_new,
                                 Visit&& visit) const
{
    // Distances stay far below this on any real DEM; the guard keeps 2t + h within int32.
    constexpr std::int32_t max_distance = 1 << 29;
    std::vector<std::size_t> next;
    std::int32_t distance = 1;
    for (std::size_t i : seeds)
        visit(i, distance);
    while (!seeds.empty()) {
        if (++distance > max_distance)
            throw Error("flow directions: a flat is too long to drain");
        for (std::size_t i : seeds) {
            const std::size_t r = i / m_cols, c = i % m_cols;
            const std::uint32_t flat = flat_of[i];
            for (int d = 0; d < 8; ++d) {
                const std::size_t j = neighbour(r, c, d);
                if (j == npos || flat_of[j] != flat || !is_new(j))
                    continue;
                visit(j, distance);
                next.push_back(j);
            }
        }
        seeds.swap(next);
        next.clear();
    }
    seeds.shrink_to_fit();
}

/// The direction of flat cell (@p r, @p c): towards its neighbour in the flat with the
/// lowest positive combined gradient, or the low edge itself; kOutlet for a flat with no way
/// out (the DEM was not filled).
std::uint8_t FlowDirector::flat_direction(std::size_t r,
                                          std::size_t c,
                                          const Flats& flats,
                                          const std::vector<std::int32_t>& gradient) const
{
    const std::size_t i = r * m_cols + c;
    if (gradient[i] <= 0)
        return kOutlet;
    const std::vector<std::uint32_t>& label = flats.label;
    std::int32_t lowest = gradient[i];
    int best = -1;
    for (int d = 0; d < 8; ++d) {
        const std::size_t j = neighbour(r, c, d);
        if (j == npos || !valid(j) || m_z[j] != m_z[i])
            continue;
        // A cell of the same elevation outside the flats is the low edge.
        const std::int32_t g = label[j] == 0 ? 0 : gradient[j];
        if (label[j] == 0 || (g > 0 && g < lowest)) {
            lowest = g;
            best = d;
            if (g == 0)
                break;
        }
    }
    return std::uint8_t(best); // best >= 0: see the comment of drain_flats()
}

} // namespace

Raster<std::uint8_t> flow_directions(const Raster<float>& filled, const Progress& progress)
{
    const Grid& grid = filled.grid();
    if (!filled.mask().empty() && filled.mask().size() != grid.size())
        throw InvalidArgument("DEM mask has " + std::to_string(filled.mask().size()) +
                              " cells, its grid " + std::to_string(grid.size()));
    Raster<std::uint8_t> out(grid, kNoFlow);
    out.mask() = filled.mask();
    if (grid.empty())
        return out;

    FlowDirector director(filled, out);
    const std::size_t block_rows = std::max<std::size_t>(cells_per_block / grid.cols(), 1);
    const std::size_t blocks = (grid.rows() + block_rows - 1) / block_rows;
    {
        // The flats' pass reports the second half of the progress.
        parallel::ProgressCounter counter(progress, 0.0, 0.5, blocks, "flow directions");
        parallel::for_each_index(blocks, [&](std::size_t b) {
            director.descend(b * block_rows, std::min(grid.rows(), (b + 1) * block_rows));
            counter.step();
        });
    }
    const Progress flats =
      progress
        ? Progress([&](double f, std::string_view stage) { return progress(0.5 + 0.5 * f, stage); })
        : Progress();
    if (!director.drain_flats(flats))
        report_progress(progress, 1.0, "flow directions");
    return out;
}

} // namespace landel::analysis::hydrology
