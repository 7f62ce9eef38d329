// Connectivity of an area's elements (connectivity.h): components at a gap tolerance and the
// equivalent connected area of Saura et al. (2011), checked against figures worked out by hand.
#include "landel/analysis/connectivity/connectivity.h"
#include "landel/core/error.h"
#include "wkt.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

using namespace landel;

namespace {

using test::rect_wkb;

analysis::Connectivity at_gap(double gap_m, const std::vector<std::string>& footprints)
{
    analysis::ConnectivitySettings s;
    s.gap_m = gap_m;
    return analysis::connectivity(footprints, s);
}

} // namespace

TEST(Connectivity, TwoHedgesTwentyMetresApartAreOneComponentAt25AndTwoAt10)
{
    // Two 100 m hedge strips 2 m wide, parallel, 20 m apart edge to edge.
    const std::vector<std::string> hedges{ rect_wkb(0, 0, 100, 2), rect_wkb(0, 22, 100, 24) };
    const analysis::Connectivity wide = at_gap(25.0, hedges);
    EXPECT_EQ(wide.patches, 2u);
    EXPECT_EQ(wide.components, 1u);
    EXPECT_NEAR(wide.largest_component_ha, 0.04, 1e-12);
    const analysis::Connectivity narrow = at_gap(10.0, hedges);
    EXPECT_EQ(narrow.components, 2u);
    EXPECT_NEAR(narrow.largest_component_ha, 0.02, 1e-12);
}

TEST(Connectivity, OverlappingAndTouchingFootprintsAreOnePatch)
{
    // A tree row crossing a hedge, and a pond sharing an edge with the hedge's end.
    const analysis::Connectivity c =
      at_gap(0.0, { rect_wkb(0, 0, 100, 2), rect_wkb(50, -10, 56, 10), rect_wkb(100, 0, 110, 10) });
    EXPECT_EQ(c.patches, 1u);
    EXPECT_EQ(c.components, 1u);
    EXPECT_NEAR(c.patch_ha, (200.0 + 120.0 - 12.0 + 100.0) / 1e4, 1e-12);
}

TEST(Connectivity, EquivalentConnectedAreaOfThreePatchesByHand)
{
    // A (10 x 10 m) at x 0..10, B (20 x 20 m) at x 30..50, C (10 x 10 m) at x 100..110:
    // d_AB = 20, d_BC = 50, d_AC = 90 m. With p = 0.5 at 100 m, p_ij = 2^(-d/100). The best
    // path from A to C runs through B: 20 + 50 = 70 m < 90 m, so p*_AC = 2^-0.7.
    const std::vector<std::string> patches{ rect_wkb(0, 0, 10, 10),
                                            rect_wkb(30, 0, 50, 20),
                                            rect_wkb(100, 0, 110, 10) };
    const analysis::Connectivity c = at_gap(25.0, patches);
    const double a = 100.0, b = 400.0, cc = 100.0;
    const double sum = a * a + b * b + cc * cc +
                       2.0 * (a * b * std::pow(2.0, -0.2) + b * cc * std::pow(2.0, -0.5) +
                              a * cc * std::pow(2.0, -0.7));
    EXPECT_NEAR(c.eca_ha, std::sqrt(sum) / 1e4, 1e-15);
    EXPECT_EQ(c.patches, 3u);
    EXPECT_EQ(c.components, 2u); // A-B within 25 m; C 50 m off
    EXPECT_NEAR(c.largest_component_ha, 0.05, 1e-12);
}

TEST(Connectivity, EquivalentConnectedAreaOfAGridEqualsAllPairsShortestPaths)
{
    // A 6 x 6 grid of squares 60 m apart, of varied sizes, with sides parallel to the axes:
    // their boxes' distance is their distance, which GEOS may round just below it. The ECA
    // must equal the definition computed here: edge-to-edge distances of the squares by hand,
    // every link up to the reach, Floyd-Warshall for the shortest paths (a regression: a bound
    // rounded above the distance once dropped links that were their own shortest path).
    struct Square
    {
        double x, y, w;
    };
    std::vector<Square> squares;
    std::vector<std::string> footprints;
    for (int i = 0; i < 6; ++i)
        for (int j = 0; j < 6; ++j) {
            squares.push_back({ 60.0 * i, 60.0 * j, 4.0 + (i * 7 + j * 3) % 9 });
            const Square& q = squares.back();
            footprints.push_back(rect_wkb(q.x, q.y, q.x + q.w, q.y + q.w));
        }
    const analysis::ConnectivitySettings s;
    const double reach = analysis::link_reach_m(s), k = std::log(2.0) / s.dispersal_m;
    const std::size_t n = squares.size();
    std::vector<double> d(n * n);
    for (std::size_t a = 0; a < n; ++a)
        for (std::size_t b = 0; b < n; ++b) {
            const Square &p = squares[a], &q = squares[b];
            const double dx = std::max({ 0.0, q.x - (p.x + p.w), p.x - (q.x + q.w) });
            const double dy = std::max({ 0.0, q.y - (p.y + p.w), p.y - (q.y + q.w) });
            const double e = std::hypot(dx, dy);
            d[a * n + b] = a == b ? 0.0 : (e <= reach ? e : INFINITY);
        }
    for (std::size_t m = 0; m < n; ++m)
        for (std::size_t a = 0; a < n; ++a)
            for (std::size_t b = 0; b < n; ++b)
                d[a * n + b] = std::min(d[a * n + b], d[a * n + m] + d[m * n + b]);
    double sum = 0.0;
    for (std::size_t a = 0; a < n; ++a)
        for (std::size_t b = 0; b < n; ++b)
            if (d[a * n + b] <= reach)
                sum += squares[a].w * squares[a].w * squares[b].w * squares[b].w *
                       std::exp(-k * d[a * n + b]);
    EXPECT_NEAR(analysis::connectivity(footprints, s).eca_ha, std::sqrt(sum) / 1e4, 1e-12);
}

TEST(Connectivity, StepsOverALongPatchReachFartherThanAnyDirectLink)
{
    // A (10 x 10 m), a strip S 1500 m long, B (10 x 10 m): A lies 100 m before the strip's
    // start and B 100 m past its end, so A and B are 1700 m apart, beyond the 997 m reach, and
    // no link joins them; but the path over the strip (crossing a patch costs nothing) is
    // 200 m: p*_AB = 2^-2.
    const std::vector<std::string> patches{ rect_wkb(-110, 0, -100, 10),
                                            rect_wkb(0, 0, 1500, 4),
                                            rect_wkb(1600, 0, 1610, 10) };
    const double a = 100.0, st = 6000.0, b = 100.0;
    const double sum = a * a + st * st + b * b +
                       2.0 * (a * st * std::pow(2.0, -1.0) + st * b * std::pow(2.0, -1.0) +
                              a * b * std::pow(2.0, -2.0));
    EXPECT_NEAR(at_gap(25.0, patches).eca_ha, std::sqrt(sum) / 1e4, 1e-15);
}

namespace {

using Ring = std::vector<std::pair<double, double>>;

/// Whether convex polygons @p p and @p q overlap: a vertex of one lies in (or on) the other, or
/// a side of one crosses a side of the other.
bool convex_overlap(const Ring& p, const Ring& q)
{
    const auto cross =
      [](std::pair<double, double> o, std::pair<double, double> a, std::pair<double, double> b) {
          return (a.first - o.first) * (b.second - o.second) -
                 (a.second - o.second) * (b.first - o.first);
      };
    const auto inside = [&cross](std::pair<double, double> v, const Ring& r) {
        bool pos = false, neg = false;
        for (std::size_t i = 0; i < r.size(); ++i) {
            const double c = cross(r[i], r[(i + 1) % r.size()], v);
            pos = pos || c > 0;
            neg = neg || c < 0;
        }
        return !(pos && neg);
    };
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (inside(p[i], q))
            return true;
        for (std::size_t j = 0; j < q.size(); ++j) {
            const auto a = p[i], b = p[(i + 1) % p.size()], c = q[j], d = q[(j + 1) % q.size()];
            if ((cross(a, b, c) > 0) != (cross(a, b, d) > 0) &&
                (cross(c, d, a) > 0) != (cross(c, d, b) > 0))
                return true;
        }
    }
    return std::any_of(
      q.begin(), q.end(), [&](std::pair<double, double> v) { return inside(v, p); });
}

/// Edge-to-edge distance of two convex polygons that do not overlap: the least distance of a
/// vertex of one to a side of the other.
double convex_distance(const Ring& p, const Ring& q)
{
    const auto to_side =
      [](std::pair<double, double> v, std::pair<double, double> s, std::pair<double, double> e) {
          const double dx = e.first - s.first, dy = e.second - s.second;
          double t = ((v.first - s.first) * dx + (v.second - s.second) * dy) / (dx * dx + dy * dy);
          t = std::clamp(t, 0.0, 1.0);
          return std::hypot(v.first - (s.first + t * dx), v.second - (s.second + t * dy));
      };
    double d = INFINITY;
    for (int pass = 0; pass < 2; ++pass) {
        const auto& from = pass == 0 ? p : q;
        const auto& to = pass == 0 ? q : p;
        for (const auto& v : from)
            for (std::size_t i = 0; i < to.size(); ++i)
                d = std::min(d, to_side(v, to[i], to[(i + 1) % to.size()]));
    }
    return d;
}

} // namespace

TEST(Connectivity, ScatteredSlantedStripsEqualTheDefinitionComputedByHand)
{
    // 150 strips 5-300 m long at random angles over 2 x 2 km (a fixed random sequence), apart
    // by at least 1 m: their boxes bound their distances loosely, and paths over stepping
    // stones reach beyond direct links. Components at 25 m and the ECA must equal the
    // definitions computed here from hand distances (every link up to the reach,
    // Floyd-Warshall), whichever links the network measures.
    std::uint64_t seed = 12345;
    const auto uniform = [&seed](double lo, double hi) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        return lo + (hi - lo) * double(seed >> 11) / double(1ULL << 53);
    };
    const auto mm = [](double v) { return std::round(v * 1000.0) / 1000.0; };
    std::vector<std::vector<std::pair<double, double>>> strips;
    std::vector<double> areas;
    std::vector<std::string> footprints;
    while (strips.size() < 150) {
        const double cx = uniform(0, 2000), cy = uniform(0, 2000), len = uniform(5, 300),
                     w = uniform(2, 10), angle = uniform(0, 3.14159);
        const double ux = std::cos(angle) / 2, uy = std::sin(angle) / 2;
        std::vector<std::pair<double, double>> c;
        for (const auto& [sl, sw] : { std::pair{ -1, -1 }, { 1, -1 }, { 1, 1 }, { -1, 1 } })
            c.push_back(
              { mm(cx + sl * len * ux - sw * w * uy), mm(cy + sl * len * uy + sw * w * ux) });
        if (std::any_of(strips.begin(), strips.end(), [&c](const auto& o) {
                return convex_overlap(c, o) || convex_distance(c, o) < 1.0;
            }))
            continue;
        double twice = 0.0; // shoelace
        std::string wkt = "POLYGON((";
        for (std::size_t i = 0; i < 4; ++i) {
            twice += c[i].first * c[(i + 1) % 4].second - c[(i + 1) % 4].first * c[i].second;
            wkt += std::to_string(c[i].first) + " " + std::to_string(c[i].second) + ",";
        }
        wkt += std::to_string(c[0].first) + " " + std::to_string(c[0].second) + "))";
        strips.push_back(c);
        areas.push_back(std::abs(twice) / 2.0);
        footprints.push_back(test::wkb(wkt));
    }
    const analysis::ConnectivitySettings s;
    const double reach = analysis::link_reach_m(s), k = std::log(2.0) / s.dispersal_m;
    const std::size_t n = strips.size();
    std::vector<double> d(n * n);
    std::vector<std::size_t> group(n);
    for (std::size_t a = 0; a < n; ++a)
        group[a] = a;
    const auto root = [&group](std::size_t a) {
        while (group[a] != a)
            a = group[a];
        return a;
    };
    for (std::size_t a = 0; a < n; ++a)
        for (std::size_t b = 0; b < n; ++b) {
            const double e = a == b ? 0.0 : convex_distance(strips[a], strips[b]);
            d[a * n + b] = e <= reach ? e : INFINITY;
            if (e <= s.gap_m)
                group[root(a)] = root(b);
        }
    for (std::size_t m = 0; m < n; ++m)
        for (std::size_t a = 0; a < n; ++a)
            for (std::size_t b = 0; b < n; ++b)
                d[a * n + b] = std::min(d[a * n + b], d[a * n + m] + d[m * n + b]);
    double sum = 0.0;
    std::vector<double> component(n, 0.0);
    for (std::size_t a = 0; a < n; ++a) {
        component[root(a)] += areas[a];
        for (std::size_t b = 0; b < n; ++b)
            if (d[a * n + b] <= reach)
                sum += areas[a] * areas[b] * std::exp(-k * d[a * n + b]);
    }
    const analysis::Connectivity c = analysis::connectivity(footprints, s);
    EXPECT_EQ(c.patches, n);
    EXPECT_EQ(c.components,
              std::size_t(std::count_if(
                component.begin(), component.end(), [](double x) { return x > 0.0; })));
    EXPECT_NEAR(
      c.largest_component_ha, *std::max_element(component.begin(), component.end()) / 1e4, 1e-9);
    EXPECT_NEAR(c.eca_ha, std::sqrt(sum) / 1e4, 1e-9 * std::sqrt(sum) / 1e4);
}

TEST(Connectivity, PairsBeyondTheProbabilityCutoffCountAsNothing)
{
    // Two 10 x 10 m patches 1,200 m apart: p = 2^-12 < 0.001, so each counts only itself.
    const analysis::Connectivity c =
      at_gap(25.0, { rect_wkb(0, 0, 10, 10), rect_wkb(1210, 0, 1220, 10) });
    EXPECT_NEAR(c.eca_ha, std::sqrt(2.0) * 100.0 / 1e4, 1e-15);
    analysis::ConnectivitySettings s;
    EXPECT_NEAR(analysis::link_reach_m(s), 100.0 * std::log(1000.0) / std::log(2.0), 1e-9);
    // 900 m apart: p = 2^-9 > 0.001, linked.
    const analysis::Connectivity near =
      at_gap(25.0, { rect_wkb(0, 0, 10, 10), rect_wkb(910, 0, 920, 10) });
    EXPECT_NEAR(near.eca_ha, std::sqrt(2.0 * 1e4 + 2.0 * 1e4 * std::pow(2.0, -9.0)) / 1e4, 1e-15);
}

TEST(Connectivity, NoElementsIsAnEmptyNetwork)
{
    const analysis::Connectivity c = at_gap(25.0, { "" });
    EXPECT_EQ(c.patches, 0u);
    EXPECT_EQ(c.components, 0u);
    EXPECT_EQ(c.eca_ha, 0.0);
}

TEST(Connectivity, SettingsOutOfRangeAreRejected)
{
    analysis::ConnectivitySettings s;
    s.dispersal_m = 0.0;
    EXPECT_THROW(analysis::connectivity({}, s), InvalidArgument);
    s = {};
    s.gap_m = -1.0;
    EXPECT_THROW(analysis::connectivity({}, s), InvalidArgument);
    s = {};
    s.min_probability = 1.0;
    EXPECT_THROW(analysis::area_connectivity({}, s), InvalidArgument);
}

TEST(Connectivity, TheSameFiguresForAnyThreadCount)
{
    std::vector<std::vector<std::string>> areas;
    for (int a = 0; a < 8; ++a) {
        std::vector<std::string> f;
        for (int k = 0; k < 30; ++k)
            f.push_back(
              rect_wkb(37.0 * k + a, 13.0 * (k % 7), 37.0 * k + a + 20.0, 13.0 * (k % 7) + 3.0));
        areas.push_back(f);
    }
    analysis::ConnectivitySettings s;
    std::vector<analysis::Connectivity> one, two;
    {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
        one = analysis::area_connectivity(areas, s);
    }
    {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
        two = analysis::area_connectivity(areas, s);
    }
    for (std::size_t a = 0; a < areas.size(); ++a) {
        EXPECT_EQ(one[a].eca_ha, two[a].eca_ha);
        EXPECT_EQ(one[a].components, two[a].components);
        EXPECT_EQ(one[a].largest_component_ha, two[a].largest_component_ha);
    }
}

TEST(Connectivity, SitesAddedAllAtOnceGiveTheEcaOfEverythingTogether)
{
    // Thirty scattered patches, then six sites: apart, touching a patch, touching each other
    // and overlapping each other. Adding them to the kept network gives the ECA of the
    // footprints and the sites computed from scratch.
    std::vector<std::string> patches;
    for (int k = 0; k < 30; ++k)
        patches.push_back(
          rect_wkb(37.0 * k, 53.0 * (k % 7), 37.0 * k + 20.0, 53.0 * (k % 7) + 3.0));
    const std::vector<std::string> sites{
        rect_wkb(500, 400, 560, 402),   rect_wkb(20, 0, 30, 1.5),       // touches patch 0
        rect_wkb(300, 200, 340, 201.5), rect_wkb(340, 200, 380, 201.5), // touches the one before
        rect_wkb(600, 100, 640, 101.5), rect_wkb(630, 100, 660, 101.5)
    }; // overlaps it
    analysis::ConnectivitySettings s;
    analysis::ElementNetwork network(patches, s, true);
    const double before = network.figures().eca_ha;
    std::vector<std::string> all = patches;
    all.insert(all.end(), sites.begin(), sites.end());
    const double scratch = analysis::connectivity(all, s).eca_ha;
    const double added = network.eca_with_all(sites);
    EXPECT_GT(added, before);
    EXPECT_NEAR(added, scratch, 1e-12 * scratch);
    EXPECT_THROW(network.eca_with(sites[0]), InvalidArgument);
}
