#include "flats.h"
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
        return beside_outside ? kOutlet : detail::unresolved;
    }

    static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

    std::size_t m_rows, m_cols;
    const std::vector<float>& m_z;
    const std::vector<std::uint8_t>& m_mask;
    std::vector<std::uint8_t>& m_dir;
    double m_inverse_distance[8];
};

} // namespace

Raster<std::uint8_t> flow_directions(const Raster<float>& filled,
                                     const Progress& progress,
                                     std::size_t flat_band_rows)
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
    if (!detail::drain_flats(filled, out.values(), flats, flat_band_rows))
        report_progress(progress, 1.0, "flow directions");
    return out;
}

} // namespace landel::analysis::hydrology
