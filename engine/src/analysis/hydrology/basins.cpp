#include "landel/analysis/hydrology/hydrology.h"
#include "landel/core/error.h"

#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <queue>
#include <string>
#include <utility>

namespace landel::analysis::hydrology {

namespace {

constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

/// Read-only view of a direction raster with the stream rule applied.
class Network
{
public:
    Network(const Raster<std::uint8_t>& directions,
            const Raster<double>& accumulation,
            double threshold)
      : m_rows(directions.rows())
      , m_cols(directions.cols())
      , m_dir(directions.values())
      , m_mask(directions.mask())
      , m_acc(accumulation.values())
      , m_threshold(threshold)
    {
    }

    bool valid(std::size_t i) const
    {
        return m_dir[i] != kNoFlow && (m_mask.empty() || m_mask[i] != 0);
    }
    bool stream(std::size_t i) const { return valid(i) && m_acc[i] >= m_threshold; }

    /// The cell @p i drains into, or npos where its flow ends (outlet, off the grid, nodata).
    std::size_t downstream(std::size_t i) const
    {
        const std::uint8_t d = m_dir[i];
        if (d == kOutlet)
            return npos;
        if (d > kOutlet)
            throw InvalidArgument("flow direction " + std::to_string(int(d)) + " at (row " +
                                  std::to_string(i / m_cols) + ", col " +
                                  std::to_string(i % m_cols) + ") is not a D8 code");
        const std::size_t r = i / m_cols + direction_row_offset[d]; // -1 wraps: caught below
        const std::size_t c = i % m_cols + direction_col_offset[d];
        if (r >= m_rows || c >= m_cols || !valid(r * m_cols + c))
            return npos;
        return r * m_cols + c;
    }

    /// A stream cell with no upstream stream cell (a source) or with several (a confluence).
    bool link_head(std::size_t i) const
    {
        const std::size_t r = i / m_cols, c = i % m_cols;
        int inflowing_streams = 0;
        for (int k = 0; k < 8; ++k) {
            const std::size_t nr = r + direction_row_offset[k];
            const std::size_t nc = c + direction_col_offset[k];
            if (nr >= m_rows || nc >= m_cols)
                continue;
            const std::size_t j = nr * m_cols + nc;
            inflowing_streams += stream(j) && m_dir[j] == (k + 4) % 8;
        }
        return inflowing_streams != 1;
    }

private:
    std::size_t m_rows, m_cols;
    const std::vector<std::uint8_t>& m_dir;
    const std::vector<std::uint8_t>& m_mask;
    const std::vector<double>& m_acc;
    double m_threshold;
};

std::int32_t new_label(std::vector<std::size_t>& exit_cell, std::size_t exit)
{
    if (exit_cell.size() > std::size_t(std::numeric_limits<std::int32_t>::max()))
        throw Error("basins: more than 2^31 basins");
    exit_cell.push_back(exit);
    return std::int32_t(exit_cell.size() - 1);
}

/// Labels the link whose head is @p head with @p link, walking down to the next link head;
/// the cell the link flows into there is its exit. A link never loops: a cell it walks into
/// from outside a cycle would have two upstream stream cells, and so be a head that stops the
/// walk.
void label_link(const Network& net,
                std::size_t head,
                std::int32_t link,
                std::vector<std::int32_t>& label,
                std::vector<std::size_t>& exit_cell)
{
    std::size_t cell = head;
    for (;;) {
        label[cell] = link;
        const std::size_t next = net.downstream(cell);
        if (next == npos)
            return;
        if (!net.stream(next) || net.link_head(next)) {
            exit_cell[std::size_t(link)] = next;
            return;
        }
        cell = next;
    }
}

} // namespace

Basins delineate_basins(const Raster<std::uint8_t>& directions,
                        const Raster<double>& accumulation,
                        double threshold_cells,
                        BasinMode mode)
{
    const Grid& grid = directions.grid();
    if (accumulation.rows() != grid.rows() || accumulation.cols() != grid.cols())
        throw GridMismatch("basins: accumulation is " + std::to_string(accumulation.rows()) +
                           " x " + std::to_string(accumulation.cols()) + " cells, directions " +
                           std::to_string(grid.rows()) + " x " + std::to_string(grid.cols()));
    if (std::isnan(threshold_cells))
        throw InvalidArgument("basins: the stream threshold is NaN");
    if (!directions.mask().empty() && directions.mask().size() != grid.size())
        throw InvalidArgument("flow direction mask has " +
                              std::to_string(directions.mask().size()) + " cells, its grid " +
                              std::to_string(grid.size()));

    const Network net(directions, accumulation, threshold_cells);
    const std::size_t n = grid.size();
    Basins basins;
    basins.labels = Raster<std::int32_t>(grid, 0);
    basins.labels.mask() = directions.mask();
    std::vector<std::int32_t>& label = basins.labels.values();
    // Per provisional label: the cell its water leaves the basin into (npos: nowhere).
    std::vector<std::size_t> exit_cell(1, npos);

    // Seeds: each link (walked down to the next link head), or each outlet that carries no
    // stream. Under Outlets every outlet is a seed.
    for (std::size_t i = 0; i < n; ++i) {
        if (!net.valid(i))
            continue;
        const bool stream = net.stream(i);
        basins.stream_cells += stream;
        if (mode == BasinMode::Links && stream) {
            if (!net.link_head(i))
                continue;
            label_link(net, i, new_label(exit_cell, npos), label, exit_cell);
        } else if ((mode == BasinMode::Outlets || !stream) && net.downstream(i) == npos) {
            label[i] = new_label(exit_cell, npos);
        }
    }

    // Every other cell takes the label of the first labelled cell downstream of it; the walk
    // labels its whole path, so each cell is walked once. -1 marks the path in progress.
    std::vector<std::size_t> path;
    for (std::size_t i = 0; i < n; ++i) {
        if (label[i] != 0 || !net.valid(i))
            continue;
        std::size_t cell = i;
        while (label[cell] == 0) {
            label[cell] = -1;
            path.push_back(cell);
            cell = net.downstream(cell);
            if (cell == npos) // only reachable when accumulation does not match directions
                throw InvalidArgument("basins: an outlet without a basin; was the "
                                      "accumulation computed from these directions?");
        }
        if (label[cell] < 0)
            throw InvalidArgument("basins: the flow directions contain a cycle");
        for (std::size_t p : path)
            label[p] = label[cell];
        path.clear();
    }

    // Final labels in order of each basin's lowest cell index.
    std::vector<std::int32_t> renumber(exit_cell.size(), 0);
    std::int32_t count = 0;
    for (std::int32_t& l : label)
        if (l > 0) {
            if (renumber[std::size_t(l)] == 0)
                renumber[std::size_t(l)] = ++count;
            l = renumber[std::size_t(l)];
        }
    basins.downstream.assign(std::size_t(count) + 1, 0);
    for (std::size_t provisional = 1; provisional < exit_cell.size(); ++provisional)
        if (exit_cell[provisional] != npos && renumber[provisional] != 0)
            basins.downstream[std::size_t(renumber[provisional])] = label[exit_cell[provisional]];
    return basins;
}

void merge_small_basins(Basins& basins, std::size_t min_cells)
{
    std::vector<std::int32_t>& label = basins.labels.values();
    std::vector<std::int32_t>& downstream = basins.downstream;
    if (downstream.empty())
        downstream.assign(1, 0);
    const std::size_t labels = downstream.size();

    std::vector<std::size_t> size(labels, 0);
    for (std::int32_t l : label) {
        if (l < 0 || std::size_t(l) >= labels)
            throw InvalidArgument("basins: label " + std::to_string(l) +
                                  " has no downstream entry");
        ++size[std::size_t(l)];
    }
    for (std::int32_t d : downstream)
        if (d < 0 || std::size_t(d) >= labels)
            throw InvalidArgument("basins: downstream label " + std::to_string(d) +
                                  " is not a basin");

    // Union-find: a merged basin points at the basin that absorbed it.
    std::vector<std::int32_t> absorbed_by(labels);
    std::iota(absorbed_by.begin(), absorbed_by.end(), 0);
    const auto root = [&](std::int32_t l) {
        while (absorbed_by[std::size_t(l)] != l) {
            absorbed_by[std::size_t(l)] = absorbed_by[std::size_t(absorbed_by[std::size_t(l)])];
            l = absorbed_by[std::size_t(l)];
        }
        return l;
    };

    // Smallest first, then the lowest label; entries whose size changed since are stale.
    using Entry = std::pair<std::size_t, std::int32_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> smallest;
    for (std::size_t l = 1; l < labels; ++l)
        if (size[l] < min_cells)
            smallest.emplace(size[l], std::int32_t(l));
    while (!smallest.empty()) {
        const auto [cells, l] = smallest.top();
        smallest.pop();
        if (absorbed_by[std::size_t(l)] != l || size[std::size_t(l)] != cells)
            continue;
        const std::int32_t into =
          downstream[std::size_t(l)] == 0 ? 0 : root(downstream[std::size_t(l)]);
        if (into == 0 || into == l) // drains nowhere: stays
            continue;
        absorbed_by[std::size_t(l)] = into;
        size[std::size_t(into)] += cells;
        if (size[std::size_t(into)] < min_cells)
            smallest.emplace(size[std::size_t(into)], into);
    }

    std::vector<std::int32_t> renumber(labels, 0);
    std::int32_t count = 0;
    for (std::int32_t& l : label)
        if (l > 0) {
            const std::int32_t r = root(l);
            if (renumber[std::size_t(r)] == 0)
                renumber[std::size_t(r)] = ++count;
            l = renumber[std::size_t(r)];
        }
    // A surviving basin drains where its own outflow went; the basins it absorbed lay upstream.
    std::vector<std::int32_t> merged(std::size_t(count) + 1, 0);
    for (std::size_t l = 1; l < labels; ++l)
        if (absorbed_by[l] == std::int32_t(l) && renumber[l] != 0 && downstream[l] != 0)
            merged[std::size_t(renumber[l])] = renumber[std::size_t(root(downstream[l]))];
    downstream = std::move(merged);
}

} // namespace landel::analysis::hydrology
