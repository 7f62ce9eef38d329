// One tile's Priority-Flood and the watersheds' levels: see tile_flood.h and tiled_fill.cpp.
#include "tile_flood.h"

#include "flood_queue.h"
#include "landel/analysis/hydrology/hydrology.h"
#include "landel/core/error.h"
#include "radix_heap.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <tuple>

namespace landel::analysis::hydrology::detail {

namespace {

bool by_labels_then_level(const Spill& x, const Spill& y)
{
    return std::tie(x.a, x.b, x.level) < std::tie(y.a, y.b, y.level);
}

/// Records a spill, folding it into the last one between the same labels (the lowest counts).
void add_spill(std::vector<Spill>& spills, const Spill& s)
{
    if (!spills.empty() && spills.back().a == s.a && spills.back().b == s.b)
        spills.back().level = std::min(spills.back().level, s.level);
    else
        spills.push_back(s);
}

} // namespace

TileFlood flood_tile(std::vector<float>& z,
                     std::size_t h,
                     std::size_t w,
                     std::vector<WatershedLabel>& label)
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
    RadixHeap<std::uint32_t> open;
    std::deque<std::uint32_t> raised;
    label.assign(h * w, no_watershed);

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
            label[local(k)] = WatershedLabel(out.seed_level.size());
            out.seed_level.push_back(seed ? z[k] : std::numeric_limits<float>::quiet_NaN());
            open.push(radix_key(z[k]), std::uint32_t(k));
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
            k = next_cell(open, raised);
        } else {
            k = slope.back();
            slope.pop_back();
        }
        const WatershedLabel lk = label[local(k)];
        for (std::ptrdiff_t s : step) {
            const std::size_t j = std::size_t(std::ptrdiff_t(k) + s);
            if (closed[j]) {
                if (inside(j) && !std::isnan(z[j])) {
                    const WatershedLabel lj = label[local(j)];
                    if (lj != no_watershed && lj != lk)
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
                open.push(radix_key(z[j]), std::uint32_t(j));
            }
        }
    }
    std::sort(out.spills.begin(), out.spills.end(), by_labels_then_level);
    out.spills.erase(
      std::unique(out.spills.begin(),
                  out.spills.end(),
                  [](const Spill& x, const Spill& y) { return x.a == y.a && x.b == y.b; }),
      out.spills.end());
    return out;
}

std::vector<float> watershed_levels(const std::vector<TileFlood>& floods,
                                    const std::vector<WatershedLabel>& offset,
                                    std::vector<Spill>& spills)
{
    const WatershedLabel total = offset.back();
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
    std::vector<std::pair<WatershedLabel, float>> next(first.back());
    std::vector<std::size_t> fill = first;
    for (const Spill& s : spills) {
        next[fill[s.a]++] = { s.b, s.level };
        next[fill[s.b]++] = { s.a, s.level };
    }
    spills = {};

    std::vector<float> level(total, std::numeric_limits<float>::infinity());
    FloodQueue<WatershedLabel> open;
    for (std::size_t t = 0; t < floods.size(); ++t)
        for (std::size_t k = 0; k < floods[t].seed_level.size(); ++k)
            if (!std::isnan(floods[t].seed_level[k])) {
                level[offset[t] + k] = floods[t].seed_level[k];
                open.push({ floods[t].seed_level[k], WatershedLabel(offset[t] + k) });
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

} // namespace landel::analysis::hydrology::detail
