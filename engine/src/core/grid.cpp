#include "landel/core/grid.h"

#include "landel/core/error.h"

#include <algorithm>
#include <cmath>

namespace landel {

Grid::Grid(const Box& extent, double dx, double dy)
  : m_extent(extent)
  , m_dx(dx)
  , m_dy(dy)
{
    if (extent.empty() || !(dx > 0.0) || !(dy > 0.0))
        throw InvalidArgument("grid: empty extent or cell size <= 0");
    const double cols = extent.width() / dx, rows = extent.height() / dy;
    m_cols = std::size_t(std::llround(cols));
    m_rows = std::size_t(std::llround(rows));
    if (std::abs(cols - double(m_cols)) > 1e-6 || std::abs(rows - double(m_rows)) > 1e-6)
        throw InvalidArgument("grid: extent is not a whole number of cells");
    // Snap the far edges so that cell edges are computed one way only.
    m_extent.xmax = m_extent.xmin + double(m_cols) * dx;
    m_extent.ymin = m_extent.ymax - double(m_rows) * dy;
}

Box Grid::cell(std::size_t row, std::size_t col) const
{
    return Box{ x_left(col), y_top(row) - m_dy, x_left(col) + m_dx, y_top(row) };
}

long Grid::col_of(double x) const
{
    if (x < m_extent.xmin)
        return -1;
    if (x > m_extent.xmax)
        return long(m_cols);
    return std::min(long(std::floor((x - m_extent.xmin) / m_dx)), long(m_cols) - 1);
}

long Grid::row_of(double y) const
{
    if (y > m_extent.ymax)
        return -1;
    if (y < m_extent.ymin)
        return long(m_rows);
    return std::min(long(std::floor((m_extent.ymax - y) / m_dy)), long(m_rows) - 1);
}

Grid Grid::crop(const Box& box) const
{
    if (!box.intersects(m_extent) || empty())
        return Grid();
    // Tight: a box edge lying on a cell edge takes no cell beyond it.
    const long c0 = std::max(0L, col_of(std::max(box.xmin, m_extent.xmin)));
    const long r0 = std::max(0L, row_of(std::min(box.ymax, m_extent.ymax)));
    const long c1 =
      std::clamp(long(std::ceil((std::min(box.xmax, m_extent.xmax) - m_extent.xmin) / m_dx)) - 1,
                 c0,
                 long(m_cols) - 1);
    const long r1 =
      std::clamp(long(std::ceil((m_extent.ymax - std::max(box.ymin, m_extent.ymin)) / m_dy)) - 1,
                 r0,
                 long(m_rows) - 1);
    const Box out{ x_left(std::size_t(c0)),
                   y_top(std::size_t(r1)) - m_dy,
                   x_left(std::size_t(c1)) + m_dx,
                   y_top(std::size_t(r0)) };
    return Grid(out, m_dx, m_dy);
}

bool Grid::compatible_with(const Grid& other, double tol) const
{
    if (std::abs(m_dx - other.m_dx) > tol * m_dx || std::abs(m_dy - other.m_dy) > tol * m_dy)
        return false;
    const auto aligned = [tol](double a, double b, double step) {
        const double k = (a - b) / step;
        return std::abs(k - std::round(k)) <= tol;
    };
    return aligned(m_extent.xmin, other.m_extent.xmin, m_dx) &&
           aligned(m_extent.ymax, other.m_extent.ymax, m_dy);
}

Grid Grid::cover(const Box& box) const
{
    // Cell indices relative to our origin, possibly negative; a box edge on a cell edge takes
    // no cell beyond it.
    const double c0 = std::floor((box.xmin - m_extent.xmin) / m_dx);
    const double c1 = std::max(c0 + 1.0, std::ceil((box.xmax - m_extent.xmin) / m_dx));
    const double r0 = std::floor((m_extent.ymax - box.ymax) / m_dy);
    const double r1 = std::max(r0 + 1.0, std::ceil((m_extent.ymax - box.ymin) / m_dy));
    return Grid(Box{ m_extent.xmin + c0 * m_dx,
                     m_extent.ymax - r1 * m_dy,
                     m_extent.xmin + c1 * m_dx,
                     m_extent.ymax - r0 * m_dy },
                m_dx,
                m_dy);
}

bool Grid::nests(const Grid& coarser, double tol) const
{
    const auto whole = [tol](double v) { return std::abs(v - std::round(v)) <= tol; };
    return whole(coarser.m_dx / m_dx) && whole(coarser.m_dy / m_dy) &&
           whole((coarser.m_extent.xmin - m_extent.xmin) / m_dx) &&
           whole((coarser.m_extent.ymax - m_extent.ymax) / m_dy);
}

std::vector<Grid> Grid::subdivide(std::size_t max_cells,
                                  std::size_t block_rows,
                                  std::size_t block_cols) const
{
    std::vector<Grid> out;
    if (empty())
        return out;
    block_rows = std::max<std::size_t>(1, block_rows);
    block_cols = std::max<std::size_t>(1, block_cols);
    max_cells = std::max<std::size_t>(1, max_cells);
    // Full-width bands of whole blocks when at least one block of rows fits, else bands of
    // one block row cut into whole blocks across.
    std::size_t band = std::max<std::size_t>(1, max_cells / m_cols);
    band = std::max(block_rows, band / block_rows * block_rows);
    std::size_t width = m_cols;
    if (band * m_cols > max_cells)
        width = std::max(block_cols, max_cells / band / block_cols * block_cols);
    for (std::size_t r = 0; r < m_rows; r += band)
        for (std::size_t c = 0; c < m_cols; c += width) {
            const std::size_t r1 = std::min(m_rows, r + band), c1 = std::min(m_cols, c + width);
            out.emplace_back(
              Box{ x_left(c), y_top(r1 - 1) - m_dy, x_left(c1 - 1) + m_dx, y_top(r) }, m_dx, m_dy);
        }
    return out;
}

} // namespace landel
