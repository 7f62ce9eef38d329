#include "landel/analysis/hydrology/hydrology.h"
#include "landel/core/error.h"
#include "landel/parallel/for_each_index.h"
#include "landel/parallel/progress_counter.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <string>

namespace landel::analysis::hydrology {

namespace {

/// Row blocks of about this many cells are the unit of parallel work and of progress.
constexpr std::size_t cells_per_block = 1 << 16;

/// In-degree value of a cell nothing flows into: walks start there. It cannot be confused with
/// a counter that a walk brought down to 0.
constexpr std::uint8_t source = 0xff;

class Accumulator
{
public:
    static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

    Accumulator(const Raster<std::uint8_t>& directions, Raster<double>& out)
      : m_rows(directions.rows())
      , m_cols(directions.cols())
      , m_dir(directions.values())
      , m_mask(directions.mask())
      , m_acc(out.values())
      , m_inflows(m_rows * m_cols)
    {
    }

    /// Checks the codes and counts each cell's inflows, for rows [row0, row1).
    void count_inflows(std::size_t row0, std::size_t row1)
    {
        for (std::size_t r = row0; r < row1; ++r)
            for (std::size_t c = 0; c < m_cols; ++c) {
                const std::size_t i = r * m_cols + c;
                const std::uint8_t d = m_dir[i];
                if (d > kOutlet && d != kNoFlow)
                    throw InvalidArgument("flow direction " + std::to_string(int(d)) + " at (row " +
                                          std::to_string(r) + ", col " + std::to_string(c) +
                                          ") is not a D8 code");
                if (!valid(i)) {
                    m_inflows[i].store(0, std::memory_order_relaxed);
                    continue;
                }
                int inflows = 0;
                for (int k = 0; k < 8; ++k)
                    inflows += upstream(r, c, k) != npos;
                m_inflows[i].store(inflows == 0 ? source : std::uint8_t(inflows),
                                   std::memory_order_relaxed);
            }
    }

    /// Starts a walk at every source in rows [row0, row1); returns the cells the walks summed.
    std::size_t walk_from_sources(std::size_t row0, std::size_t row1)
    {
        std::size_t summed = 0;
        for (std::size_t i = row0 * m_cols; i < row1 * m_cols; ++i) {
            if (m_inflows[i].load(std::memory_order_relaxed) != source)
                continue;
            std::size_t cell = i;
            for (;;) {
                sum_upstream(cell);
                ++summed;
                const std::size_t next = downstream(cell);
                // Only the walk delivering a cell's last inflow goes on; acq_rel makes the
                // sums of every earlier inflow, written by other threads, visible to it.
                if (next == npos || m_inflows[next].fetch_sub(1, std::memory_order_acq_rel) != 1)
                    break;
                cell = next;
            }
        }
        return summed;
    }

    bool valid(std::size_t i) const
    {
        return m_dir[i] != kNoFlow && (m_mask.empty() || m_mask[i] != 0);
    }

private:
    /// The cell a valid cell drains into, or npos when its flow ends (outlet, off the grid,
    /// into nodata).
    std::size_t downstream(std::size_t i) const
    {
        const std::uint8_t d = m_dir[i];
        if (d >= kOutlet)
            return npos;
        const std::size_t r = i / m_cols + direction_row_offset[d]; // -1 wraps: caught below
        const std::size_t c = i % m_cols + direction_col_offset[d];
        if (r >= m_rows || c >= m_cols || !valid(r * m_cols + c))
            return npos;
        return r * m_cols + c;
    }

    /// Neighbour @p k of (r, c) when it is valid and drains into (r, c), else npos.
    std::size_t upstream(std::size_t r, std::size_t c, int k) const
    {
        const std::size_t nr = r + direction_row_offset[k];
        const std::size_t nc = c + direction_col_offset[k];
        if (nr >= m_rows || nc >= m_cols)
            return npos;
        const std::size_t j = nr * m_cols + nc;
        return valid(j) && m_dir[j] == (k + 4) % 8 ? j : npos;
    }

    /// Called once every upstream neighbour is final: pulling their values means each cell
    /// is written exactly once, by one thread, and needs no atomic floating-point add.
    void sum_upstream(std::size_t i)
    {
        const std::size_t r = i / m_cols, c = i % m_cols;
        double total = 1.0;
        for (int k = 0; k < 8; ++k) {
            const std::size_t j = upstream(r, c, k);
            if (j != npos)
                total += m_acc[j];
        }
        m_acc[i] = total;
    }

    std::size_t m_rows, m_cols;
    const std::vector<std::uint8_t>& m_dir;
    const std::vector<std::uint8_t>& m_mask;
    std::vector<double>& m_acc;
    std::vector<std::atomic<std::uint8_t>> m_inflows;
};

} // namespace

Raster<double> flow_accumulation(const Raster<std::uint8_t>& directions, const Progress& progress)
{
    const Grid& grid = directions.grid();
    if (!directions.mask().empty() && directions.mask().size() != grid.size())
        throw InvalidArgument("flow direction mask has " +
                              std::to_string(directions.mask().size()) + " cells, its grid " +
                              std::to_string(grid.size()));
    Raster<double> out(grid, 0.0);
    out.mask() = directions.mask();
    if (grid.empty())
        return out;

    Accumulator accumulator(directions, out);
    const std::size_t block_rows = std::max<std::size_t>(cells_per_block / grid.cols(), 1);
    const std::size_t blocks = (grid.rows() + block_rows - 1) / block_rows;
    const auto rows_of = [&](std::size_t b) {
        return std::make_pair(b * block_rows, std::min(grid.rows(), (b + 1) * block_rows));
    };
    {
        parallel::ProgressCounter counter(progress, 0.0, 0.2, blocks, "flow accumulation");
        parallel::for_each_index(blocks, [&](std::size_t b) {
            const auto [row0, row1] = rows_of(b);
            accumulator.count_inflows(row0, row1);
            counter.step();
        });
    }
    // Per block, so the total does not depend on which thread ran what.
    std::vector<std::size_t> summed(blocks, 0);
    {
        parallel::ProgressCounter counter(progress, 0.2, 1.0, blocks, "flow accumulation");
        parallel::for_each_index(blocks, [&](std::size_t b) {
            const auto [row0, row1] = rows_of(b);
            summed[b] = accumulator.walk_from_sources(row0, row1);
            counter.step();
        });
    }
    std::size_t total = 0, valid = 0;
    for (std::size_t s : summed)
        total += s;
    for (std::size_t i = 0; i < grid.size(); ++i)
        valid += accumulator.valid(i);
    // A cell on a cycle never receives its last inflow, so no walk reaches it.
    if (total != valid)
        throw InvalidArgument("flow directions contain a cycle: " + std::to_string(valid - total) +
                              " cells never drain to an outlet");
    return out;
}

} // namespace landel::analysis::hydrology
