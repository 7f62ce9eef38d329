#pragma once
/// @file raster.h
/// A grid of values in row-major order, with an optional validity mask.

#include "landel/core/grid.h"

#include <cassert>
#include <cstdint>
#include <vector>

namespace landel {

/// Values of type T on a Grid. Cell access is not virtual and bounds are checked in Debug
/// builds only (assert), so hot loops pay nothing.
template<class T>
class Raster
{
public:
    Raster() = default;
    explicit Raster(const Grid& grid, T fill = T())
      : m_grid(grid)
      , m_values(grid.size(), fill)
    {
    }

    const Grid& grid() const { return m_grid; }
    std::size_t rows() const { return m_grid.rows(); }
    std::size_t cols() const { return m_grid.cols(); }

    T& operator()(std::size_t row, std::size_t col)
    {
        assert(row < rows() && col < cols());
        return m_values[row * cols() + col];
    }
    const T& operator()(std::size_t row, std::size_t col) const
    {
        assert(row < rows() && col < cols());
        return m_values[row * cols() + col];
    }

    std::vector<T>& values() { return m_values; }
    const std::vector<T>& values() const { return m_values; }

    /// Per cell: 1 = valid data, 0 = nodata. Empty means every cell is valid.
    std::vector<std::uint8_t>& mask() { return m_mask; }
    const std::vector<std::uint8_t>& mask() const { return m_mask; }
    bool valid(std::size_t row, std::size_t col) const
    {
        return m_mask.empty() || m_mask[row * cols() + col] != 0;
    }

private:
    Grid m_grid;
    std::vector<T> m_values;
    std::vector<std::uint8_t> m_mask;
};

} // namespace landel
