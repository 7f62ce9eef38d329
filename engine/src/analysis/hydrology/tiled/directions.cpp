// D8 flow directions out of memory. Steepest descent needs a cell's eight neighbours only, so a
// tile and its ring give it. Flats need more: the two breadth-first gradients of Barnes,
// Lehman & Mulla (2014), "An efficient assignment of drainage direction over flat surfaces in
// raster digital elevation models", Computers & Geosciences 62, 128-135,
// doi:10.1016/j.cageo.2013.01.009 (../flats.cpp) run over a whole flat and depend on all of it.
// A flat's directions depend on nothing but the flat and the ring of cells around it (its
// high edges and its low edge), so each flat is drained on any window holding it and its
// ring, by the same in-memory drainer, and gives the in-memory result:
// 1. every tile's steepest descent, flat cells left unresolved;
// 2. per tile, its flats are labelled; a flat none of whose cells touches an unresolved cell
//    of a neighbouring tile is drained on the tile and its ring, the others (crossing flats)
//    are left unresolved and their cells on the tile's border recorded;
// 3. the crossing flats' pieces are joined along the tile borders (union-find), and each
//    whole flat is drained on its bounding box and ring, read from the tiles it crosses.
// Unresolved cells of other flats in a window are marked as outlets first: they never touch
// the flat being drained (neighbouring unresolved cells always belong to one flat), so its
// directions do not change.
#include "landel/analysis/hydrology/tiled.h"

#include "../flats.h"
#include "border_join.h"
#include "landel/core/error.h"
#include "landel/parallel/for_each_index.h"
#include "landel/parallel/progress_counter.h"

#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <string>

namespace landel::analysis::hydrology::tiled {

namespace {

using detail::unresolved;

/// Offsets of the eight D8 neighbours in a window @p width cells wide.
std::array<std::ptrdiff_t, 8> window_steps(std::size_t width)
{
    std::array<std::ptrdiff_t, 8> step{};
    for (int d = 0; d < 8; ++d)
        step[std::size_t(d)] = direction_row_offset[std::size_t(d)] * std::ptrdiff_t(width) +
                               direction_col_offset[std::size_t(d)];
    return step;
}

/// Steepest descent of the inside cells of a window (NaN: nodata or off the grid): as
/// flow_directions.cpp's, unresolved for a cell with no lower neighbour away from nodata.
std::vector<std::uint8_t> descend(const std::vector<float>& z,
                                  std::size_t h,
                                  std::size_t w,
                                  const double (&inverse_distance)[8])
{
    const std::size_t W = w + 2;
    const auto step = window_steps(W);
    std::vector<std::uint8_t> dir(h * w, kNoFlow);
    for (std::size_t r = 0; r < h; ++r)
        for (std::size_t c = 0; c < w; ++c) {
            const std::size_t k = (r + 1) * W + c + 1;
            const float zk = z[k];
            if (std::isnan(zk))
                continue;
            if (std::isinf(zk))
                throw InvalidArgument("DEM cell is valid but not finite");
            bool beside_outside = false;
            double steepest = 0.0;
            int best = -1;
            for (int d = 0; d < 8; ++d) {
                const float zj = z[std::size_t(std::ptrdiff_t(k) + step[std::size_t(d)])];
                if (std::isnan(zj)) {
                    beside_outside = true;
                    continue;
                }
                if (zj < zk) {
                    const double slope = (double(zk) - double(zj)) * inverse_distance[d];
                    if (slope > steepest) {
                        steepest = slope;
                        best = d;
                    }
                }
            }
            dir[r * w + c] = best >= 0 ? std::uint8_t(best) : beside_outside ? kOutlet : unresolved;
        }
    return dir;
}

/// Drains the flats of a window (@p z and @p dir, rows × cols, with a ring) whose cells are
/// unresolved in @p dir, by the in-memory drainer.
void drain_window(const std::vector<float>& z,
                  std::vector<std::uint8_t>& dir,
                  std::size_t rows,
                  std::size_t cols,
                  double dx,
                  double dy)
{
    Raster<float> window(Grid(Box{ 0.0, 0.0, double(cols) * dx, double(rows) * dy }, dx, dy));
    window.values() = z;
    window.mask().assign(z.size(), 1);
    for (std::size_t k = 0; k < z.size(); ++k)
        if (std::isnan(z[k])) {
            window.mask()[k] = 0;
            window.values()[k] = 0.0f;
        }
    detail::drain_flats(window, dir, {}, 0);
}

/// A piece of a crossing flat in one tile.
struct FlatPiece
{
    CellBox box;          ///< its cells' bounding box, in grid rows and columns
    std::size_t cell = 0; ///< one of its cells (grid index)
};

/// What step 2 finds in one tile: its crossing flats' pieces, and their cells on the border
/// (grid index, local piece number).
struct TileFlats
{
    std::vector<FlatPiece> pieces;
    detail::BorderCells border;
};

class TiledDirections
{
public:
    TiledDirections(const TiledRaster<float>& filled,
                    double dx,
                    double dy,
                    const TileStorageFactory& storage,
                    std::size_t max_window_cells)
      : m_filled(filled)
      , m_layout(filled.layout())
      , m_dx(dx)
      , m_dy(dy)
      , m_storage(storage)
      , m_max_window_cells(max_window_cells)
    {
        const double diagonal = std::hypot(dx, dy);
        for (int d = 0; d < 8; ++d)
            m_inverse_distance[d] = 1.0 / (direction_row_offset[std::size_t(d)] == 0   ? dx
                                           : direction_col_offset[std::size_t(d)] == 0 ? dy
                                                                                       : diagonal);
    }

    TiledRaster<std::uint8_t> run(const Progress& progress)
    {
        const std::size_t tiles = m_layout.tiles();
        TiledRaster<std::uint8_t> descent(m_layout, m_storage, kNoFlow);
        {
            parallel::ProgressCounter descended(progress, 0.0, 0.4, tiles, "flow directions");
            parallel::for_each_index(tiles, [&](std::size_t t) {
                const CellBox b = m_layout.box(t);
                descent.write(
                  t, descend(m_filled.read_with_ring(t), b.rows(), b.cols(), m_inverse_distance));
                descended.step();
            });
        }
        TiledRaster<std::uint8_t> out(m_layout, m_storage, kNoFlow);
        std::vector<TileFlats> flats(tiles);
        {
            parallel::ProgressCounter drained(progress, 0.4, 0.8, tiles, "flow directions");
            parallel::for_each_index(tiles, [&](std::size_t t) {
                out.write(t, drain_tile_flats(t, descent, flats[t]));
                drained.step();
            });
        }
        drain_crossing_flats(flats, out);
        report_progress(progress, 1.0, "flow directions");
        return out;
    }

private:
    const TiledRaster<float>& m_filled;
    TileLayout m_layout;
    double m_dx, m_dy;
    const TileStorageFactory& m_storage;
    std::size_t m_max_window_cells;
    double m_inverse_distance[8];

    /// Step 2 for tile @p t: its directions with the flats inside it drained.
    std::vector<std::uint8_t> drain_tile_flats(std::size_t t,
                                               const TiledRaster<std::uint8_t>& descent,
                                               TileFlats& found) const
    {
        const CellBox b = m_layout.box(t);
        const std::size_t h = b.rows(), w = b.cols(), W = w + 2;
        std::vector<std::uint8_t> dir = descent.read_with_ring(t);
        const auto step = window_steps(W);
        const auto inside = [&](std::size_t k) {
            const std::size_t r = k / W, c = k % W;
            return r >= 1 && r <= h && c >= 1 && c <= w;
        };

        // The tile's flats, 8-connected, each marked crossing when it touches an unresolved
        // cell of the ring.
        constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
        std::vector<std::uint32_t> flat(dir.size(), none);
        std::vector<std::uint8_t> crossing;
        std::vector<std::size_t> stack;
        bool any = false;
        for (std::size_t r = 1; r <= h; ++r)
            for (std::size_t c = 1; c <= w; ++c) {
                const std::size_t start = r * W + c;
                if (dir[start] != unresolved || flat[start] != none)
                    continue;
                any = true;
                const auto id = std::uint32_t(crossing.size());
                crossing.push_back(0);
                FlatPiece piece{ { b.r0 + r - 1, b.r0 + r, b.c0 + c - 1, b.c0 + c },
                                 (b.r0 + r - 1) * m_layout.cols() + b.c0 + c - 1 };
                flat[start] = id;
                stack.push_back(start);
                while (!stack.empty()) {
                    const std::size_t k = stack.back();
                    stack.pop_back();
                    const std::size_t gr = b.r0 + k / W - 1, gc = b.c0 + k % W - 1;
                    piece.box.r0 = std::min(piece.box.r0, gr);
                    piece.box.r1 = std::max(piece.box.r1, gr + 1);
                    piece.box.c0 = std::min(piece.box.c0, gc);
                    piece.box.c1 = std::max(piece.box.c1, gc + 1);
                    for (std::ptrdiff_t s : step) {
                        const std::size_t j = std::size_t(std::ptrdiff_t(k) + s);
                        if (dir[j] != unresolved)
                            continue;
                        if (!inside(j)) {
                            crossing[id] = 1;
                            continue;
                        }
                        if (flat[j] == none) {
                            flat[j] = id;
                            stack.push_back(j);
                        }
                    }
                }
                found.pieces.push_back(piece);
            }

        std::vector<std::uint8_t> tile(h * w);
        if (any) {
            // Crossing flats and the ring's flats wait for step 3; the rest drain here.
            std::vector<std::uint8_t> window = dir;
            for (std::size_t k = 0; k < window.size(); ++k)
                if (window[k] == unresolved && (!inside(k) || crossing[flat[k]]))
                    window[k] = kOutlet;
            drain_window(m_filled.read_with_ring(t), window, h + 2, W, m_dx, m_dy);
            for (std::size_t r = 1; r <= h; ++r)
                for (std::size_t c = 1; c <= w; ++c) {
                    const std::size_t k = r * W + c;
                    const bool waits = dir[k] == unresolved && crossing[flat[k]];
                    tile[(r - 1) * w + c - 1] = waits ? unresolved : window[k];
                    if (waits && (r == 1 || c == 1 || r == h || c == w))
                        found.border.emplace_back((b.r0 + r - 1) * m_layout.cols() + b.c0 + c - 1,
                                                  flat[k]);
                }
        } else {
            for (std::size_t r = 0; r < h; ++r)
                std::copy_n(&dir[(r + 1) * W + 1], w, &tile[r * w]);
        }
        // Keep only the crossing pieces, renumbered in order.
        std::vector<std::uint32_t> kept(crossing.size(), none);
        std::vector<FlatPiece> pieces;
        for (std::size_t id = 0; id < crossing.size(); ++id)
            if (crossing[id]) {
                kept[id] = std::uint32_t(pieces.size());
                pieces.push_back(found.pieces[id]);
            }
        found.pieces = std::move(pieces);
        for (auto& [cell, id] : found.border)
            id = kept[id];
        return tile;
    }

    /// Step 3: joins the crossing flats' pieces across tile borders and drains each whole flat
    /// on its window.
    void drain_crossing_flats(const std::vector<TileFlats>& flats,
                              TiledRaster<std::uint8_t>& out) const
    {
        std::vector<std::uint32_t> first(flats.size() + 1, 0);
        for (std::size_t t = 0; t < flats.size(); ++t)
            first[t + 1] = first[t] + std::uint32_t(flats[t].pieces.size());
        if (first.back() == 0)
            return;
        const std::size_t cols = m_layout.cols();
        const std::vector<std::uint32_t> root = detail::join_across_tiles(
          m_layout, first, [&](std::size_t t) -> const detail::BorderCells& {
              return flats[t].border;
          });
        std::vector<FlatPiece> whole; // per root, in root order
        std::vector<std::uint32_t> whole_of(first.back());
        for (std::size_t t = 0; t < flats.size(); ++t)
            for (std::size_t id = 0; id < flats[t].pieces.size(); ++id) {
                const std::uint32_t p = first[t] + std::uint32_t(id);
                const FlatPiece& piece = flats[t].pieces[id];
                if (root[p] == p) {
                    whole_of[p] = std::uint32_t(whole.size());
                    whole.push_back(piece);
                    continue;
                }
                FlatPiece& w = whole[whole_of[root[p]]];
                w.box.r0 = std::min(w.box.r0, piece.box.r0);
                w.box.r1 = std::max(w.box.r1, piece.box.r1);
                w.box.c0 = std::min(w.box.c0, piece.box.c0);
                w.box.c1 = std::max(w.box.c1, piece.box.c1);
            }

        // Each flat on its window; the directions found are written tile by tile afterwards.
        // Windows that all threads could hold at once within the budget run in parallel, the
        // larger ones one at a time.
        std::vector<std::vector<std::pair<std::size_t, std::uint8_t>>> found(whole.size());
        const auto threads = std::size_t(std::max(1, tbb::this_task_arena::max_concurrency()));
        std::vector<std::size_t> small, large;
        for (std::size_t f = 0; f < whole.size(); ++f)
            (window_of(whole[f]).size() * threads <= m_max_window_cells ? small : large)
              .push_back(f);
        parallel::for_each_index(small.size(), [&](std::size_t k) {
            found[small[k]] = drain_whole_flat(whole[small[k]], out);
        });
        for (std::size_t f : large)
            found[f] = drain_whole_flat(whole[f], out);
        std::vector<std::vector<std::pair<std::size_t, std::uint8_t>>> by_tile(m_layout.tiles());
        for (auto& cells : found) {
            for (const auto& [cell, d] : cells)
                by_tile[m_layout.tile_of(cell / cols, cell % cols)].emplace_back(cell, d);
            cells = {};
        }
        parallel::for_each_index(m_layout.tiles(), [&](std::size_t t) {
            if (by_tile[t].empty())
                return;
            const CellBox b = m_layout.box(t);
            std::vector<std::uint8_t> tile = out.read(t);
            for (const auto& [cell, d] : by_tile[t])
                tile[(cell / cols - b.r0) * b.cols() + cell % cols - b.c0] = d;
            out.write(t, tile);
        });
    }

    /// A flat's bounding box and a ring. (A flat never touches the grid's edge: a cell there is
    /// an outlet.)
    static CellBox window_of(const FlatPiece& flat)
    {
        return { flat.box.r0 - 1, flat.box.r1 + 1, flat.box.c0 - 1, flat.box.c1 + 1 };
    }

    /// The directions of one crossing flat's cells (grid index, direction).
    std::vector<std::pair<std::size_t, std::uint8_t>> drain_whole_flat(
      const FlatPiece& flat,
      const TiledRaster<std::uint8_t>& out) const
    {
        const CellBox box = window_of(flat);
        if (box.size() > m_max_window_cells)
            throw Error("flow directions: a flat spans " + std::to_string(flat.box.rows()) + " x " +
                        std::to_string(flat.box.cols()) +
                        " cells across tile borders, more "
                        "than the memory budget allows to drain at once (" +
                        std::to_string(m_max_window_cells) + " cells): raise run.memory_mb");
        const std::size_t W = box.cols();
        std::vector<std::uint8_t> dir = out.read_box(box);
        const std::vector<float> z = m_filled.read_box(box);
        const auto step = window_steps(W);
        // This flat's cells: the unresolved component of its first cell (whole in the window).
        const std::size_t cols = m_layout.cols();
        std::vector<std::size_t> cells{ (flat.cell / cols - box.r0) * W + flat.cell % cols -
                                        box.c0 };
        constexpr std::uint8_t mine = 253;
        dir[cells[0]] = mine;
        for (std::size_t next = 0; next < cells.size(); ++next)
            for (std::ptrdiff_t s : step) {
                const std::size_t j = std::size_t(std::ptrdiff_t(cells[next]) + s);
                if (j < dir.size() && dir[j] == unresolved) {
                    dir[j] = mine;
                    cells.push_back(j);
                }
            }
        for (std::uint8_t& d : dir)
            d = d == mine ? unresolved : d == unresolved ? kOutlet : d;
        drain_window(z, dir, box.rows(), W, m_dx, m_dy);
        std::vector<std::pair<std::size_t, std::uint8_t>> result;
        result.reserve(cells.size());
        for (std::size_t k : cells)
            result.emplace_back((box.r0 + k / W) * cols + box.c0 + k % W, dir[k]);
        return result;
    }
};

} // namespace

TiledRaster<std::uint8_t> flow_directions(const TiledRaster<float>& filled,
                                          double dx,
                                          double dy,
                                          const TileStorageFactory& storage,
                                          std::size_t max_window_cells,
                                          const Progress& progress)
{
    return TiledDirections(filled, dx, dy, storage, max_window_cells).run(progress);
}

} // namespace landel::analysis::hydrology::tiled
