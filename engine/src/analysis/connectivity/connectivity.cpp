#include "landel/analysis/connectivity/connectivity.h"
#include "landel/core/union_find.h"

#include "shortest_links.h"

#include "landel/core/error.h"
#include "landel/geometry/box_index.h"
#include "landel/geometry/contexts.h"
#include "landel/geometry/envelope_clusters.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
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

/// Two patches whose boxes lie within reach of each other: a possible link, its exact
/// edge-to-edge distance measured only when a shortest path might use it.
using Pair = detail::PossibleLink;

/// The patches of an area (its merged footprints) and their possible links.
class PatchNetwork
{
public:
    PatchNetwork(const geometry::GeosContext& ctx,
                 const std::vector<std::string>& footprints_wkb,
                 double reach_m)
      : m_ctx(ctx)
    {
        // Merged: overlapping or touching footprints are one patch.
        add_patches(footprints_wkb, reach_m);
    }

    /// Merges @p footprints_wkb into patches after the present ones and adds their possible
    /// links: with each other and with the present patches.
    void add_patches(const std::vector<std::string>& footprints_wkb, double reach_m)
    {
        const std::vector<const GEOSGeometry*> patches = patches_of(footprints_wkb);
        if (patches.empty())
            return;
        const std::size_t first = m_patches.size();
        m_patches.insert(m_patches.end(), patches.begin(), patches.end());
        for (std::size_t i = first; i < m_patches.size(); ++i) {
            m_area_m2.push_back(geometry::area(m_ctx, m_patches[i]));
            m_boxes.push_back(geometry::envelope(m_ctx, m_patches[i]));
        }
        m_prepared.resize(m_patches.size());
        m_index = std::make_unique<geometry::BoxIndex>(m_boxes);
        for (std::size_t i = first; i < m_patches.size(); ++i) {
            for (std::size_t j : m_index->query(grown(m_boxes[i], reach_m))) {
                const double lower = box_distance(m_boxes[i], m_boxes[j]);
                if (j == i || (j >= first && j < i) || lower > reach_m)
                    continue;
                m_pairs.push_back({ std::min(i, j), std::max(i, j), lower });
            }
        }
    }

    /// The polygons of the union of @p footprints_wkb, formed per cluster of meeting boxes: an
    /// element touching no other (most trees, ponds and small woods) needs no overlay (on the
    /// tiled Otterlo copy one union of everything took 0.36 s of the 0.93 s siting stage).
    std::vector<const GEOSGeometry*> merged_polygons(const std::vector<std::string>& footprints_wkb)
    {
        std::vector<const GEOSGeometry*> polygons;
        if (geometry::GeomPtr merged = geometry::union_of_wkb_by_clusters(m_ctx, footprints_wkb)) {
            m_merged.push_back(std::move(merged));
            geometry::collect_parts(m_ctx, m_merged.back().get(), polygons);
        }
        return polygons;
    }

    /// The patches of @p footprints_wkb: the connected pieces of their union, polygons of the
    /// union less than a micrometre apart being one patch (a MultiPolygon). Polygons that touch
    /// at a point, or all but touch, come out of an overlay as one polygon or as two depending on
    /// its noding (a union of all footprints at once merged some that one per cluster kept
    /// apart, 1e-11 m from each other), not on the land; either way they are at distance 0.
    std::vector<const GEOSGeometry*> patches_of(const std::vector<std::string>& footprints_wkb)
    {
        const std::vector<const GEOSGeometry*> polygons = merged_polygons(footprints_wkb);
        constexpr double touch_m = 1e-6;
        std::vector<Box> boxes;
        for (const GEOSGeometry* polygon : polygons)
            boxes.push_back(grown(geometry::envelope(m_ctx, polygon), touch_m / 2.0));
        const auto touching = [&](std::size_t i, std::size_t j) {
            return GEOSDistanceWithin_r(m_ctx.handle(), polygons[i], polygons[j], touch_m) == 1;
        };
        std::vector<const GEOSGeometry*> patches;
        for (const std::vector<std::size_t>& group : geometry::envelope_clusters(boxes, touching)) {
            if (group.size() == 1) {
                patches.push_back(polygons[group.front()]);
            } else {
                std::vector<geometry::GeomPtr> parts;
                for (std::size_t i : group)
                    parts.push_back(geometry::clone(m_ctx, polygons[i]));
                m_merged.push_back(
                  geometry::make_collection(m_ctx, GEOS_MULTIPOLYGON, std::move(parts)));
                patches.push_back(m_merged.back().get());
            }
        }
        return patches;
    }

    /// The patches whose boxes lie within @p reach_m of @p box: (patch, box_distance(), a lower
    /// bound of the edge-to-edge distance), the nearest first (then by index).
    std::vector<std::pair<std::size_t, double>> near(const Box& box, double reach_m) const
    {
        std::vector<std::pair<std::size_t, double>> out;
        if (m_patches.empty())
            return out;
        for (std::size_t j : m_index->query(grown(box, reach_m)))
            if (const double lower = box_distance(box, m_boxes[j]); lower <= reach_m)
                out.push_back({ j, lower });
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
            return a.second < b.second || (a.second == b.second && a.first < b.first);
        });
        return out;
    }

    /// The exact edge-to-edge distance of @p prepared (a new patch) to patch @p j.
    double distance_to(const GEOSPreparedGeometry* prepared, std::size_t j) const
    {
        double d = 0.0;
        if (!GEOSPreparedDistance_r(m_ctx.handle(), prepared, m_patches[j], &d))
            throw GeometryError("connectivity: GEOS could not measure a distance");
        return d;
    }

    std::size_t size() const { return m_patches.size(); }
    double area_m2(std::size_t i) const { return m_area_m2[i]; }
    std::vector<Pair>& pairs() { return m_pairs; }
    Pair& pair(std::size_t p) { return m_pairs[p]; }
    std::size_t pair_count() const { return m_pairs.size(); }

    /// The exact edge-to-edge distance of pair @p p, measured once.
    double distance_m(std::size_t p)
    {
        Pair& pair = m_pairs[p];
        if (pair.exact_m < 0.0) {
            if (!m_prepared[pair.a])
                m_prepared[pair.a] = m_ctx.own_prepared(
                  GEOSPrepare_r(m_ctx.handle(), m_patches[pair.a]), "prepare patch");
            double d = 0.0;
            if (!GEOSPreparedDistance_r(
                  m_ctx.handle(), m_prepared[pair.a].get(), m_patches[pair.b], &d))
                throw GeometryError("connectivity: GEOS could not measure a distance");
            pair.exact_m = d;
        }
        return pair.exact_m;
    }

private:
    /// A lower bound of the edge-to-edge distance of two patches from their boxes: the boxes'
    /// distance less a micrometre. The boxes' distance itself can exceed GEOS's exact distance
    /// by a rounding error where the nearest points lie on the boxes' sides (edges parallel to
    /// the axes); a bound above the distance would let a link's own shortest path look
    /// dominated by itself and drop the link. A micrometre is far above the rounding of
    /// coordinates of a few hundred kilometres (1e-10 m) and far below any distance that
    /// matters, so every decision taken on the bound is one the exact distance would take.
    static double box_distance(const Box& p, const Box& q)
    {
        constexpr double rounding_m = 1e-6;
        const double dx = std::max({ 0.0, q.xmin - p.xmax, p.xmin - q.xmax });
        const double dy = std::max({ 0.0, q.ymin - p.ymax, p.ymin - q.ymax });
        return std::max(0.0, std::hypot(dx, dy) - rounding_m);
    }

    const geometry::GeosContext& m_ctx;
    std::vector<geometry::GeomPtr> m_merged;    ///< the unions the patches are parts of
    std::vector<const GEOSGeometry*> m_patches; ///< parts of m_merged
    std::vector<double> m_area_m2;
    std::vector<geometry::PreparedPtr> m_prepared;
    std::vector<Pair> m_pairs;
    std::vector<Box> m_boxes;
    std::unique_ptr<geometry::BoxIndex> m_index;
};

/// Components of the patches linked by gaps <= @p gap_m: (count, largest area in m2).
std::pair<std::size_t, double> components(PatchNetwork& net, double gap_m)
{
    SmallestRootSets<> sets(net.size());
    for (std::size_t p = 0; p < net.pair_count(); ++p)
        if (net.pair(p).lower_m <= gap_m && net.distance_m(p) <= gap_m)
            sets.join(net.pair(p).a, net.pair(p).b);
    std::vector<double> size(net.size(), 0.0);
    for (std::size_t i = 0; i < net.size(); ++i)
        size[sets.root(i)] += net.area_m2(i);
    std::size_t count = 0;
    double largest = 0.0;
    for (std::size_t i = 0; i < size.size(); ++i)
        if (sets.root(i) == i) {
            ++count;
            largest = std::max(largest, size[i]);
        }
    return { count, largest };
}

/// sum_i sum_j a_i a_j p*_ij: from each patch the shortest paths in k*d (the largest
/// products of p, since -ln p = k d) up to the reach (shortest_links.h: the links are measured
/// only where a shortest path may use them).
double connected_area_sum_m4(PatchNetwork& net,
                             double k,
                             double reach_m,
                             std::vector<double>* paths_m = nullptr)
{
    const std::size_t n = net.size();
    if (paths_m)
        paths_m->assign(n * n, std::numeric_limits<double>::infinity());
    double total = 0.0;
    detail::shortest_paths(
      n,
      net.pairs(),
      [&net](std::size_t p) { return net.distance_m(p); },
      reach_m,
      [&](std::size_t s, const std::vector<detail::PathLength>& paths) {
          double reached = 0.0; // sum_j a_j p*_sj
          for (const auto& [t, length] : paths) {
              reached += net.area_m2(t) * std::exp(-k * length);
              if (paths_m)
                  (*paths_m)[s * n + t] = length;
          }
          total += net.area_m2(s) * reached;
      });
    return total;
}

} // namespace

double link_reach_m(const ConnectivitySettings& settings)
{
    check(settings);
    return settings.dispersal_m * std::log(1.0 / settings.min_probability) / std::log(2.0);
}

struct ElementNetwork::Impl
{
    geometry::GeosContext ctx;
    double reach_m = 0.0, k = 0.0;
    std::unique_ptr<PatchNetwork> net;
    Connectivity figures;
    double sum_m4 = 0.0;
    std::vector<double> paths_m; ///< n x n shortest path lengths; infinite beyond the reach
};

ElementNetwork::ElementNetwork(const std::vector<std::string>& footprints_wkb,
                               const ConnectivitySettings& settings,
                               bool keep_paths)
  : m(std::make_unique<Impl>())
{
    m->reach_m = link_reach_m(settings);
    m->k = std::log(2.0) / settings.dispersal_m;
    m->net =
      std::make_unique<PatchNetwork>(m->ctx, footprints_wkb, std::max(m->reach_m, settings.gap_m));
    PatchNetwork& net = *m->net;
    Connectivity& c = m->figures;
    c.patches = net.size();
    for (std::size_t i = 0; i < net.size(); ++i)
        c.patch_ha += net.area_m2(i) / 1e4;
    const auto [count, largest] = components(net, settings.gap_m);
    c.components = count;
    c.largest_component_ha = largest / 1e4;
    m->sum_m4 = connected_area_sum_m4(net, m->k, m->reach_m, keep_paths ? &m->paths_m : nullptr);
    c.eca_ha = std::sqrt(m->sum_m4) / 1e4;
}

ElementNetwork::~ElementNetwork() = default;

const Connectivity& ElementNetwork::figures() const
{
    return m->figures;
}

double ElementNetwork::eca_with(const std::string& footprint_wkb) const
{
    const PatchNetwork& net = *m->net;
    const std::size_t n = net.size();
    if (m->paths_m.size() != n * n)
        throw InvalidArgument("connectivity: eca_with needs a network built with keep_paths");
    const geometry::GeomPtr site = geometry::polygonal_from_wkb(m->ctx, footprint_wkb);
    const double a = geometry::area(m->ctx, site.get());
    if (a <= 0.0)
        return m->figures.eca_ha;
    // The site's shortest paths: a first hop to a patch within reach, then that patch's. The
    // patches are taken nearest first, and a direct hop to patch j is measured only when it could
    // beat the best path to j found so far, through a nearer patch k: a hop of length
    // d >= to[j] = d_k + path(k, j) gives nothing, since d + path(j, t) >= d_k + path(k, t) for
    // every t (shortest paths obey the triangle inequality, and what lies beyond the reach
    // stays beyond it). box_distance() bounds d from below, so most far hops are never
    // measured.
    std::vector<double> to(n, std::numeric_limits<double>::infinity());
    const auto prepared =
      m->ctx.own_prepared(GEOSPrepare_r(m->ctx.handle(), site.get()), "prepare site");
    for (const auto& [j, lower] : net.near(geometry::envelope(m->ctx, site.get()), m->reach_m)) {
        if (lower >= to[j])
            continue;
        const double d = net.distance_to(prepared.get(), j);
        if (d > m->reach_m || d >= to[j])
            continue;
        for (std::size_t t = 0; t < n; ++t) {
            const double via = d + m->paths_m[j * n + t];
            if (via <= m->reach_m && via < to[t])
                to[t] = via;
        }
    }
    std::vector<std::size_t> reached;
    for (std::size_t t = 0; t < n; ++t)
        if (to[t] <= m->reach_m)
            reached.push_back(t);
    double sum = m->sum_m4 + a * a;
    for (std::size_t t : reached)
        sum += 2.0 * a * net.area_m2(t) * std::exp(-m->k * to[t]);
    // Pairs of patches whose best path now runs through the site (at most once).
    for (std::size_t i : reached)
        for (std::size_t j : reached) {
            const double via = to[i] + to[j];
            if (i == j || via > m->reach_m)
                continue;
            const double before = m->paths_m[i * n + j];
            if (via < before) {
                const double old = before <= m->reach_m ? std::exp(-m->k * before) : 0.0;
                sum += net.area_m2(i) * net.area_m2(j) * (std::exp(-m->k * via) - old);
            }
        }
    return std::sqrt(sum) / 1e4;
}

double ElementNetwork::eca_with_all(const std::vector<std::string>& footprints_wkb)
{
    m->net->add_patches(footprints_wkb, m->reach_m);
    m->paths_m.clear(); // eca_with() no longer applies
    m->sum_m4 = connected_area_sum_m4(*m->net, m->k, m->reach_m);
    return std::sqrt(m->sum_m4) / 1e4;
}

Connectivity connectivity(const std::vector<std::string>& footprints_wkb,
                          const ConnectivitySettings& settings)
{
    return ElementNetwork(footprints_wkb, settings, false).figures();
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
