// Depression filling out of memory: the tile-parallel Priority-Flood of Barnes (2016),
// "Parallel priority-flood depression filling for trillion cell digital elevation models",
// Computers & Geosciences 96, 167-178, doi:10.1016/j.cageo.2016.07.001, with its tiles in
// storage. The method is the one of ../tiled_fill.cpp (which keeps the grid in memory; its
// comment gives the proof): F(c) = max(F_t(c), L(label of c)), F_t the tile's own flood from
// its seeds and border, L the level of c's tile watershed from a Priority-Flood over the
// watersheds' spill graph. Here the first pass writes F_t and the labels to storage tile by
// tile, the spills between tiles are read from the tiles' perimeters, and the second pass
// raises tile by tile.
#include "landel/analysis/hydrology/tiled.h"

#include "../flood_queue.h"
#include "../radix_heap.h"
#include "landel/core/error.h"
#include "landel/parallel/for_each_index.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <deque>
#include <limits>
#include <string>
#include <tuple>

namespace landel::analysis::hydrology::tiled {

namespace {

using Label = std::uint32_t;
constexpr Label no_label = std::numeric_limits<Label>::max();

/// Where two watersheds touch: their spill level.
struct Spill
{
    Label a, b; ///< a < b
    float level;

    bool operator<(const Spill& o) const
    {
        return std::tie(a, b, level) < std::tie(o.a, o.b, o.level);
    }
};

/// What one tile's flood leaves besides F_t and the labels.
struct TileFlood
{
    std::vector<float> seed_level; ///< per local label: its true seed's elevation, or NaN
    std::vector<Spill> spills;     ///< between local labels
};

/// Records a spill, folding it into the last one between the same labels (the lowest counts).
void add_spill(std::vector<Spill>& spills, const Spill& s)
{
    if (!spills.empty() && spills.back().a == s.a && spills.back().b == s.b)
        spills.back().level = std::min(spills.back().level, s.level);
    else
        spills.push_back(s);
}

/// One tile's Priority-Flood from its true seeds and its border. @p z is the tile with its
/// ring (NaN: nodata or off the grid), h × w inside; its inside becomes F_t, and @p label (h ×
/// w) the local watershed labels.
TileFlood flood_tile(std::vector<float>& z, std::size_t h, std::size_t w, std::vector<Label>& label)
{
    const std::size_t W = w + 2;
    const std::array<std::ptrdiff_t, 8> step{
        1,  std::ptrdiff_t(W) + 1,  std::ptrdiff_t(W),  std::ptrdiff_t(W) - 1,
        -1, -std::ptrdiff_t(W) - 1, -std::ptrdiff_t(W), -std::ptrdiff_t(W) + 1
    };
    const auto inside = [&](std::size_t k) {
        const std::size_t r = k / W, c = k % W;
        return r >= 1 && r <= h && c >= 1 && c <= w;
    };
    const auto local = [&](std::size_t k) { return (k / W - 1) * w + (k % W - 1); };
    // Closed: nodata, the ring, or reached by the flood.
    std::vector<std::uint8_t> closed(z.size(), 1);
    TileFlood out;
    detail::RadixHeap<std::uint32_t> open;
    std::deque<std::uint32_t> raised;
    label.assign(h * w, no_label);

    for (std::size_t r = 1; r <= h; ++r)
        for (std::size_t c = 1; c <= w; ++c) {
            const std::size_t k = r * W + c;
            if (std::isnan(z[k]))
                continue;
            if (std::isinf(z[k]))
                throw InvalidArgument("DEM cell is valid but infinite");
            bool seed = false;
            for (std::ptrdiff_t s : step)
                seed = seed || std::isnan(z[std::size_t(std::ptrdiff_t(k) + s)]);
            if (!seed && r != 1 && c != 1 && r != h && c != w) {
                closed[k] = 0;
                continue;
            }
            label[local(k)] = Label(out.seed_level.size());
            out.seed_level.push_back(seed ? z[k] : std::numeric_limits<float>::quiet_NaN());
            open.push(detail::radix_key(z[k]), std::uint32_t(k));
        }

    // Cells that no lower cell can still reach are expanded at once (Zhou, Sun & Fu 2016).
    std::vector<std::uint32_t> slope;
    const auto nothing_lower_open = [&](std::size_t k) {
        for (std::ptrdiff_t s : step) {
            const std::size_t j = std::size_t(std::ptrdiff_t(k) + s);
            if (!closed[j] && z[j] < z[k])
                return false;
        }
        return true;
    };
    while (!open.empty() || !raised.empty() || !slope.empty()) {
        const bool at_flood_level = slope.empty();
        std::size_t k;
        if (at_flood_level) {
            k = detail::next_cell(open, raised);
        } else {
            k = slope.back();
            slope.pop_back();
        }
        const Label lk = label[local(k)];
        for (std::ptrdiff_t s : step) {
            const std::size_t j = std::size_t(std::ptrdiff_t(k) + s);
            if (closed[j]) {
                if (inside(j) && !std::isnan(z[j])) {
                    const Label lj = label[local(j)];
                    if (lj != no_label && lj != lk)
                        add_spill(out.spills,
                                  { std::min(lk, lj), std::max(lk, lj), std::max(z[k], z[j]) });
                }
                continue;
            }
            closed[j] = 1;
            label[local(j)] = lk;
            if (at_flood_level && z[j] <= z[k]) {
                z[j] = z[k];
                raised.push_back(std::uint32_t(j));
            } else if (nothing_lower_open(j)) {
                slope.push_back(std::uint32_t(j));
            } else {
                open.push(detail::radix_key(z[j]), std::uint32_t(j));
            }
        }
    }
    std::sort(out.spills.begin(), out.spills.end());
    out.spills.erase(
      std::unique(out.spills.begin(),
                  out.spills.end(),
                  [](const Spill& x, const Spill& y) { return x.a == y.a && x.b == y.b; }),
      out.spills.end());
    return out;
}

/// The spills between neighbouring tiles' border cells (each a start of its tile's flood, so
/// its F_t is its own elevation), from the perimeters of the DEM and of the labels.
void add_border_spills(const TiledRaster<float>& dem,
                       const TiledRaster<Label>& labels,
                       const std::vector<Label>& offset,
                       std::vector<Spill>& spills)
{
    const TileLayout& layout = dem.layout();
    for (std::size_t t = 0; t < layout.tiles(); ++t) {
        const CellBox b = layout.box(t);
        const auto visit = [&](std::size_t r, std::size_t c) {
            const float zi = dem.perimeter_value(r, c);
            if (std::isnan(zi))
                return;
            const Label a = labels.perimeter_value(r, c) + offset[t];
            for (int d = 0; d < 8; ++d) {
                const std::size_t nr = r + direction_row_offset[d],
                                  nc = c + direction_col_offset[d];
                if (nr >= layout.rows() || nc >= layout.cols() || b.contains(nr, nc))
                    continue;
                const std::size_t u = layout.tile_of(nr, nc);
                const float zj = dem.perimeter_value(nr, nc);
                if (u < t || std::isnan(zj)) // each pair of tiles once, from the lower one
                    continue;
                const Label bl = labels.perimeter_value(nr, nc) + offset[u];
                spills.push_back({ std::min(a, bl), std::max(a, bl), std::max(zi, zj) });
            }
        };
        for (std::size_t c = b.c0; c < b.c1; ++c) {
            visit(b.r0, c);
            if (b.r1 - 1 != b.r0)
                visit(b.r1 - 1, c);
        }
        for (std::size_t r = b.r0 + 1; r + 1 < b.r1; ++r) {
            visit(r, b.c0);
            if (b.c1 - 1 != b.c0)
                visit(r, b.c1 - 1);
        }
    }
}

/// The level every watershed's water rises to: a Priority-Flood over the spill graph from the
/// watersheds holding true seeds.
std::vector<float> watershed_levels(const std::vector<TileFlood>& floods,
                                    const std::vector<Label>& offset,
                                    std::vector<Spill>& spills)
{
    const Label total = offset.back();
    for (std::size_t t = 0; t < floods.size(); ++t)
        for (const Spill& s : floods[t].spills)
            spills.push_back({ s.a + offset[t], s.b + offset[t], s.level });
    std::vector<std::size_t> first(std::size_t(total) + 1, 0);
    for (const Spill& s : spills) {
        ++first[s.a + 1];
        ++first[s.b + 1];
    }
    for (std::size_t k = 1; k < first.size(); ++k)
        first[k] += first[k - 1];
    std::vector<std::pair<Label, float>> next(first.back());
    std::vector<std::size_t> fill = first;
    for (const Spill& s : spills) {
        next[fill[s.a]++] = { s.b, s.level };
        next[fill[s.b]++] = { s.a, s.level };
    }
    spills = {};

    std::vector<float> level(total, std::numeric_limits<float>::infinity());
    detail::FloodQueue<Label> open;
    for (std::size_t t = 0; t < floods.size(); ++t)
        for (std::size_t k = 0; k < floods[t].seed_level.size(); ++k)
            if (!std::isnan(floods[t].seed_level[k])) {
                level[offset[t] + k] = floods[t].seed_level[k];
                open.push({ floods[t].seed_level[k], Label(offset[t] + k) });
            }
    std::vector<std::uint8_t> settled(total, 0);
    while (!open.empty()) {
        const auto [at, l] = open.top();
        open.pop();
        if (settled[l])
            continue;
        settled[l] = 1;
        for (std::size_t k = first[l]; k < first[l + 1]; ++k) {
            const auto [m, spill] = next[k];
            const float reach = std::max(at, spill);
            if (!settled[m] && reach < level[m]) {
                level[m] = reach;
                open.push({ reach, m });
            }
        }
    }
    return level;
}

} // namespace

TiledRaster<float> fill_depressions(const TiledRaster<float>& dem,
                                    const TileStorageFactory& storage,
                                    const Progress& progress)
{
    const TileLayout& layout = dem.layout();
    const std::size_t side = layout.side();
    if ((side + 2) * (side + 2) > std::numeric_limits<std::uint32_t>::max())
        throw InvalidArgument("fill: tiles of " + std::to_string(side) +
                              " cells on a side are "
                              "too large");
    TiledRaster<float> filled(layout, storage, dem.outside());
    TiledRaster<Label> labels(layout, storage, no_label);

    std::vector<TileFlood> floods(layout.tiles());
    std::atomic<std::size_t> done{ 0 };
    parallel::for_each_index(layout.tiles(), [&](std::size_t t) {
        const CellBox b = layout.box(t);
        std::vector<float> z = dem.read_with_ring(t);
        std::vector<Label> label;
        floods[t] = flood_tile(z, b.rows(), b.cols(), label);
        std::vector<float> inner(b.size());
        for (std::size_t r = 0; r < b.rows(); ++r)
            std::copy_n(&z[(r + 1) * (b.cols() + 2) + 1], b.cols(), &inner[r * b.cols()]);
        filled.write(t, inner);
        labels.write(t, label);
        report_progress(
          progress, 0.45 * double(++done) / double(layout.tiles()), "fill depressions");
    });

    std::vector<Label> offset(layout.tiles() + 1, 0);
    for (std::size_t t = 0; t < layout.tiles(); ++t) {
        if (floods[t].seed_level.size() >= std::size_t(no_label - offset[t]))
            throw Error("fill: more than 2^32 tile watersheds");
        offset[t + 1] = offset[t] + Label(floods[t].seed_level.size());
    }
    std::vector<Spill> spills;
    add_border_spills(dem, labels, offset, spills);
    const std::vector<float> levels = watershed_levels(floods, offset, spills);
    floods = {};
    report_progress(progress, 0.55, "fill depressions");

    done = 0;
    parallel::for_each_index(layout.tiles(), [&](std::size_t t) {
        std::vector<float> z = filled.read(t);
        const std::vector<Label> label = labels.read(t);
        for (std::size_t k = 0; k < z.size(); ++k)
            if (label[k] != no_label)
                z[k] = std::max(z[k], levels[label[k] + offset[t]]);
        filled.write(t, z);
        report_progress(
          progress, 0.55 + 0.45 * double(++done) / double(layout.tiles()), "fill depressions");
    });
    return filled;
}

} // namespace landel::analysis::hydrology::tiled
