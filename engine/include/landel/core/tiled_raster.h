#pragma once
/// @file tiled_raster.h
/// A raster kept as square tiles in a TileStorage (memory, or a scratch file from io), so that
/// a grid larger than memory can be worked on tile by tile. Each tile's outermost ring of
/// cells (its perimeter) is also kept in memory, so a tile can be read with the one-cell ring
/// of its neighbours around it without reading the neighbours.

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace landel {

/// Rows [r0, r1) and columns [c0, c1) of a grid.
struct CellBox
{
    std::size_t r0 = 0, r1 = 0, c0 = 0, c1 = 0;

    std::size_t rows() const { return r1 - r0; }
    std::size_t cols() const { return c1 - c0; }
    std::size_t size() const { return rows() * cols(); }
    bool contains(std::size_t r, std::size_t c) const
    {
        return r >= r0 && r < r1 && c >= c0 && c < c1;
    }
};

/// A grid of rows × cols cells cut into tiles of side × side cells, laid out row by row; the
/// last tiles of a row or column are smaller when the side does not divide the grid.
class TileLayout
{
public:
    TileLayout() = default;
    /// @pre side > 0
    TileLayout(std::size_t rows, std::size_t cols, std::size_t side)
      : m_rows(rows)
      , m_cols(cols)
      , m_side(side)
      , m_across((cols + side - 1) / side)
      , m_down((rows + side - 1) / side)
    {
    }

    std::size_t rows() const { return m_rows; }
    std::size_t cols() const { return m_cols; }
    std::size_t side() const { return m_side; }
    std::size_t tiles() const { return m_across * m_down; }
    std::size_t tiles_across() const { return m_across; }
    std::size_t tiles_down() const { return m_down; }

    CellBox box(std::size_t tile) const
    {
        const std::size_t r0 = tile / m_across * m_side, c0 = tile % m_across * m_side;
        return { r0, std::min(r0 + m_side, m_rows), c0, std::min(c0 + m_side, m_cols) };
    }
    std::size_t tile_of(std::size_t r, std::size_t c) const
    {
        return r / m_side * m_across + c / m_side;
    }

private:
    std::size_t m_rows = 0, m_cols = 0, m_side = 1, m_across = 0, m_down = 0;
};

/// Where a TiledRaster keeps its tiles' bytes. Tiles are written whole and read whole or in
/// part; writes and reads of different tiles may run on different threads at once.
class TileStorage
{
public:
    virtual ~TileStorage() = default;
    virtual void write(std::size_t tile, const void* data, std::size_t bytes) = 0;
    /// Reads @p bytes bytes of tile @p tile from byte @p offset on.
    /// @pre the tile was written, with at least offset + bytes bytes.
    virtual void read(std::size_t tile,
                      std::size_t offset,
                      void* data,
                      std::size_t bytes) const = 0;
};

/// Makes the storage of one tiled raster: @p tiles tiles of at most @p tile_bytes bytes each.
using TileStorageFactory =
  std::function<std::unique_ptr<TileStorage>(std::size_t tiles, std::size_t tile_bytes)>;

/// Tiles in memory (tests, and grids that fit).
std::unique_ptr<TileStorage> memory_tile_storage(std::size_t tiles, std::size_t tile_bytes);

/// Values of a trivially copyable T in tiles. A tile is read and written as a vector of its
/// cells in row-major order (tile-local rows and columns).
template<class T>
class TiledRaster
{
public:
    TiledRaster() = default;
    /// @p outside is the value read for cells off the grid (e.g. NaN, or "no flow").
    TiledRaster(const TileLayout& layout, const TileStorageFactory& storage, T outside)
      : m_layout(layout)
      , m_outside(outside)
      , m_storage(storage(layout.tiles(), layout.side() * layout.side() * sizeof(T)))
      , m_perimeter(layout.tiles())
    {
    }

    const TileLayout& layout() const { return m_layout; }
    T outside() const { return m_outside; }

    std::vector<T> read(std::size_t tile) const
    {
        std::vector<T> values(m_layout.box(tile).size());
        m_storage->read(tile, 0, values.data(), values.size() * sizeof(T));
        return values;
    }

    /// Stores tile @p tile and keeps its perimeter. Tiles written at the same time as others
    /// are read with their ring (read_with_ring) must not be neighbours of those.
    void write(std::size_t tile, const std::vector<T>& values)
    {
        const CellBox b = m_layout.box(tile);
        m_storage->write(tile, values.data(), values.size() * sizeof(T));
        Perimeter& p = m_perimeter[tile];
        p.top.assign(values.begin(), values.begin() + std::ptrdiff_t(b.cols()));
        p.bottom.assign(values.end() - std::ptrdiff_t(b.cols()), values.end());
        p.left.resize(b.rows());
        p.right.resize(b.rows());
        for (std::size_t r = 0; r < b.rows(); ++r) {
            p.left[r] = values[r * b.cols()];
            p.right[r] = values[r * b.cols() + b.cols() - 1];
        }
    }

    /// The value of cell (@p r, @p c), which lies on its tile's perimeter (or off the grid,
    /// given as wrapped unsigned values: outside()).
    T perimeter_value(std::size_t r, std::size_t c) const
    {
        if (r >= m_layout.rows() || c >= m_layout.cols())
            return m_outside;
        const std::size_t t = m_layout.tile_of(r, c);
        const CellBox b = m_layout.box(t);
        const Perimeter& p = m_perimeter[t];
        if (r == b.r0)
            return p.top[c - b.c0];
        if (r + 1 == b.r1)
            return p.bottom[c - b.c0];
        if (c == b.c0)
            return p.left[r - b.r0];
        return p.right[r - b.r0]; // @pre c + 1 == b.c1
    }

    /// Tile @p tile with the ring of cells around it: (rows + 2) × (cols + 2) values, the
    /// tile's cell (r, c) at (r + 1, c + 1); the ring comes from the neighbours' perimeters.
    std::vector<T> read_with_ring(std::size_t tile) const
    {
        const CellBox b = m_layout.box(tile);
        const std::size_t w = b.cols() + 2;
        std::vector<T> window((b.rows() + 2) * w);
        const std::vector<T> inner = read(tile);
        for (std::size_t r = 0; r < b.rows(); ++r)
            std::memcpy(&window[(r + 1) * w + 1], &inner[r * b.cols()], b.cols() * sizeof(T));
        for (std::size_t k = 0; k < w; ++k) {
            window[k] = perimeter_value(b.r0 - 1, b.c0 - 1 + k);
            window[(b.rows() + 1) * w + k] = perimeter_value(b.r1, b.c0 - 1 + k);
        }
        for (std::size_t r = 0; r < b.rows(); ++r) {
            window[(r + 1) * w] = perimeter_value(b.r0 + r, b.c0 - 1);
            window[(r + 1) * w + w - 1] = perimeter_value(b.r0 + r, b.c1);
        }
        return window;
    }

    /// The cells of @p box (which may reach off the grid: outside() there), from every tile it
    /// crosses; row-major. Box corners off the grid are given as wrapped unsigned values, so
    /// pass r0 = size_t(-1) for the row above row 0.
    std::vector<T> read_box(const CellBox& box) const
    {
        std::vector<T> out(box.size(), m_outside);
        const std::size_t r0 = box.r0 >= m_layout.rows() ? 0 : box.r0;
        const std::size_t c0 = box.c0 >= m_layout.cols() ? 0 : box.c0;
        const std::size_t r1 = std::min(box.r1, m_layout.rows());
        const std::size_t c1 = std::min(box.c1, m_layout.cols());
        if (r0 >= r1 || c0 >= c1)
            return out;
        // Only the rows of each tile the box needs (a tile is stored row by row).
        const std::size_t side = m_layout.side();
        std::vector<T> rows;
        for (std::size_t tr = r0 / side; tr * side < r1; ++tr)
            for (std::size_t tc = c0 / side; tc * side < c1; ++tc) {
                const std::size_t t = tr * m_layout.tiles_across() + tc;
                const CellBox b = m_layout.box(t);
                const std::size_t from = std::max(b.r0, r0), to = std::min(b.r1, r1);
                rows.resize((to - from) * b.cols());
                m_storage->read(
                  t, (from - b.r0) * b.cols() * sizeof(T), rows.data(), rows.size() * sizeof(T));
                for (std::size_t r = from; r < to; ++r)
                    for (std::size_t c = std::max(b.c0, c0); c < std::min(b.c1, c1); ++c)
                        out[(r - box.r0) * box.cols() + (c - box.c0)] =
                          rows[(r - from) * b.cols() + (c - b.c0)];
            }
        return out;
    }

private:
    struct Perimeter
    {
        std::vector<T> top, bottom, left, right;
    };

    TileLayout m_layout;
    T m_outside{};
    std::unique_ptr<TileStorage> m_storage;
    std::vector<Perimeter> m_perimeter;
};

} // namespace landel
