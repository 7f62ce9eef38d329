#include "landel/analysis/hydrology/hydrology.h"
#include "landel/core/error.h"
#include "landel/parallel/for_each_index.h"
#include "merge_plan.h"

#include <algorithm>
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
    std::size_t size() const { return m_rows * m_cols; }

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

/// Cells per band of rows in the parallel passes.
constexpr std::size_t kBandCells = 1 << 16;

/// Step 1, in bands of rows: the seeds in cell order - the head of each stream link (Links),
/// each outlet that carries no stream (Links) or every outlet (Outlets) - and the number of
/// stream cells.
std::vector<std::size_t> find_seeds(const Network& net,
                                    BasinMode mode,
                                    std::size_t band,
                                    std::size_t& stream_cells)
{
    const std::size_t n = net.size();
    const std::size_t bands = (n + band - 1) / band;
    std::vector<std::vector<std::size_t>> found(bands);
    std::vector<std::size_t> streams(bands, 0);
    parallel::for_each_index(bands, [&](std::size_t b) {
        for (std::size_t i = b * band; i < std::min(n, (b + 1) * band); ++i) {
            if (!net.valid(i))
                continue;
            const bool stream = net.stream(i);
            streams[b] += stream;
            if (mode == BasinMode::Links && stream ? net.link_head(i) : net.downstream(i) == npos)
                found[b].push_back(i);
        }
    });
    std::vector<std::size_t> seeds;
    for (std::size_t b = 0; b < bands; ++b) {
        seeds.insert(seeds.end(), found[b].begin(), found[b].end());
        stream_cells += streams[b];
    }
    if (seeds.size() >= std::size_t(std::numeric_limits<std::int32_t>::max()))
        throw Error("basins: more than 2^31 basins");
    return seeds;
}

/// Step 2, per seed in parallel (links share no cell): seed k labels its link, walked down to
/// the next link head, or its outlet cell, with k + 1.
void label_seeds(const Network& net,
                 BasinMode mode,
                 const std::vector<std::size_t>& seeds,
                 std::vector<std::int32_t>& label,
                 std::vector<std::size_t>& exit_cell)
{
    parallel::for_each_index(
      seeds.size(),
      [&](std::size_t k) {
          const auto link = std::int32_t(k + 1);
          if (mode == BasinMode::Links && net.stream(seeds[k]))
              label_link(net, seeds[k], link, label, exit_cell);
          else
              label[seeds[k]] = link;
      },
      256);
}

/// Step 3, in bands of rows: every other cell takes the label of the first labelled cell
/// downstream of it, and the walk labels its whole path. Walks of different threads can meet
/// and write the same label to the same cells; the labels are read and written atomically
/// (relaxed: a label, once there, is final), so a walk stops at whatever any walk has labelled.
void label_downstream(const Network& net, std::size_t band, std::vector<std::int32_t>& label)
{
    const std::size_t n = net.size();
    parallel::for_each_index((n + band - 1) / band, [&](std::size_t b) {
        std::vector<std::size_t> path;
        for (std::size_t i = b * band; i < std::min(n, (b + 1) * band); ++i) {
            if (!net.valid(i) || __atomic_load_n(&label[i], __ATOMIC_RELAXED) != 0)
                continue;
            std::size_t cell = i;
            std::int32_t found = 0;
            while ((found = __atomic_load_n(&label[cell], __ATOMIC_RELAXED)) == 0) {
                path.push_back(cell);
                cell = net.downstream(cell);
                if (cell == npos) // only reachable when accumulation does not match directions
                    throw InvalidArgument("basins: an outlet without a basin; was the "
                                          "accumulation computed from these directions?");
                // A walk longer than the grid has gone round: flow_accumulation() refuses such
                // directions before they get here.
                if (path.size() > n)
                    throw InvalidArgument("basins: the flow directions contain a cycle");
            }
            for (std::size_t p : path)
                __atomic_store_n(&label[p], found, __ATOMIC_RELAXED);
            path.clear();
        }
    });
}

/// Step 4: the final labels, in order of each basin's first cell (so they do not depend on
/// the thread count), and each basin's downstream basin.
void renumber_by_first_cell(std::size_t band,
                            std::vector<std::int32_t>& label,
                            const std::vector<std::size_t>& exit_cell,
                            std::vector<std::int32_t>& downstream)
{
    const std::size_t n = label.size(), labels = exit_cell.size();
    std::vector<std::size_t> first(labels, npos);
    parallel::for_each_index((n + band - 1) / band, [&](std::size_t b) {
        std::int32_t previous = 0;
        for (std::size_t i = b * band; i < std::min(n, (b + 1) * band); ++i) {
            const std::int32_t l = label[i];
            if (l <= 0 || l == previous)
                continue;
            previous = l;
            std::size_t& f = first[std::size_t(l)];
            std::size_t seen = __atomic_load_n(&f, __ATOMIC_RELAXED);
            while (i < seen && !__atomic_compare_exchange_n(
                                 &f, &seen, i, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
                ;
        }
    });
    std::vector<std::pair<std::size_t, std::size_t>> order; // (first cell, provisional label)
    for (std::size_t l = 1; l < labels; ++l)
        if (first[l] != npos)
            order.emplace_back(first[l], l);
    std::sort(order.begin(), order.end());
    std::vector<std::int32_t> renumber(labels, 0);
    for (std::size_t k = 0; k < order.size(); ++k)
        renumber[order[k].second] = std::int32_t(k + 1);
    parallel::for_each_index((n + band - 1) / band, [&](std::size_t b) {
        for (std::size_t i = b * band; i < std::min(n, (b + 1) * band); ++i)
            if (label[i] > 0)
                label[i] = renumber[std::size_t(label[i])];
    });
    downstream.assign(order.size() + 1, 0);
    for (std::size_t provisional = 1; provisional < labels; ++provisional)
        if (exit_cell[provisional] != npos && renumber[provisional] != 0)
            downstream[std::size_t(renumber[provisional])] = label[exit_cell[provisional]];
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
    Basins basins;
    basins.labels = Raster<std::int32_t>(grid, 0);
    basins.labels.mask() = directions.mask();
    std::vector<std::int32_t>& label = basins.labels.values();
    const std::size_t cols = std::max<std::size_t>(1, grid.cols());
    const std::size_t band = std::max<std::size_t>(1, kBandCells / cols) * cols; // whole rows

    // Provisional labels 1..seeds in the order of the seeds' cells; per label, the cell its
    // water leaves the basin into (npos: nowhere).
    const std::vector<std::size_t> seeds = find_seeds(net, mode, band, basins.stream_cells);
    std::vector<std::size_t> exit_cell(seeds.size() + 1, npos);
    label_seeds(net, mode, seeds, label, exit_cell);
    label_downstream(net, band, label);
    renumber_by_first_cell(band, label, exit_cell, basins.downstream);
    return basins;
}

detail::MergePlan detail::plan_small_basin_merges(const std::vector<std::size_t>& size_of,
                                                  const std::vector<std::int32_t>& downstream,
                                                  std::size_t min_cells)
{
    const std::size_t labels = downstream.size();
    std::vector<std::size_t> size = size_of;
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

    // Labels are numbered by their basins' first cells, so a merged basin's first cell is that
    // of its lowest label: numbering the survivors by their lowest label keeps that order.
    MergePlan plan;
    plan.renumber.assign(labels, 0);
    std::vector<std::int32_t> number_of_root(labels, 0);
    std::int32_t count = 0;
    for (std::size_t l = 1; l < labels; ++l) {
        if (size_of[l] == 0)
            continue;
        const std::int32_t r = root(std::int32_t(l));
        if (number_of_root[std::size_t(r)] == 0)
            number_of_root[std::size_t(r)] = ++count;
        plan.renumber[l] = number_of_root[std::size_t(r)];
    }
    // A surviving basin drains where its own outflow went; the basins it absorbed lay upstream.
    plan.downstream.assign(std::size_t(count) + 1, 0);
    for (std::size_t l = 1; l < labels; ++l)
        if (absorbed_by[l] == std::int32_t(l) && plan.renumber[l] != 0 && downstream[l] != 0)
            plan.downstream[std::size_t(plan.renumber[l])] =
              number_of_root[std::size_t(root(downstream[l]))];
    return plan;
}

void merge_small_basins(Basins& basins, std::size_t min_cells)
{
    std::vector<std::int32_t>& label = basins.labels.values();
    if (basins.downstream.empty())
        basins.downstream.assign(1, 0);
    const std::size_t labels = basins.downstream.size();
    std::vector<std::size_t> size(labels, 0);
    for (std::int32_t l : label) {
        if (l < 0 || std::size_t(l) >= labels)
            throw InvalidArgument("basins: label " + std::to_string(l) +
                                  " has no downstream entry");
        ++size[std::size_t(l)];
    }
    detail::MergePlan plan = detail::plan_small_basin_merges(size, basins.downstream, min_cells);
    for (std::int32_t& l : label)
        l = plan.renumber[std::size_t(l)];
    basins.downstream = std::move(plan.downstream);
}

} // namespace landel::analysis::hydrology
