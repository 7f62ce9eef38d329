#pragma once
/// @file grid.h
/// A north-up regular grid: an extent cut into cells of dx by dy. No CRS: layers carry their
/// CRS and io compares them.

#include "landel/core/box.h"

#include <cstddef>
#include <vector>

namespace landel {

class Grid
{
public:
    Grid() = default;
    /// @pre extent is not empty, dx > 0, dy > 0, and the extent is a whole number of cells
    /// (within 1e-6 of a cell; it is snapped to exactly that).
    Grid(const Box& extent, double dx, double dy);

    const Box& extent() const { return m_extent; }
    double dx() const { return m_dx; }
    double dy() const { return m_dy; }
    std::size_t rows() const { return m_rows; }
    std::size_t cols() const { return m_cols; }
    std::size_t size() const { return m_rows * m_cols; }
    double cell_area() const { return m_dx * m_dy; }

    /// Cell edges: row 0 is the northernmost row.
    double x_left(std::size_t col) const { return m_extent.xmin + double(col) * m_dx; }
    double y_top(std::size_t row) const { return m_extent.ymax - double(row) * m_dy; }
    double x_centre(std::size_t col) const { return x_left(col) + 0.5 * m_dx; }
    double y_centre(std::size_t row) const { return y_top(row) - 0.5 * m_dy; }
    Box cell(std::size_t row, std::size_t col) const;

    /// Column / row holding a coordinate. A coordinate on a cell edge belongs to the cell to
    /// its east / south; the east and south edges of the grid belong to the last column/row.
    /// Coordinates outside give out-of-range values clamped to [-1, cols] / [-1, rows].
    long col_of(double x) const;
    long row_of(double y) const;

    /// The smallest sub-grid (same cell edges) covering @p box ∩ extent; empty when apart.
    Grid crop(const Box& box) const;

    /// Same cell size and cell edges aligned, within @p tol of a cell.
    bool compatible_with(const Grid& other, double tol = 1e-6) const;

    /// The smallest grid on the same lattice (cell size and edges) covering @p box, reaching
    /// beyond this grid's extent where the box does (unlike crop). @p box must not be empty.
    Grid cover(const Box& box) const;

    /// Whether every cell edge of @p coarser lies on a cell edge of this grid's lattice (its
    /// cell size a whole multiple of ours, its edges aligned), within @p tol of our cell.
    bool nests(const Grid& coarser, double tol = 1e-6) const;

    /// Splits into sub-grids of at most @p max_cells cells (at least one block), as
    /// full-width row bands when a band of @p block_rows rows fits, else bands cut into
    /// pieces whose widths are multiples of @p block_cols, so that chunks follow the file's
    /// blocks. In row order, then column order.
    std::vector<Grid> subdivide(std::size_t max_cells,
                                std::size_t block_rows = 1,
                                std::size_t block_cols = 1) const;

    bool empty() const { return m_rows == 0 || m_cols == 0; }

private:
    Box m_extent;
    double m_dx = 0.0, m_dy = 0.0;
    std::size_t m_rows = 0, m_cols = 0;
};

} // namespace landel
