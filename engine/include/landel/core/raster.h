#pragma once
/// @file raster.h
/// A grid of values in row-major order, with an optional validity mask.

#include "landel/core/grid.h"

#include <cassert>
#include <cstdint>
#include <type_traits>
#include <variant>
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

/// A non-owning window onto a Raster: the cells of @p window, a sub-grid on the raster's
/// lattice inside its extent. Cheap to copy; the raster must outlive it.
template<class T>
class RasterView
{
public:
    /// Throws GridMismatch when @p window is not an aligned part of the raster's grid.
    RasterView(const Raster<T>& raster, const Grid& window);
    explicit RasterView(const Raster<T>& raster)
      : RasterView(raster, raster.grid())
    {
    }

    const Grid& grid() const { return m_window; }
    std::size_t rows() const { return m_window.rows(); }
    std::size_t cols() const { return m_window.cols(); }

    const T& operator()(std::size_t row, std::size_t col) const
    {
        assert(row < rows() && col < cols());
        return (*m_raster)(row + m_row0, col + m_col0);
    }
    bool valid(std::size_t row, std::size_t col) const
    {
        return m_raster->valid(row + m_row0, col + m_col0);
    }

private:
    const Raster<T>* m_raster;
    Grid m_window;
    std::size_t m_row0 = 0, m_col0 = 0;
};

/// A raster whose cell type is chosen at run time (a file's band type).
using AnyRaster = std::variant<Raster<std::uint8_t>,
                               Raster<std::int16_t>,
                               Raster<std::uint16_t>,
                               Raster<std::int32_t>,
                               Raster<float>,
                               Raster<double>>;

/// Calls @p fn with the Raster<T> held by @p raster: one place dispatches on the type, and the
/// code inside runs typed, with no per-cell indirection.
template<class Fn>
decltype(auto) visit(Fn&& fn, const AnyRaster& raster)
{
    return std::visit(std::forward<Fn>(fn), raster);
}
template<class Fn>
decltype(auto) visit(Fn&& fn, AnyRaster& raster)
{
    return std::visit(std::forward<Fn>(fn), raster);
}

/// Calls X(T) for every cell type of AnyRaster, so that the declarations below and the
/// instantiations in raster.cpp name the same types.
#define LANDEL_RASTER_CELL_TYPES(X)                                                                \
    X(std::uint8_t) X(std::int16_t) X(std::uint16_t) X(std::int32_t) X(float) X(double)

// Instantiated once, in raster.cpp.
#define LANDEL_RASTER_EXTERN(T)                                                                    \
    extern template class Raster<T>;                                                               \
    extern template class RasterView<T>;
LANDEL_RASTER_CELL_TYPES(LANDEL_RASTER_EXTERN)
#undef LANDEL_RASTER_EXTERN

} // namespace landel
