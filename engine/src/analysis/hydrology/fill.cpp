#include "flood_queue.h"
#include "landel/analysis/hydrology/hydrology.h"
#include "landel/core/error.h"
#include "tiled_fill.h"

#include <cmath>
#include <deque>
#include <limits>
#include <queue>
#include <string>

namespace landel::analysis::hydrology {

namespace {

void check_mask(const Raster<float>& dem)
{
    if (!dem.mask().empty() && dem.mask().size() != dem.grid().size())
        throw InvalidArgument("DEM mask has " + std::to_string(dem.mask().size()) +
                              " cells, its grid " + std::to_string(dem.grid().size()));
}

/// Every valid cell finite (the serial flood checks while seeding; the tiles need it first,
/// so that the error names the same cell).
void check_finite(const Raster<float>& dem)
{
    const std::vector<float>& z = dem.values();
    const std::vector<std::uint8_t>& mask = dem.mask();
    for (std::size_t i = 0; i < z.size(); ++i)
        if ((mask.empty() || mask[i] != 0) && !std::isfinite(z[i]))
            throw InvalidArgument("DEM cell (row " + std::to_string(i / dem.cols()) + ", col " +
                                  std::to_string(i % dem.cols()) + ") is valid but not finite");
}

template<class Index>
void priority_flood(Raster<float>& out, const Progress& progress)
{
    const std::size_t rows = out.rows(), cols = out.cols(), n = rows * cols;
    std::vector<float>& z = out.values();
    const std::vector<std::uint8_t>& mask = out.mask();
    const auto valid = [&](std::size_t i) { return mask.empty() || mask[i] != 0; };

    // Nodata cells start closed: the flood never enters a hole, it starts beside it.
    std::vector<std::uint8_t> closed(n, 0);
    if (!mask.empty())
        for (std::size_t i = 0; i < n; ++i)
            closed[i] = mask[i] == 0;

    using Cell = detail::QueuedCell<Index>;
    detail::FloodQueue<Index> open;
    std::deque<Index> raised; // cells brought up to the spill level: all equal, FIFO suffices

    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
            const std::size_t i = r * cols + c;
            if (!valid(i))
                continue;
            if (!std::isfinite(z[i]))
                throw InvalidArgument("DEM cell (row " + std::to_string(r) + ", col " +
                                      std::to_string(c) + ") is valid but not finite");
            bool seed = r == 0 || c == 0 || r + 1 == rows || c + 1 == cols;
            for (int d = 0; d < 8 && !seed; ++d) {
                const std::size_t j =
                  (r + direction_row_offset[d]) * cols + (c + direction_col_offset[d]);
                seed = !valid(j);
            }
            if (seed) {
                closed[i] = 1;
                open.push(Cell{ z[i], Index(i) });
            }
        }

    const std::size_t report_every = std::max<std::size_t>(n / 100, 1);
    std::size_t done = 0;
    while (!open.empty() || !raised.empty()) {
        const std::size_t i = detail::next_cell(open, raised);
        const std::size_t r = i / cols, c = i % cols;
        for (int d = 0; d < 8; ++d) {
            const std::size_t nr = r + direction_row_offset[d];
            const std::size_t nc = c + direction_col_offset[d];
            if (nr >= rows || nc >= cols) // unsigned: -1 wraps to a huge value
                continue;
            const std::size_t j = nr * cols + nc;
            if (closed[j])
                continue;
            closed[j] = 1;
            if (z[j] <= z[i]) {
                z[j] = z[i];
                raised.push_back(Index(j));
            } else {
                open.push(Cell{ z[j], Index(j) });
            }
        }
        if (progress && ++done % report_every == 0)
            report_progress(progress, double(done) / double(n), "fill depressions");
    }
}

} // namespace

Raster<float> fill_depressions(const Raster<float>& dem,
                               const Progress& progress,
                               std::size_t tile_side)
{
    check_mask(dem);
    Raster<float> out = dem;
    const std::size_t n = out.grid().size();
    if (tile_side > 0 && n < std::numeric_limits<std::uint32_t>::max() &&
        (out.rows() > tile_side || out.cols() > tile_side)) {
        check_finite(out);
        detail::fill_in_tiles(out, tile_side, progress);
    } else if (n <= std::numeric_limits<std::uint32_t>::max()) {
        priority_flood<std::uint32_t>(out, progress);
    } else {
        priority_flood<std::uint64_t>(out, progress);
    }
    report_progress(progress, 1.0, "fill depressions");
    return out;
}

namespace {

/// Marks every nodata cell (mask 0) 8-connected to @p start with @p mark, and appends them
/// to @p cells; @p stack is scratch.
void flood_nodata(std::vector<std::uint8_t>& mask,
                  std::size_t rows,
                  std::size_t cols,
                  std::size_t start,
                  std::uint8_t mark,
                  std::vector<std::size_t>& stack,
                  std::vector<std::size_t>& cells)
{
    mask[start] = mark;
    stack.push_back(start);
    while (!stack.empty()) {
        const std::size_t i = stack.back();
        stack.pop_back();
        cells.push_back(i);
        const std::size_t r = i / cols, c = i % cols;
        for (int d = 0; d < 8; ++d) {
            const std::size_t nr = r + direction_row_offset[d];
            const std::size_t nc = c + direction_col_offset[d];
            if (nr >= rows || nc >= cols)
                continue;
            const std::size_t j = nr * cols + nc;
            if (mask[j] == 0) {
                mask[j] = mark;
                stack.push_back(j);
            }
        }
    }
}

} // namespace

std::size_t fill_nodata_holes(Raster<float>& dem)
{
    check_mask(dem);
    std::vector<std::uint8_t>& mask = dem.mask();
    if (mask.empty())
        return 0;
    const std::size_t rows = dem.rows(), cols = dem.cols();
    std::vector<float>& z = dem.values();
    for (std::uint8_t& m : mask)
        m = m != 0;

    // The mask itself carries the search state, so no scratch array is needed:
    // 0 = nodata not yet seen, 2 = nodata connected to the grid edge, 3 = in the current hole.
    constexpr std::uint8_t open_to_edge = 2, in_hole = 3;
    std::vector<std::size_t> stack;
    std::vector<std::size_t> hole;

    const auto flood = [&](std::size_t start, std::uint8_t mark, std::vector<std::size_t>& cells) {
        flood_nodata(mask, rows, cols, start, mark, stack, cells);
    };

    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
            const bool edge = r == 0 || c == 0 || r + 1 == rows || c + 1 == cols;
            if (edge && mask[r * cols + c] == 0) {
                flood(r * cols + c, open_to_edge, hole);
                hole.clear();
            }
        }

    std::size_t filled = 0;
    for (std::size_t i = 0; i < mask.size(); ++i) {
        if (mask[i] != 0)
            continue;
        flood(i, in_hole, hole);
        // The rim is all valid: a nodata neighbour would have joined the hole.
        float lowest = std::numeric_limits<float>::infinity();
        for (std::size_t h : hole) {
            const std::size_t r = h / cols, c = h % cols;
            for (int d = 0; d < 8; ++d) {
                const std::size_t j =
                  (r + direction_row_offset[d]) * cols + (c + direction_col_offset[d]);
                if (mask[j] == 1)
                    lowest = std::min(lowest, z[j]);
            }
        }
        for (std::size_t h : hole) {
            z[h] = lowest;
            mask[h] = 1;
        }
        filled += hole.size();
        hole.clear();
    }
    for (std::uint8_t& m : mask)
        if (m == open_to_edge)
            m = 0;
    return filled;
}

} // namespace landel::analysis::hydrology
