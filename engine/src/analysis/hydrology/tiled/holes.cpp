// Filling nodata holes out of memory: fill_nodata_holes() (../fill.cpp) on tiles. A hole is an
// 8-connected set of nodata cells; one that does not touch the grid's edge gets the lowest
// elevation on its rim. Per tile, the holes' pieces are labelled with whether they touch the
// edge and their lowest rim cell (the rim read through the tile's ring); pieces that touch
// across tile borders are joined (union-find over the border cells), and a second pass fills
// the pieces of holes that stay inside the grid.
#include "landel/analysis/hydrology/tiled.h"

#include "border_join.h"
#include "landel/parallel/for_each_index.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

namespace landel::analysis::hydrology::tiled {

namespace {

constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

/// A piece of a hole in one tile.
struct HolePiece
{
    bool touches_edge = false;
    float lowest_rim = std::numeric_limits<float>::infinity();
};

/// The holes' pieces of a tile: per tile cell its piece (none on valid cells), and the pieces.
struct TileHoles
{
    std::vector<std::uint32_t> piece;
    std::vector<HolePiece> pieces;
};

/// @p z is the tile with its ring (the ring gives the rims; the pieces depend on the tile's own
/// cells only).
TileHoles label_holes(const std::vector<float>& z, const TileLayout& layout, const CellBox& b)
{
    const std::size_t h = b.rows(), w = b.cols(), W = w + 2;
    TileHoles out;
    out.piece.assign(h * w, none);
    std::vector<std::size_t> stack;
    for (std::size_t start = 0; start < h * w; ++start) {
        if (out.piece[start] != none || !std::isnan(z[(start / w + 1) * W + start % w + 1]))
            continue;
        const auto id = std::uint32_t(out.pieces.size());
        HolePiece hole;
        out.piece[start] = id;
        stack.push_back(start);
        while (!stack.empty()) {
            const std::size_t k = stack.back();
            stack.pop_back();
            const std::size_t r = k / w, c = k % w, gr = b.r0 + r, gc = b.c0 + c;
            hole.touches_edge = hole.touches_edge || gr == 0 || gc == 0 ||
                                gr + 1 == layout.rows() || gc + 1 == layout.cols();
            for (int d = 0; d < 8; ++d) {
                const std::size_t wr = r + 1 + std::size_t(direction_row_offset[std::size_t(d)]);
                const std::size_t wc = c + 1 + std::size_t(direction_col_offset[std::size_t(d)]);
                const float v = z[wr * W + wc];
                if (!std::isnan(v)) {
                    hole.lowest_rim = std::min(hole.lowest_rim, v);
                    continue;
                }
                if (wr == 0 || wc == 0 || wr == h + 1 || wc == w + 1)
                    continue; // the ring: another tile's piece, or off the grid
                const std::size_t j = (wr - 1) * w + wc - 1;
                if (out.piece[j] == none) {
                    out.piece[j] = id;
                    stack.push_back(j);
                }
            }
        }
        out.pieces.push_back(hole);
    }
    return out;
}

} // namespace

std::size_t fill_nodata_holes(TiledRaster<float>& dem)
{
    const TileLayout& layout = dem.layout();
    const std::size_t tiles = layout.tiles();
    std::vector<std::vector<HolePiece>> pieces(tiles);
    std::vector<detail::BorderCells> border(tiles);
    parallel::for_each_index(tiles, [&](std::size_t t) {
        const CellBox b = layout.box(t);
        TileHoles holes = label_holes(dem.read_with_ring(t), layout, b);
        for (std::size_t r = 0; r < b.rows(); ++r)
            for (std::size_t c = 0; c < b.cols(); ++c) {
                const std::uint32_t p = holes.piece[r * b.cols() + c];
                if (p != none && (r == 0 || c == 0 || r + 1 == b.rows() || c + 1 == b.cols()))
                    border[t].emplace_back((b.r0 + r) * layout.cols() + b.c0 + c, p);
            }
        pieces[t] = std::move(holes.pieces);
    });

    // Pieces joined across tile borders; per hole, whether it touches the edge and its rim.
    std::vector<std::uint32_t> first(tiles + 1, 0);
    for (std::size_t t = 0; t < tiles; ++t)
        first[t + 1] = first[t] + std::uint32_t(pieces[t].size());
    const std::vector<std::uint32_t> root = detail::join_across_tiles(
      layout, first, [&](std::size_t t) -> const detail::BorderCells& { return border[t]; });
    border = {};
    std::vector<HolePiece> whole(first.back());
    for (std::size_t t = 0; t < tiles; ++t)
        for (std::size_t k = 0; k < pieces[t].size(); ++k) {
            HolePiece& w = whole[root[first[t] + k]];
            w.touches_edge = w.touches_edge || pieces[t][k].touches_edge;
            w.lowest_rim = std::min(w.lowest_rim, pieces[t][k].lowest_rim);
        }

    std::atomic<std::size_t> filled{ 0 };
    parallel::for_each_index(tiles, [&](std::size_t t) {
        if (pieces[t].empty())
            return;
        // The same pieces as in the first pass, from the tile alone: the neighbours' perimeters
        // change as they are filled meanwhile.
        const CellBox b = layout.box(t);
        std::vector<float> z = dem.read(t);
        std::vector<float> window((b.rows() + 2) * (b.cols() + 2), 0.0f);
        for (std::size_t r = 0; r < b.rows(); ++r)
            std::copy_n(&z[r * b.cols()], b.cols(), &window[(r + 1) * (b.cols() + 2) + 1]);
        const TileHoles holes = label_holes(window, layout, b);
        std::size_t here = 0;
        for (std::size_t k = 0; k < z.size(); ++k) {
            const std::uint32_t p = holes.piece[k];
            if (p == none)
                continue;
            const HolePiece& hole = whole[root[first[t] + p]];
            if (!hole.touches_edge) {
                z[k] = hole.lowest_rim;
                ++here;
            }
        }
        filled += here;
        dem.write(t, z);
    });
    return filled;
}

} // namespace landel::analysis::hydrology::tiled
