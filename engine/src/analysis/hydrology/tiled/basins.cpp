// Basins out of memory. delineate_basins() (../basins.cpp) gives every cell the basin of a
// seed: a link head or an outlet. Seen cell by cell, a cell takes its label from one other
// cell, its parent: a non-seed stream cell from the stream cell above it on its link (it has
// exactly one), any other non-seed cell from the cell it drains into; a seed labels itself.
// Parents form trees rooted at the seeds. So:
// 1. each tile follows its cells' parents inside the tile, to a seed or out of the tile (to a
//    cell of a neighbouring tile's border), and records that for its own border cells;
// 2. chains over the border cells give every border cell its seed;
// 3. each tile follows its cells again, now to a seed everywhere, and finds each basin's first
//    cell; the basins are numbered in order of their first cells, as in memory;
// 4. each tile writes its labels; a link's exit (the head its last cell drains into) gives the
//    downstream basin.
#include "landel/analysis/hydrology/tiled.h"

#include "../merge_plan.h"

#include "landel/core/error.h"
#include "landel/parallel/for_each_index.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <mutex>
#include <string>
#include <unordered_map>

namespace landel::analysis::hydrology::tiled {

namespace {

constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();
/// A resolution that points out of the tile (to a grid cell) rather than at a seed.
constexpr std::size_t outward = std::size_t(1) << 63;

/// One tile's network with its ring: directions and stream cells.
class TileNetwork
{
public:
    TileNetwork(const TiledRaster<std::uint8_t>& directions,
                const TiledRaster<std::uint8_t>& streams,
                std::size_t tile,
                BasinMode mode)
      : m_cols(directions.layout().cols())
      , m_box(directions.layout().box(tile))
      , m_W(m_box.cols() + 2)
      , m_dir(directions.read_with_ring(tile))
      , m_stream(streams.read_with_ring(tile))
      , m_mode(mode)
    {
    }

    const CellBox& box() const { return m_box; }
    /// Window index of tile-local cell (r, c).
    std::size_t window(std::size_t r, std::size_t c) const { return (r + 1) * m_W + c + 1; }
    std::size_t grid_index(std::size_t k) const
    {
        return (m_box.r0 + k / m_W - 1) * m_cols + m_box.c0 + k % m_W - 1;
    }
    bool inside(std::size_t k) const
    {
        const std::size_t r = k / m_W, c = k % m_W;
        return r >= 1 && r <= m_box.rows() && c >= 1 && c <= m_box.cols();
    }
    bool valid(std::size_t k) const { return m_dir[k] != kNoFlow; }
    bool stream(std::size_t k) const { return valid(k) && m_stream[k] != 0; }

    /// The window cell @p k drains into, npos where its flow ends. @pre inside(k)
    std::size_t downstream(std::size_t k) const
    {
        const std::uint8_t d = m_dir[k];
        if (d == kOutlet)
            return npos;
        if (d > kOutlet)
            throw InvalidArgument("flow direction " + std::to_string(int(d)) + " at grid cell " +
                                  std::to_string(grid_index(k)) + " is not a D8 code");
        const std::size_t j = std::size_t(std::ptrdiff_t(k) + step(d));
        return valid(j) ? j : npos;
    }

    /// The stream cells flowing into @p k (inside(k)), and one of them in @p above.
    int inflowing_streams(std::size_t k, std::size_t& above) const
    {
        int n = 0;
        for (int d = 0; d < 8; ++d) {
            const std::size_t j = std::size_t(std::ptrdiff_t(k) + step(d));
            if (stream(j) && m_dir[j] == (d + 4) % 8) {
                ++n;
                above = j;
            }
        }
        return n;
    }

    /// The cell @p k takes its label from, or npos for a seed; @p k is inside and valid.
    std::size_t parent(std::size_t k) const
    {
        const bool links = m_mode == BasinMode::Links;
        if (links && stream(k)) {
            std::size_t above = npos;
            return inflowing_streams(k, above) == 1 ? above : npos;
        }
        return downstream(k);
    }

    /// Where a link may end: for a stream cell @p k (Links), the cell it drains into unless
    /// that cell is inside the tile and continues the same link (a stream cell with exactly one
    /// stream above it). A cell on the ring is returned too; the caller keeps it only when its
    /// label differs (the ring cell continues the link exactly when it has the same seed).
    std::size_t exit(std::size_t k) const
    {
        if (m_mode != BasinMode::Links || !stream(k))
            return npos;
        const std::size_t next = downstream(k);
        if (next == npos)
            return npos;
        std::size_t above = npos;
        if (inside(next) && stream(next) && inflowing_streams(next, above) == 1)
            return npos;
        return next;
    }

private:
    std::ptrdiff_t step(int d) const
    {
        return direction_row_offset[std::size_t(d)] * std::ptrdiff_t(m_W) +
               direction_col_offset[std::size_t(d)];
    }

    std::size_t m_cols;
    CellBox m_box;
    std::size_t m_W;
    std::vector<std::uint8_t> m_dir, m_stream;
    BasinMode m_mode;
};

/// Per window cell: its seed (grid index) or, with the outward bit, the grid cell outside the
/// tile its chain of parents leaves by; npos on nodata and the ring.
std::vector<std::size_t> resolve_tile(const TileNetwork& net,
                                      const std::unordered_map<std::size_t, std::size_t>* border)
{
    const CellBox& b = net.box();
    std::vector<std::size_t> res((b.rows() + 2) * (b.cols() + 2), npos);
    std::vector<std::size_t> path;
    for (std::size_t r = 0; r < b.rows(); ++r)
        for (std::size_t c = 0; c < b.cols(); ++c) {
            std::size_t k = net.window(r, c);
            if (!net.valid(k) || res[k] != npos)
                continue;
            std::size_t found = npos;
            while (found == npos) {
                if (res[k] != npos) {
                    found = res[k];
                    break;
                }
                path.push_back(k);
                const std::size_t p = net.parent(k);
                if (p == npos) {
                    found = net.grid_index(k);
                } else if (!net.inside(p)) {
                    const std::size_t g = net.grid_index(p);
                    if (border) {
                        const auto it = border->find(g);
                        if (it == border->end())
                            throw Error("basins: a border cell was not resolved");
                        found = it->second;
                    } else {
                        found = g | outward;
                    }
                } else {
                    k = p;
                }
                if (path.size() > b.size())
                    throw InvalidArgument("basins: the flow directions contain a cycle");
            }
            for (std::size_t q : path)
                res[q] = found;
            path.clear();
        }
    return res;
}

} // namespace

TiledBasins delineate_basins(const TiledRaster<std::uint8_t>& directions,
                             const TiledRaster<std::uint8_t>& streams,
                             std::size_t stream_count,
                             BasinMode mode,
                             const TileStorageFactory& storage,
                             const Progress& progress)
{
    const TileLayout& layout = directions.layout();
    const std::size_t tiles = layout.tiles();

    // 1. Each border cell's resolution inside its tile.
    std::vector<std::vector<std::pair<std::size_t, std::size_t>>> border_res(tiles);
    parallel::for_each_index(tiles, [&](std::size_t t) {
        const TileNetwork net(directions, streams, t, mode);
        const std::vector<std::size_t> res = resolve_tile(net, nullptr);
        const CellBox& b = net.box();
        for (std::size_t r = 0; r < b.rows(); ++r)
            for (std::size_t c = 0; c < b.cols(); ++c) {
                if (r != 0 && c != 0 && r + 1 != b.rows() && c + 1 != b.cols())
                    continue;
                const std::size_t k = net.window(r, c);
                if (res[k] != npos)
                    border_res[t].emplace_back(net.grid_index(k), res[k]);
            }
    });
    report_progress(progress, 0.3, "basins");

    // 2. Chains across tiles, to their seeds.
    std::unordered_map<std::size_t, std::size_t> seed_of;
    for (auto& cells : border_res) {
        for (const auto& [cell, res] : cells)
            seed_of.emplace(cell, res);
        cells = {};
    }
    for (auto& [cell, res] : seed_of) {
        std::size_t at = res, steps = 0;
        while (at & outward) {
            at = seed_of.at(at & ~outward);
            if (++steps > seed_of.size())
                throw InvalidArgument("basins: the flow directions contain a cycle");
        }
        res = at;
    }

    // 3. Every basin's first cell, and the link exits.
    std::vector<std::unordered_map<std::size_t, std::size_t>> first_in(tiles);
    std::vector<std::vector<std::pair<std::size_t, std::size_t>>> exits(tiles); // seed, cell
    parallel::for_each_index(tiles, [&](std::size_t t) {
        const TileNetwork net(directions, streams, t, mode);
        const std::vector<std::size_t> res = resolve_tile(net, &seed_of);
        const CellBox& b = net.box();
        std::size_t previous = npos; // runs of one basin along a row need one look-up
        for (std::size_t r = 0; r < b.rows(); ++r)
            for (std::size_t c = 0; c < b.cols(); ++c) {
                const std::size_t k = net.window(r, c);
                if (res[k] == npos)
                    continue;
                if (res[k] != previous) // cells come in grid order: the first one stays
                    first_in[t].emplace(res[k], net.grid_index(k));
                previous = res[k];
                const std::size_t next = net.exit(k);
                if (next != npos)
                    exits[t].emplace_back(res[k], net.grid_index(next));
            }
    });
    report_progress(progress, 0.6, "basins");
    std::unordered_map<std::size_t, std::size_t> first; // seed -> first cell
    for (auto& tile : first_in) {
        for (const auto& [seed, cell] : tile) {
            const auto [it, added] = first.emplace(seed, cell);
            if (!added)
                it->second = std::min(it->second, cell);
        }
        tile = {};
    }
    std::vector<std::pair<std::size_t, std::size_t>> order; // (first cell, seed)
    order.reserve(first.size());
    for (const auto& [seed, cell] : first)
        order.emplace_back(cell, seed);
    std::sort(order.begin(), order.end());
    if (order.size() >= std::size_t(std::numeric_limits<std::int32_t>::max()))
        throw Error("basins: more than 2^31 basins");
    std::unordered_map<std::size_t, std::int32_t> label_of; // seed -> label
    for (std::size_t k = 0; k < order.size(); ++k)
        label_of.emplace(order[k].second, std::int32_t(k + 1));
    order = {};

    // 4. The labels, and each exit's cell's label.
    TiledBasins out{ TiledRaster<std::int32_t>(layout, storage, 0), {}, stream_count };
    std::unordered_map<std::size_t, std::int32_t> exit_label; // exit cell -> its label
    std::vector<std::vector<std::size_t>> exit_cells(tiles);
    for (const auto& tile : exits)
        for (const auto& [seed, cell] : tile)
            exit_cells[layout.tile_of(cell / layout.cols(), cell % layout.cols())].push_back(cell);
    std::mutex exit_lock;
    parallel::for_each_index(tiles, [&](std::size_t t) {
        const TileNetwork net(directions, streams, t, mode);
        const std::vector<std::size_t> res = resolve_tile(net, &seed_of);
        const CellBox& b = net.box();
        std::vector<std::int32_t> labels(b.size(), 0);
        std::size_t previous = npos;
        std::int32_t previous_label = 0;
        for (std::size_t r = 0; r < b.rows(); ++r)
            for (std::size_t c = 0; c < b.cols(); ++c) {
                const std::size_t k = net.window(r, c);
                if (res[k] == npos)
                    continue;
                if (res[k] != previous) {
                    previous = res[k];
                    previous_label = label_of.at(previous);
                }
                labels[r * b.cols() + c] = previous_label;
            }
        {
            const std::lock_guard<std::mutex> lock(exit_lock);
            for (std::size_t cell : exit_cells[t])
                exit_label[cell] =
                  labels[(cell / layout.cols() - b.r0) * b.cols() + cell % layout.cols() - b.c0];
        }
        out.labels.write(t, labels);
    });
    out.downstream.assign(label_of.size() + 1, 0);
    for (const auto& tile : exits)
        for (const auto& [seed, cell] : tile) {
            const std::int32_t from = label_of.at(seed), into = exit_label.at(cell);
            if (into != from)
                out.downstream[std::size_t(from)] = into;
        }
    report_progress(progress, 1.0, "basins");
    return out;
}

void merge_small_basins(TiledBasins& basins, std::size_t min_cells)
{
    const std::size_t tiles = basins.labels.layout().tiles();
    if (basins.downstream.empty())
        basins.downstream.assign(1, 0);
    const std::size_t labels = basins.downstream.size();
    std::vector<std::size_t> size(labels, 0);
    std::mutex size_lock;
    parallel::for_each_index(tiles, [&](std::size_t t) {
        std::unordered_map<std::int32_t, std::size_t> here;
        const std::vector<std::int32_t> values = basins.labels.read(t);
        for (std::size_t k = 0; k < values.size();) {
            const std::int32_t l = values[k];
            if (l < 0 || std::size_t(l) >= labels)
                throw InvalidArgument("basins: label " + std::to_string(l) +
                                      " has no downstream entry");
            std::size_t run = 1; // a run of one label counts with one look-up
            while (k + run < values.size() && values[k + run] == l)
                ++run;
            here[l] += run;
            k += run;
        }
        const std::lock_guard<std::mutex> lock(size_lock);
        for (const auto& [l, n] : here)
            size[std::size_t(l)] += n;
    });
    detail::MergePlan plan = detail::plan_small_basin_merges(size, basins.downstream, min_cells);
    parallel::for_each_index(tiles, [&](std::size_t t) {
        std::vector<std::int32_t> values = basins.labels.read(t);
        for (std::int32_t& l : values)
            l = plan.renumber[std::size_t(l)];
        basins.labels.write(t, values);
    });
    basins.downstream = std::move(plan.downstream);
}

} // namespace landel::analysis::hydrology::tiled
