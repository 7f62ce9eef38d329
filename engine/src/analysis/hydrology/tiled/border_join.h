#pragma once
// Internal: pieces found tile by tile (of flats, of nodata holes) joined into wholes where
// their cells touch across a tile border (8-connected), for tiled/directions.cpp and
// tiled/holes.cpp.

#include "landel/analysis/hydrology/hydrology.h"
#include "landel/core/tiled_raster.h"
#include "landel/core/union_find.h"

#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace landel::analysis::hydrology::detail {

/// Per tile, its pieces' cells on the tile's border: (grid cell index, the tile's piece number).
using BorderCells = std::vector<std::pair<std::size_t, std::uint32_t>>;

/// Per piece (numbered tile by tile: tile t's piece p is first[t] + p), the smallest piece of
/// the whole it belongs to. @p border_of(t) gives tile t's BorderCells; @p first has one entry
/// per tile and one past the last piece.
template<class BorderOf>
std::vector<std::uint32_t> join_across_tiles(const TileLayout& layout,
                                             const std::vector<std::uint32_t>& first,
                                             BorderOf&& border_of)
{
    std::unordered_map<std::size_t, std::uint32_t> piece_of; // border cell -> piece
    for (std::size_t t = 0; t < layout.tiles(); ++t)
        for (const auto& [cell, p] : border_of(t))
            piece_of.emplace(cell, first[t] + p);
    SmallestRootSets<std::uint32_t> sets(first.back());
    const std::size_t cols = layout.cols();
    for (const auto& [cell, piece] : piece_of)
        for (int d = 0; d < 8; ++d) {
            const std::size_t nr = cell / cols + std::size_t(direction_row_offset[std::size_t(d)]);
            const std::size_t nc = cell % cols + std::size_t(direction_col_offset[std::size_t(d)]);
            if (nr >= layout.rows() || nc >= cols) // -1 wraps: off the grid
                continue;
            const auto other = piece_of.find(nr * cols + nc);
            if (other != piece_of.end())
                sets.join(piece, other->second);
        }
    return std::move(sets).roots();
}

} // namespace landel::analysis::hydrology::detail
