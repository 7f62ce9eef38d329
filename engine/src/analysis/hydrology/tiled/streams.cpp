// Flow accumulation out of memory, after Barnes (2017), "Parallel non-divergent flow
// accumulation for trillion cell digital elevation models", Environmental Modelling &
// Software 92, 202-212, doi:10.1016/j.envsoft.2017.02.022:
// 1. each tile accumulates its own cells (counting only flow from inside the tile), and
//    records its out cells (border cells whose flow goes on into another tile, with their
//    local accumulation and the cell they flow into) and, for each border cell that receives
//    flow from another tile, the out cell where that flow leaves the tile again (or none);
// 2. over those border cells only, the flow each out cell passes on is its local accumulation
//    plus everything entering the tile upstream of it, solved in topological order;
// 3. each tile accumulates again with its inflows added where they enter, and keeps the
//    cells at or above the stream threshold.
// Counts are exact integers, so the result is flow_accumulation()'s for any tiling and thread
// count.
#include "landel/analysis/hydrology/tiled.h"

#include "landel/core/error.h"
#include "landel/parallel/for_each_index.h"
#include "landel/parallel/progress_counter.h"

#include <atomic>
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

namespace landel::analysis::hydrology::tiled {

namespace {

constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

/// One tile's flow: per cell, the local cell it drains into inside the tile (npos: none) or,
/// through the ring, the grid cell outside it.
class TileFlow
{
public:
    TileFlow(const TiledRaster<std::uint8_t>& directions, std::size_t tile)
      : m_layout(directions.layout())
      , m_box(m_layout.box(tile))
      , m_dir(directions.read_with_ring(tile))
    {
        const std::size_t h = m_box.rows(), w = m_box.cols(), W = w + 2;
        m_down.assign(h * w, npos);
        m_out.assign(h * w, npos);
        for (std::size_t r = 0; r < h; ++r)
            for (std::size_t c = 0; c < w; ++c) {
                const std::uint8_t d = m_dir[(r + 1) * W + c + 1];
                if (d > kOutlet && d != kNoFlow)
                    throw InvalidArgument("flow direction " + std::to_string(int(d)) + " at (row " +
                                          std::to_string(m_box.r0 + r) + ", col " +
                                          std::to_string(m_box.c0 + c) + ") is not a D8 code");
                if (d >= kOutlet)
                    continue;
                const std::size_t nr = r + 1 + std::size_t(direction_row_offset[d]);
                const std::size_t nc = c + 1 + std::size_t(direction_col_offset[d]);
                if (m_dir[nr * W + nc] == kNoFlow) // off the grid or nodata: the flow ends
                    continue;
                if (nr >= 1 && nr <= h && nc >= 1 && nc <= w)
                    m_down[r * w + c] = (nr - 1) * w + nc - 1;
                else
                    m_out[r * w + c] = (m_box.r0 + nr - 1) * m_layout.cols() + m_box.c0 + nc - 1;
            }
    }

    const CellBox& box() const { return m_box; }
    bool valid(std::size_t k) const
    {
        const std::size_t W = m_box.cols() + 2;
        return m_dir[(k / m_box.cols() + 1) * W + k % m_box.cols() + 1] != kNoFlow;
    }
    std::size_t down(std::size_t k) const { return m_down[k]; }
    /// The grid cell outside the tile that local cell @p k flows into, or npos.
    std::size_t out(std::size_t k) const { return m_out[k]; }
    std::size_t grid_index(std::size_t k) const
    {
        return (m_box.r0 + k / m_box.cols()) * m_layout.cols() + m_box.c0 + k % m_box.cols();
    }

    /// The tile's border cells that receive flow from a ring cell.
    std::vector<std::size_t> inflow_cells() const
    {
        const std::size_t h = m_box.rows(), w = m_box.cols(), W = w + 2;
        std::vector<std::size_t> cells;
        for (std::size_t r = 0; r < h; ++r)
            for (std::size_t c = 0; c < w; ++c) {
                if ((r != 0 && c != 0 && r + 1 != h && c + 1 != w) || !valid(r * w + c))
                    continue;
                for (int d = 0; d < 8; ++d) {
                    const std::size_t nr = r + 1 + std::size_t(direction_row_offset[d]);
                    const std::size_t nc = c + 1 + std::size_t(direction_col_offset[d]);
                    const bool ring = nr == 0 || nc == 0 || nr == h + 1 || nc == w + 1;
                    if (ring && m_dir[nr * W + nc] == (d + 4) % 8) {
                        cells.push_back(r * w + c);
                        break;
                    }
                }
            }
        return cells;
    }

    /// Accumulation of the tile's cells from their own weights (1 plus any inflow from
    /// outside), in topological order.
    std::vector<std::uint64_t> accumulate(const std::vector<std::uint64_t>& extra) const
    {
        const std::size_t n = m_box.size();
        std::vector<std::uint32_t> inflows(n, 0);
        for (std::size_t k = 0; k < n; ++k)
            if (m_down[k] != npos)
                ++inflows[m_down[k]];
        std::vector<std::uint64_t> acc(n, 0);
        for (std::size_t k = 0; k < n; ++k)
            if (valid(k))
                acc[k] = 1 + extra[k];
        std::vector<std::size_t> ready;
        std::size_t done = 0;
        for (std::size_t k = 0; k < n; ++k)
            if (valid(k) && inflows[k] == 0)
                ready.push_back(k);
        while (!ready.empty()) {
            const std::size_t k = ready.back();
            ready.pop_back();
            ++done;
            const std::size_t j = m_down[k];
            if (j == npos)
                continue;
            acc[j] += acc[k];
            if (--inflows[j] == 0)
                ready.push_back(j);
        }
        std::size_t valid_cells = 0;
        for (std::size_t k = 0; k < n; ++k)
            valid_cells += valid(k);
        if (done != valid_cells)
            throw InvalidArgument("flow accumulation: the flow directions contain a cycle");
        return acc;
    }

private:
    const TileLayout& m_layout;
    CellBox m_box;
    std::vector<std::uint8_t> m_dir; ///< with the ring
    std::vector<std::size_t> m_down, m_out;
};

/// What step 1 records for one tile.
struct TileLinks
{
    /// Out cells: (grid index, local accumulation, grid cell it flows into).
    std::vector<std::tuple<std::size_t, std::uint64_t, std::size_t>> out_cells;
    /// Inflow cells: (grid index, the out cell its flow leaves by, npos: none).
    std::vector<std::pair<std::size_t, std::size_t>> inflow_exits;
};

TileLinks link_tile(const TileFlow& flow)
{
    TileLinks links;
    const std::vector<std::uint64_t> acc =
      flow.accumulate(std::vector<std::uint64_t>(flow.box().size(), 0));
    for (std::size_t k = 0; k < acc.size(); ++k)
        if (flow.out(k) != npos)
            links.out_cells.emplace_back(flow.grid_index(k), acc[k], flow.out(k));
    // Each inflow cell's last cell in the tile. Flow paths join, so each cell's last cell is
    // remembered once found: the walks cost one step per cell of the tile, not per cell of
    // every path (a border cell's path may cross the whole tile).
    constexpr std::uint32_t unknown = std::numeric_limits<std::uint32_t>::max();
    if (acc.size() >= unknown)
        throw InvalidArgument("flow accumulation: a tile of " + std::to_string(acc.size()) +
                              " cells; tiles hold fewer than 2^32");
    std::vector<std::uint32_t> last_of(acc.size(), unknown);
    std::vector<std::size_t> path;
    for (std::size_t k : flow.inflow_cells()) {
        std::size_t cell = k;
        while (last_of[cell] == unknown && flow.down(cell) != npos) {
            path.push_back(cell);
            cell = flow.down(cell);
            if (path.size() > acc.size())
                throw InvalidArgument("flow accumulation: the flow directions contain a cycle");
        }
        const std::uint32_t last = last_of[cell] != unknown ? last_of[cell] : std::uint32_t(cell);
        for (std::size_t q : path)
            last_of[q] = last;
        last_of[cell] = last;
        path.clear();
        links.inflow_exits.emplace_back(flow.grid_index(k),
                                        flow.out(last) != npos ? flow.grid_index(last) : npos);
    }
    return links;
}

/// Step 2: the flow entering each inflow cell from other tiles.
std::unordered_map<std::size_t, std::uint64_t> solve_inflows(const std::vector<TileLinks>& tiles)
{
    struct OutCell
    {
        std::uint64_t passed; ///< local accumulation, then plus the inflows upstream of it
        std::size_t into;
        std::uint32_t waiting = 0; ///< out cells upstream not yet passed on
    };
    std::unordered_map<std::size_t, OutCell> out;
    std::unordered_map<std::size_t, std::size_t> exit_of; // inflow cell -> out cell or npos
    for (const TileLinks& t : tiles) {
        for (const auto& [cell, acc, into] : t.out_cells)
            out.emplace(cell, OutCell{ acc, into });
        for (const auto& [cell, exit] : t.inflow_exits)
            exit_of.emplace(cell, exit);
    }
    for (const auto& [cell, o] : out) {
        const std::size_t exit = exit_of.at(o.into);
        if (exit != npos)
            ++out.at(exit).waiting;
    }
    std::vector<std::size_t> ready;
    for (const auto& [cell, o] : out)
        if (o.waiting == 0)
            ready.push_back(cell);
    std::unordered_map<std::size_t, std::uint64_t> inflow;
    std::size_t done = 0;
    while (!ready.empty()) {
        const std::size_t cell = ready.back();
        ready.pop_back();
        ++done;
        const OutCell& o = out.at(cell);
        inflow[o.into] += o.passed;
        const std::size_t exit = exit_of.at(o.into);
        if (exit == npos)
            continue;
        OutCell& next = out.at(exit);
        next.passed += o.passed;
        if (--next.waiting == 0)
            ready.push_back(exit);
    }
    if (done != out.size())
        throw InvalidArgument("flow accumulation: the flow directions contain a cycle");
    return inflow;
}

} // namespace

TiledRaster<std::uint8_t> stream_cells(const TiledRaster<std::uint8_t>& directions,
                                       double threshold_cells,
                                       const TileStorageFactory& storage,
                                       std::size_t& stream_count,
                                       const Progress& progress)
{
    const TileLayout& layout = directions.layout();
    std::vector<TileLinks> links(layout.tiles());
    {
        parallel::ProgressCounter linked(progress, 0.0, 0.45, layout.tiles(), "accumulation");
        parallel::for_each_index(layout.tiles(), [&](std::size_t t) {
            links[t] = link_tile(TileFlow(directions, t));
            linked.step();
        });
    }
    const std::unordered_map<std::size_t, std::uint64_t> inflow = solve_inflows(links);
    links = {};

    TiledRaster<std::uint8_t> streams(layout, storage, 0);
    std::atomic<std::size_t> count{ 0 };
    parallel::ProgressCounter accumulated(progress, 0.55, 1.0, layout.tiles(), "accumulation");
    parallel::for_each_index(layout.tiles(), [&](std::size_t t) {
        const TileFlow flow(directions, t);
        std::vector<std::uint64_t> extra(flow.box().size(), 0);
        for (std::size_t k : flow.inflow_cells()) {
            const auto in = inflow.find(flow.grid_index(k));
            if (in != inflow.end())
                extra[k] = in->second;
        }
        const std::vector<std::uint64_t> acc = flow.accumulate(extra);
        std::vector<std::uint8_t> stream(acc.size(), 0);
        std::size_t here = 0;
        for (std::size_t k = 0; k < acc.size(); ++k)
            if (flow.valid(k) && double(acc[k]) >= threshold_cells) {
                stream[k] = 1;
                ++here;
            }
        count += here;
        streams.write(t, stream);
        accumulated.step();
    });
    stream_count = count;
    return streams;
}

} // namespace landel::analysis::hydrology::tiled
