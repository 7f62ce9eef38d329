#include "landel/analysis/connectivity/connectivity.h"

#include "landel/core/error.h"
#include "landel/geometry/box_index.h"
#include "landel/geometry/contexts.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <queue>
#include <utility>

namespace landel::analysis {

namespace {

void check(const ConnectivitySettings& s)
{
    if (!(s.gap_m >= 0.0) || !std::isfinite(s.gap_m))
        throw InvalidArgument("connectivity: the gap tolerance must be a finite number >= 0 m");
    if (!(s.dispersal_m > 0.0) || !std::isfinite(s.dispersal_m))
        throw InvalidArgument("connectivity: the dispersal distance must be a number > 0 m");
    if (!(s.min_probability > 0.0 && s.min_probability < 1.0))
        throw InvalidArgument("connectivity: the probability cutoff must lie between 0 and 1");
}

/// A link between two patches: the other patch and the edge-to-edge distance.
struct Link
{
    std::size_t to;
    double distance_m;
};

/// The patches of an area and the links between patches within @p reach_m of each other.
struct PatchGraph
{
    std::vector<double> area_m2;
    std::vector<std::vector<Link>> links; ///< per patch, by ascending patch index
};

PatchGraph patch_graph(const geometry::GeosContext& ctx,
                       const std::vector<std::string>& footprints_wkb,
                       double reach_m)
{
    std::vector<geometry::GeomPtr> parts;
    std::vector<const GEOSGeometry*> refs;
    for (const std::string& w : footprints_wkb) {
        if (w.empty())
            continue;
        parts.push_back(geometry::polygonal_from_wkb(ctx, w));
        refs.push_back(parts.back().get());
    }
    PatchGraph g;
    if (refs.empty())
        return g;
    // Merged: overlapping or edge-sharing footprints are one patch.
    const geometry::GeomPtr merged = geometry::union_of(ctx, refs);
    std::vector<const GEOSGeometry*> patches;
    geometry::collect_parts(ctx, merged.get(), patches);
    std::vector<Box> boxes;
    for (const GEOSGeometry* p : patches) {
        g.area_m2.push_back(geometry::area(ctx, p));
        boxes.push_back(geometry::envelope(ctx, p));
    }
    g.links.resize(patches.size());
    const geometry::BoxIndex index(boxes);
    for (std::size_t i = 0; i < patches.size(); ++i) {
        const auto prepared =
          ctx.own_prepared(GEOSPrepare_r(ctx.handle(), patches[i]), "prepare patch");
        Box reach = boxes[i];
        reach.xmin -= reach_m;
        reach.ymin -= reach_m;
        reach.xmax += reach_m;
        reach.ymax += reach_m;
        for (std::size_t j : index.query(reach)) {
            // The boxes' distance bounds the patches' from below: corners of the query box
            // reach farther than reach_m.
            const double dx =
              std::max({ 0.0, boxes[j].xmin - boxes[i].xmax, boxes[i].xmin - boxes[j].xmax });
            const double dy =
              std::max({ 0.0, boxes[j].ymin - boxes[i].ymax, boxes[i].ymin - boxes[j].ymax });
            if (j <= i || dx * dx + dy * dy > reach_m * reach_m)
                continue;
            double d = 0.0;
            if (!GEOSPreparedDistance_r(ctx.handle(), prepared.get(), patches[j], &d))
                throw GeometryError("connectivity: GEOS could not measure a distance");
            if (d <= reach_m) {
                g.links[i].push_back({ j, d });
                g.links[j].push_back({ i, d });
            }
        }
    }
    for (auto& l : g.links)
        std::sort(l.begin(), l.end(), [](const Link& a, const Link& b) { return a.to < b.to; });
    return g;
}

/// Components of the patches linked by gaps <= @p gap_m: (count, largest area in m2).
std::pair<std::size_t, double> components(const PatchGraph& g, double gap_m)
{
    std::vector<std::size_t> parent(g.area_m2.size());
    std::iota(parent.begin(), parent.end(), std::size_t(0));
    const std::function<std::size_t(std::size_t)> root = [&](std::size_t i) {
        while (parent[i] != i)
            i = parent[i] = parent[parent[i]];
        return i;
    };
    for (std::size_t i = 0; i < g.links.size(); ++i)
        for (const Link& l : g.links[i])
            if (l.distance_m <= gap_m)
                parent[root(i)] = root(l.to);
    std::vector<double> size(g.area_m2.size(), 0.0);
    for (std::size_t i = 0; i < g.area_m2.size(); ++i)
        size[root(i)] += g.area_m2[i];
    std::size_t count = 0;
    double largest = 0.0;
    for (std::size_t i = 0; i < size.size(); ++i)
        if (root(i) == i) {
            ++count;
            largest = std::max(largest, size[i]);
        }
    return { count, largest };
}

/// sum_i sum_j a_i a_j p*_ij: from each patch, the shortest paths in k*d (the largest
/// products of p, since -ln p = k d) up to the reach, by Dijkstra's algorithm.
double connected_area_sum_m4(const PatchGraph& g, double k, double reach_m)
{
    const std::size_t n = g.area_m2.size();
    std::vector<double> best(n, std::numeric_limits<double>::infinity());
    std::vector<std::size_t> touched;
    using Entry = std::pair<double, std::size_t>;
    double total = 0.0;
    for (std::size_t s = 0; s < n; ++s) {
        std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
        best[s] = 0.0;
        touched.push_back(s);
        queue.push({ 0.0, s });
        double reached = 0.0; // sum_j a_j p*_sj
        while (!queue.empty()) {
            const auto [d, i] = queue.top();
            queue.pop();
            if (d > best[i])
                continue;
            reached += g.area_m2[i] * std::exp(-k * d);
            for (const Link& l : g.links[i]) {
                const double via = d + l.distance_m;
                if (via <= reach_m && via < best[l.to]) {
                    if (best[l.to] == std::numeric_limits<double>::infinity())
                        touched.push_back(l.to);
                    best[l.to] = via;
                    queue.push({ via, l.to });
                }
            }
        }
        total += g.area_m2[s] * reached;
        for (std::size_t t : touched)
            best[t] = std::numeric_limits<double>::infinity();
        touched.clear();
    }
    return total;
}

} // namespace

double link_reach_m(const ConnectivitySettings& settings)
{
    check(settings);
    return settings.dispersal_m * std::log(1.0 / settings.min_probability) / std::log(2.0);
}

Connectivity connectivity(const std::vector<std::string>& footprints_wkb,
                          const ConnectivitySettings& settings)
{
    const double reach_m = link_reach_m(settings);
    const double k = std::log(2.0) / settings.dispersal_m;
    geometry::GeosContext ctx;
    const PatchGraph g = patch_graph(ctx, footprints_wkb, std::max(reach_m, settings.gap_m));
    Connectivity c;
    c.patches = g.area_m2.size();
    for (double a : g.area_m2)
        c.patch_ha += a / 1e4;
    const auto [count, largest] = components(g, settings.gap_m);
    c.components = count;
    c.largest_component_ha = largest / 1e4;
    c.eca_ha = std::sqrt(connected_area_sum_m4(g, k, reach_m)) / 1e4;
    return c;
}

std::vector<Connectivity> area_connectivity(
  const std::vector<std::vector<std::string>>& footprints_wkb,
  const ConnectivitySettings& settings)
{
    check(settings);
    std::vector<Connectivity> out(footprints_wkb.size());
    parallel::for_each_index(footprints_wkb.size(), [&](std::size_t a) {
        out[a] = connectivity(footprints_wkb[a], settings);
    });
    return out;
}

} // namespace landel::analysis
