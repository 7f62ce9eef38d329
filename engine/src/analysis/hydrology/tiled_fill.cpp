// Depression filling in tiles, in parallel: the tile-parallel Priority-Flood of Barnes (2016),
// "Parallel priority-flood depression filling for trillion cell digital elevation models",
// Computers & Geosciences 96, 167-178, doi:10.1016/j.cageo.2016.07.001.
//
// A cell's filled elevation F(c) is the least, over the paths from c to a seed (a valid cell
// on the grid edge or beside nodata), of the highest elevation on the path. Each tile is
// flooded on its own from its own seeds and from every cell on its border, each such start a
// watershed label of its own: that gives the tile's F_t(c) (its least path to any start) and
// the label of the start that reached c. Two labels whose cells touch (in a tile, or across a
// tile border) are joined at the higher F_t of the two cells, their spill level; a
// Priority-Flood over these labels from the true seeds (each at its own elevation) gives each
// label the level L its water must rise to. Then F(c) = max(F_t(c), L(label of c)): a path
// out must first leave c's tile watershed (F_t) and then the label graph (L), and following
// the flood back from any cell to its start never climbs above its F_t. The result is the
// serial fill's, cell for cell (values are only ever copied, never computed), whatever the
// tile size and thread count.
//
// The flood of one tile and the levels are shared with the fill out of memory (tile_flood.cpp,
// tiled/fill.cpp); here the tiles are cut from the grid in memory. Each tile's flood takes
// two shortcuts, neither of which changes F_t (it is unique; only the
// order in which cells are reached, and so which start's label a cell takes, changes):
// - Cells on slopes skip the queue, after the region-growing variant of Zhou, Sun & Fu (2016),
//   "An efficient variant of the Priority-Flood algorithm for filling depressions in raster
//   digital elevation models", Computers & Geosciences 90, 87-96,
//   doi:10.1016/j.cageo.2016.02.021: a cell reached from below has F_t = its own elevation,
//   and when none of its open neighbours is lower, no other route can reach them lower than
//   through it, so it is expanded at once instead of waiting its turn in the queue. On the
//   real Winterswijk AHN this takes 1.4 of the 5 M cells past the queue.
// - The queue is a radix heap (radix_heap.h): a flood's pops never decrease.
#include "tiled_fill.h"
#include "landel/analysis/hydrology/hydrology.h"
#include "landel/parallel/for_each_index.h"
#include "tile_flood.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

namespace landel::analysis::hydrology {

namespace {

using detail::no_watershed;
using detail::Spill;
using detail::TileFlood;
using Label = detail::WatershedLabel;

struct Tile
{
    std::size_t r0, r1, c0, c1; ///< rows [r0, r1), columns [c0, c1)
};

class TiledFill
{
public:
    TiledFill(Raster<float>& out, std::size_t side)
      : m_z(out.values())
      , m_mask(out.mask())
      , m_rows(out.rows())
      , m_cols(out.cols())
      , m_side(side)
      , m_label(m_z.size(), no_watershed)
    {
        for (std::size_t r0 = 0; r0 < m_rows; r0 += side)
            for (std::size_t c0 = 0; c0 < m_cols; c0 += side)
                m_tiles.push_back(
                  { r0, std::min(r0 + side, m_rows), c0, std::min(c0 + side, m_cols) });
    }

    void run(const Progress& progress)
    {
        std::vector<TileFlood> floods(m_tiles.size());
        std::atomic<std::size_t> done{ 0 };
        parallel::for_each_index(m_tiles.size(), [&](std::size_t t) {
            floods[t] = flood_tile(m_tiles[t]);
            if (progress)
                report_progress(
                  progress, 0.8 * double(++done) / double(m_tiles.size()), "fill depressions");
        });
        std::vector<Label> offset(m_tiles.size() + 1, 0);
        for (std::size_t t = 0; t < m_tiles.size(); ++t)
            offset[t + 1] = offset[t] + Label(floods[t].seed_level.size());
        std::vector<Spill> spills;
        add_border_spills(offset, spills);
        const std::vector<float> levels = detail::watershed_levels(floods, offset, spills);
        parallel::for_each_index(m_tiles.size(),
                                 [&](std::size_t t) { raise_tile(t, offset[t], levels); });
    }

private:
    std::vector<float>& m_z;
    const std::vector<std::uint8_t>& m_mask;
    std::size_t m_rows, m_cols;
    std::size_t m_side; ///< tiles are laid out row by row, all of this side but the last ones
    std::vector<Label> m_label; ///< per cell: its tile's local label
    std::vector<Tile> m_tiles;

    bool valid(std::size_t i) const { return m_mask.empty() || m_mask[i] != 0; }

    /// Floods tile @p t on a copy with its ring, and writes its F_t and labels back. The ring
    /// only tells nodata (NaN) from land: the neighbours' cells change meanwhile.
    TileFlood flood_tile(const Tile& t)
    {
        const std::size_t h = t.r1 - t.r0, w = t.c1 - t.c0, W = w + 2;
        std::vector<float> z((h + 2) * W, std::numeric_limits<float>::quiet_NaN());
        for (std::size_t r = 0; r < h + 2; ++r)
            for (std::size_t c = 0; c < W; ++c) {
                const std::size_t gr = t.r0 + r - 1, gc = t.c0 + c - 1; // -1 wraps: off the grid
                if (gr >= m_rows || gc >= m_cols || !valid(gr * m_cols + gc))
                    continue;
                const bool inside = r >= 1 && r <= h && c >= 1 && c <= w;
                z[r * W + c] = inside ? m_z[gr * m_cols + gc] : 0.0f;
            }
        std::vector<Label> label;
        TileFlood flood = detail::flood_tile(z, h, w, label);
        for (std::size_t r = 0; r < h; ++r)
            for (std::size_t c = 0; c < w; ++c) {
                const std::size_t i = (t.r0 + r) * m_cols + t.c0 + c;
                m_label[i] = label[r * w + c];
                if (valid(i))
                    m_z[i] = z[(r + 1) * W + c + 1];
            }
        return flood;
    }

    /// The spills between the border cells of neighbouring tiles (each a start of its tile's
    /// flood, so its F_t is its own elevation).
    void add_border_spills(const std::vector<Label>& offset, std::vector<Spill>& spills) const
    {
        const std::size_t per_row = (m_cols + m_side - 1) / m_side;
        const auto tile_of = [&](std::size_t r, std::size_t c) {
            return (r / m_side) * per_row + c / m_side;
        };
        for (std::size_t t = 0; t < m_tiles.size(); ++t) {
            const Tile& tile = m_tiles[t];
            for (std::size_t r = tile.r0; r < tile.r1; ++r)
                for (std::size_t c = tile.c0; c < tile.c1; ++c) {
                    if (r != tile.r0 && c != tile.c0 && r + 1 != tile.r1 && c + 1 != tile.c1)
                        continue;
                    const std::size_t i = r * m_cols + c;
                    if (!valid(i))
                        continue;
                    for (int d = 0; d < 8; ++d) {
                        const std::size_t nr = r + direction_row_offset[d],
                                          nc = c + direction_col_offset[d];
                        if (nr >= m_rows || nc >= m_cols)
                            continue;
                        const std::size_t u = tile_of(nr, nc), j = nr * m_cols + nc;
                        if (u <= t || !valid(j)) // each pair of tiles once, from the lower one
                            continue;
                        const Label a = m_label[i] + offset[t], b = m_label[j] + offset[u];
                        spills.push_back(
                          { std::min(a, b), std::max(a, b), std::max(m_z[i], m_z[j]) });
                    }
                }
        }
    }

    /// F(c) = max(F_t(c), the level of c's label).
    void raise_tile(std::size_t t, Label offset, const std::vector<float>& levels)
    {
        const Tile& tile = m_tiles[t];
        for (std::size_t r = tile.r0; r < tile.r1; ++r)
            for (std::size_t c = tile.c0; c < tile.c1; ++c) {
                const std::size_t i = r * m_cols + c;
                if (valid(i))
                    m_z[i] = std::max(m_z[i], levels[m_label[i] + offset]);
            }
    }
};

} // namespace

void detail::fill_in_tiles(Raster<float>& out, std::size_t tile_side, const Progress& progress)
{
    TiledFill(out, tile_side).run(progress);
}

} // namespace landel::analysis::hydrology
