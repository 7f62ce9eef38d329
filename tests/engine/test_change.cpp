#include "landel/analysis/monitoring/change.h"
#include "landel/core/error.h"
#include "wkt.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace landel;
using analysis::AreaChange;
using analysis::AreaYear;
using analysis::ChangeOptions;
using analysis::TypeChange;

namespace {

// RD-like coordinates: the cases lie in a 200 m x 200 m area with its corner here.
constexpr double x0 = 100000.0, y0 = 400000.0;
// Types in precedence order.
constexpr std::size_t hedge = 0, wooded_bank = 1, wood = 2, pond = 3, type_count = 4;
// Every figure below is a sum of rectangle areas computed by hand. Coordinates near 4e5 are
// held to ~6e-11 m, so a 100 m long edge moves an area by under 1e-8 m^2; 1e-6 m^2 (1e-10 ha)
// also leaves room for the rounding of overlay intersection points.
constexpr double eps_ha = 1e-10;

std::string num(double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

/// The ring of the rectangle [x0 + a, x0 + c] x [y0 + b, y0 + d] (offsets from the corner).
std::string ring(double a, double b, double c, double d)
{
    const std::string xa = num(x0 + a), xc = num(x0 + c), yb = num(y0 + b), yd = num(y0 + d);
    return "(" + xa + " " + yb + "," + xc + " " + yb + "," + xc + " " + yd + "," + xa + " " + yd +
           "," + xa + " " + yb + ")";
}

std::string rect(double a, double b, double c, double d)
{
    return test::wkb("POLYGON(" + ring(a, b, c, d) + ")");
}

/// Two rectangles as one MultiPolygon.
std::string rects(const std::vector<double>& r1, const std::vector<double>& r2)
{
    return test::wkb("MULTIPOLYGON((" + ring(r1[0], r1[1], r1[2], r1[3]) + "),(" +
                     ring(r2[0], r2[1], r2[2], r2[3]) + "))");
}

/// The whole area, all of it rural land, without elements.
AreaYear year(int y)
{
    AreaYear a;
    a.year = y;
    a.area_wkb = rect(0, 0, 200, 200);
    a.rural_wkb = a.area_wkb;
    a.owned_wkb.assign(type_count, std::string());
    return a;
}

AreaChange compare(const AreaYear& before, const AreaYear& after, double tolerance_m = 0.5)
{
    geometry::GeosContext ctx;
    return analysis::compare_area(ctx, before, after, ChangeOptions{ tolerance_m });
}

/// A type without any change.
void expect_unchanged(const TypeChange& c)
{
    EXPECT_EQ(c.net_ha, 0.0);
    EXPECT_EQ(c.gained_ha, 0.0);
    EXPECT_EQ(c.lost_ha, 0.0);
    EXPECT_EQ(c.masked_ha, 0.0);
    EXPECT_EQ(c.realigned_ha, 0.0);
}

/// net = gained - lost - masked + reclassified in - reclassified out + realigned gained -
/// realigned lost (change.h, step 5): every square metre of A_t and B_t is in one term.
void expect_balanced(const AreaChange& change)
{
    for (std::size_t t = 0; t < change.types.size(); ++t) {
        const TypeChange& c = change.types[t];
        double in = 0.0, out = 0.0;
        for (const analysis::Reclassification& r : change.reclassified) {
            in += r.to == t ? r.ha : 0.0;
            out += r.from == t ? r.ha : 0.0;
        }
        EXPECT_NEAR(c.net_ha,
                    c.gained_ha - c.lost_ha - c.masked_ha + in - out + c.realigned_gained_ha -
                      c.realigned_lost_ha,
                    eps_ha)
          << "type " << t;
    }
}

} // namespace

TEST(Change, HedgeRemovedIsALoss)
{
    AreaYear before = year(2020);
    const AreaYear after = year(2024);
    before.owned_wkb[hedge] = rect(50, 100, 150, 101.5);
    const AreaChange c = compare(before, after);
    // 100 m x 1.5 m = 150 m^2 = 0.015 ha, gone from rural land that is still rural.
    const double hedge_ha = 100 * 1.5 / 1e4;
    const TypeChange& h = c.types[hedge];
    EXPECT_NEAR(h.before_ha, hedge_ha, eps_ha);
    EXPECT_EQ(h.after_ha, 0.0);
    EXPECT_NEAR(h.lost_ha, hedge_ha, eps_ha);
    EXPECT_NEAR(test::wkb_area(h.lost_wkb) / 1e4, hedge_ha, eps_ha);
    EXPECT_EQ(h.net_ha, -h.before_ha);
    EXPECT_EQ(h.gained_ha, 0.0);
    EXPECT_EQ(h.masked_ha, 0.0);
    EXPECT_EQ(h.realigned_ha, 0.0);
    EXPECT_TRUE(h.gained_wkb.empty());
    EXPECT_TRUE(h.realigned_wkb.empty());
    for (std::size_t t : { wooded_bank, wood, pond })
        expect_unchanged(c.types[t]);
    EXPECT_TRUE(c.reclassified.empty());
    expect_balanced(c);
}

TEST(Change, HedgeShiftedWithinTheToleranceIsNoChange)
{
    AreaYear before = year(2020), after = year(2024);
    before.owned_wkb[hedge] = rect(50, 100, 150, 101.5);
    after.owned_wkb[hedge] = rect(50, 100.3, 150, 101.8); // digitised again 0.3 m north
    // Raw change: a 100 m x 0.3 m strip lost in the south, one gained in the north.
    const double strip_ha = 100 * 0.3 / 1e4;

    // At 0.5 m both strips are thinner than the tolerance and touch the other year's hedge.
    const TypeChange wide = compare(before, after, 0.5).types[hedge];
    EXPECT_EQ(wide.gained_ha, 0.0);
    EXPECT_EQ(wide.lost_ha, 0.0);
    EXPECT_TRUE(wide.gained_wkb.empty());
    EXPECT_TRUE(wide.lost_wkb.empty());
    EXPECT_NEAR(wide.realigned_ha, 2 * strip_ha, eps_ha);
    EXPECT_NEAR(wide.realigned_gained_ha, strip_ha, eps_ha);
    EXPECT_NEAR(wide.realigned_lost_ha, strip_ha, eps_ha);
    EXPECT_NEAR(test::wkb_area(wide.realigned_wkb) / 1e4, 2 * strip_ha, eps_ha);
    EXPECT_NEAR(wide.net_ha, 0.0, eps_ha);

    // At 0.1 m (and with realignment off) the 0.3 m strips are change.
    for (double tolerance : { 0.1, 0.0 }) {
        const AreaChange c = compare(before, after, tolerance);
        const TypeChange& h = c.types[hedge];
        EXPECT_NEAR(h.gained_ha, strip_ha, eps_ha) << tolerance;
        EXPECT_NEAR(h.lost_ha, strip_ha, eps_ha) << tolerance;
        EXPECT_NEAR(test::wkb_area(h.gained_wkb) / 1e4, strip_ha, eps_ha) << tolerance;
        EXPECT_NEAR(test::wkb_area(h.lost_wkb) / 1e4, strip_ha, eps_ha) << tolerance;
        EXPECT_EQ(h.realigned_ha, 0.0) << tolerance;
        EXPECT_TRUE(h.realigned_wkb.empty()) << tolerance;
        expect_balanced(c);
    }
}

TEST(Change, HedgeWiderThanTheToleranceRemovedIsAFullLoss)
{
    AreaYear before = year(2020);
    before.owned_wkb[hedge] = rect(50, 100, 150, 100.8);
    const TypeChange h = compare(before, year(2024), 0.5).types[hedge];
    EXPECT_NEAR(h.lost_ha, 100 * 0.8 / 1e4, eps_ha);
    EXPECT_EQ(h.realigned_ha, 0.0);
}

TEST(Change, ThinHedgeRemovedWholeIsNeverRealigned)
{
    // A 0.4 m hedge (thinner than the tolerance) 0.1 m south of a hedge that stays: all of it
    // lies within 0.5 m of the later hedge, but it disappeared whole, so it is a loss.
    AreaYear before = year(2020), after = year(2024);
    before.owned_wkb[hedge] = rects({ 50, 99.5, 150, 99.9 }, { 50, 100, 150, 101.5 });
    after.owned_wkb[hedge] = rect(50, 100, 150, 101.5);
    const AreaChange c = compare(before, after, 0.5);
    EXPECT_NEAR(c.types[hedge].lost_ha, 100 * 0.4 / 1e4, eps_ha);
    EXPECT_EQ(c.types[hedge].realigned_ha, 0.0);
    expect_balanced(c);

    // Touching a later element along an edge is no survival either: a 0.4 m hedge along a
    // wood's edge, removed, while the wood stays.
    AreaYear before2 = year(2020), after2 = year(2024);
    before2.owned_wkb[hedge] = rect(50, 99.6, 150, 100);
    before2.owned_wkb[wood] = rect(50, 100, 150, 150);
    after2.owned_wkb[wood] = before2.owned_wkb[wood];
    const AreaChange c2 = compare(before2, after2, 0.5);
    EXPECT_NEAR(c2.types[hedge].lost_ha, 100 * 0.4 / 1e4, eps_ha);
    EXPECT_EQ(c2.types[hedge].realigned_ha, 0.0);
    expect_unchanged(c2.types[wood]);
}

TEST(Change, ShiftedHedgeAndThinHedgeRemovedBesideItAreToldApart)
{
    // Both parts of the type change in one cluster: the 1.5 m hedge is drawn again 0.3 m
    // north, the 0.4 m hedge 0.1 m south of it is gone. The shifted hedge keeps 120 of its
    // 150 m² in the later year, so its strips are noise; the thin one keeps none, so it went
    // whole and is a loss, although it lies within 0.5 m of the later hedge.
    AreaYear before = year(2020), after = year(2024);
    before.owned_wkb[hedge] = rects({ 50, 99.5, 150, 99.9 }, { 50, 100, 150, 101.5 });
    after.owned_wkb[hedge] = rect(50, 100.3, 150, 101.8);
    const AreaChange c = compare(before, after, 0.5);
    EXPECT_NEAR(c.types[hedge].lost_ha, 100 * 0.4 / 1e4, eps_ha);
    EXPECT_EQ(c.types[hedge].gained_ha, 0.0);
    EXPECT_NEAR(c.types[hedge].realigned_lost_ha, 100 * 0.3 / 1e4, eps_ha);
    EXPECT_NEAR(c.types[hedge].realigned_gained_ha, 100 * 0.3 / 1e4, eps_ha);
    expect_balanced(c);
}

TEST(Change, NoiseCutFromAGainKeepsTheGainsItDoesNotTouch)
{
    // Captured from the monitoring benchmark case (tests/engine/data/change_g042.txt): a bank
    // redrawn beside a new pond and two crowns. Cutting the realignment noise out of the raw
    // gain in one overlay of all its polygons once dropped a whole 15.5 m² polygon of new
    // bank that the noise does not touch, so gained and realigned no longer made up the net.
    std::ifstream in(std::string(LANDEL_ENGINE_TEST_DATA) + "/change_g042.txt");
    ASSERT_TRUE(in) << "tests/engine/data/change_g042.txt";
    const std::map<std::string, std::size_t> types{
        { "hedge", hedge }, { "wooded_bank", wooded_bank }, { "wood", wood }, { "pond", pond }
    };
    AreaYear before = year(2020), after = year(2024);
    for (AreaYear* y : { &before, &after }) {
        y->area_wkb = test::wkb("POLYGON((160000 442000,162000 442000,162000 443000,160000 "
                                "443000,160000 442000))");
        y->rural_wkb = y->area_wkb;
    }
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        std::istringstream fields(line);
        int y = 0;
        std::string type, wkt;
        fields >> y >> type;
        std::getline(fields, wkt);
        (y == 2020 ? before : after).owned_wkb.at(types.at(type)) = test::wkb(wkt);
    }
    const AreaChange c = compare(before, after, 0.5);
    expect_balanced(c);
    // The bank's gain is the 2024 bank outside the 2020 elements, gained or realigned.
    EXPECT_GT(c.types[hedge].gained_ha, 0.0);
}

TEST(Change, ThinEdgeOfAHedgeThatStaysIsRealigned)
{
    // The counterpart of the rule above: a hedge drawn 0.4 m narrower, the rest staying. The
    // 100 m x 0.4 m strip is thinner than 0.5 m, touches the later hedge and belongs to a
    // hedge that did not disappear: noise.
    AreaYear before = year(2020), after = year(2024);
    before.owned_wkb[hedge] = rect(50, 100, 150, 101.9);
    after.owned_wkb[hedge] = rect(50, 100, 150, 101.5);
    const TypeChange h = compare(before, after, 0.5).types[hedge];
    EXPECT_EQ(h.lost_ha, 0.0);
    EXPECT_NEAR(h.realigned_lost_ha, 100 * 0.4 / 1e4, eps_ha);
    EXPECT_NEAR(h.net_ha, -100 * 0.4 / 1e4, eps_ha);
}

TEST(Change, WoodGrownIsAGain)
{
    AreaYear before = year(2020), after = year(2024);
    before.owned_wkb[wood] = rect(10, 10, 60, 60);
    after.owned_wkb[wood] = rect(10, 10, 70, 70);
    const AreaChange c = compare(before, after, 0.5);
    // 60 x 60 - 50 x 50 = 1100 m^2, an L of 10 m wide arms: far wider than the tolerance.
    const double grown_ha = (60.0 * 60 - 50.0 * 50) / 1e4;
    const TypeChange& w = c.types[wood];
    EXPECT_NEAR(w.gained_ha, grown_ha, eps_ha);
    EXPECT_NEAR(test::wkb_area(w.gained_wkb) / 1e4, grown_ha, eps_ha);
    EXPECT_NEAR(w.net_ha, grown_ha, eps_ha);
    EXPECT_EQ(w.lost_ha, 0.0);
    EXPECT_EQ(w.realigned_ha, 0.0);
    EXPECT_TRUE(w.realigned_wkb.empty());
    expect_balanced(c);
}

TEST(Change, PondDugIsAGain)
{
    AreaYear after = year(2024);
    after.owned_wkb[pond] = rect(120, 20, 140, 50);
    const AreaChange c = compare(year(2020), after, 0.5);
    const double pond_ha = 20.0 * 30 / 1e4;
    EXPECT_NEAR(c.types[pond].gained_ha, pond_ha, eps_ha);
    EXPECT_EQ(c.types[pond].net_ha, c.types[pond].after_ha);
    EXPECT_NEAR(c.types[pond].after_ha, pond_ha, eps_ha);
    EXPECT_EQ(c.types[pond].realigned_ha, 0.0);
    for (std::size_t t : { hedge, wooded_bank, wood })
        expect_unchanged(c.types[t]);
}

TEST(Change, HedgeReclassifiedAsWoodedBankIsNeitherLossNorGain)
{
    AreaYear before = year(2020), after = year(2024);
    before.owned_wkb[hedge] = rect(50, 100, 150, 101.5);
    after.owned_wkb[wooded_bank] = before.owned_wkb[hedge];
    const AreaChange c = compare(before, after, 0.5);
    const double hedge_ha = 100 * 1.5 / 1e4;
    ASSERT_EQ(c.reclassified.size(), 1u);
    EXPECT_EQ(c.reclassified[0].from, hedge);
    EXPECT_EQ(c.reclassified[0].to, wooded_bank);
    EXPECT_NEAR(c.reclassified[0].ha, hedge_ha, eps_ha);
    EXPECT_NEAR(test::wkb_area(c.reclassified[0].wkb) / 1e4, hedge_ha, eps_ha);
    for (std::size_t t : { hedge, wooded_bank }) {
        EXPECT_EQ(c.types[t].gained_ha, 0.0);
        EXPECT_EQ(c.types[t].lost_ha, 0.0);
        EXPECT_EQ(c.types[t].realigned_ha, 0.0);
    }
    EXPECT_NEAR(c.types[hedge].net_ha, -hedge_ha, eps_ha);
    EXPECT_NEAR(c.types[wooded_bank].net_ha, hedge_ha, eps_ha);
    expect_balanced(c);
}

TEST(Change, CollapsedSliversAreLeftOutOfTheOverlays)
{
    // A run's owned geometry can hold collapsed slivers (1e-20 to 1e-9 m^2) along the edges of
    // other types; GEOS overlays with them have returned whole wrong polygons. A 5e-9 m^2
    // sliver of pond on the edge of a hedge that is cut short: it is no gain of pond, and the
    // hedge's figures are those of the rectangles.
    AreaYear before = year(2020), after = year(2024);
    before.owned_wkb[hedge] = rect(50, 100, 150, 101.5);
    after.owned_wkb[hedge] = rect(50, 100, 140, 101.5);
    after.owned_wkb[pond] =
      test::wkb("POLYGON((" + num(x0 + 60) + " " + num(y0 + 101.5) + "," + num(x0 + 70) + " " +
                num(y0 + 101.5) + "," + num(x0 + 65) + " " + num(y0 + 101.5 + 1e-9) + "," +
                num(x0 + 60) + " " + num(y0 + 101.5) + "))");
    ASSERT_LT(test::wkb_area(after.owned_wkb[pond]), 1e-8);
    const AreaChange c = compare(before, after, 0.0);
    EXPECT_EQ(c.types[pond].gained_ha, 0.0);
    EXPECT_TRUE(c.reclassified.empty());
    EXPECT_NEAR(c.types[hedge].lost_ha, 10 * 1.5 / 1e4, eps_ha);
    EXPECT_EQ(c.types[hedge].gained_ha, 0.0);
}

TEST(Change, ReclassificationsAreSortedByFromAndTo)
{
    // Wood -> hedge and hedge -> pond and hedge -> wooded bank: rows (0,1), (0,3), (2,0).
    AreaYear before = year(2020), after = year(2024);
    before.owned_wkb[hedge] = rects({ 0, 0, 10, 1 }, { 0, 10, 10, 11 });
    before.owned_wkb[wood] = rect(100, 100, 120, 120);
    after.owned_wkb[wooded_bank] = rect(0, 0, 10, 1);
    after.owned_wkb[pond] = rect(0, 10, 10, 11);
    after.owned_wkb[hedge] = rect(100, 100, 120, 120);
    const AreaChange c = compare(before, after, 0.5);
    ASSERT_EQ(c.reclassified.size(), 3u);
    EXPECT_EQ(c.reclassified[0].from, hedge);
    EXPECT_EQ(c.reclassified[0].to, wooded_bank);
    EXPECT_EQ(c.reclassified[1].from, hedge);
    EXPECT_EQ(c.reclassified[1].to, pond);
    EXPECT_EQ(c.reclassified[2].from, wood);
    EXPECT_EQ(c.reclassified[2].to, hedge);
    EXPECT_NEAR(c.reclassified[2].ha, 20.0 * 20 / 1e4, eps_ha);
    expect_balanced(c);
}

TEST(Change, BuildingOverAHedgeIsMaskedNotLost)
{
    // A new 10 m x 10 m building across the hedge: the later run's rural land has a hole
    // there, so its owned hedge lacks a 10 m x 1.5 m piece.
    const std::string building = ring(95, 95, 105, 105);
    AreaYear before = year(2020), after = year(2024);
    before.owned_wkb[hedge] = rect(50, 100, 150, 101.5);
    after.rural_wkb = test::wkb("POLYGON(" + ring(0, 0, 200, 200) + "," + building + ")");
    after.owned_wkb[hedge] =
      rects({ 50, 100, 95, 101.5 }, { 105, 100, 150, 101.5 }); // the hedge minus the building
    const double piece_ha = 10 * 1.5 / 1e4;
    const AreaChange c = compare(before, after, 0.5);
    const TypeChange& h = c.types[hedge];
    EXPECT_NEAR(h.masked_ha, piece_ha, eps_ha);
    EXPECT_NEAR(test::wkb_area(h.masked_wkb) / 1e4, piece_ha, eps_ha);
    EXPECT_EQ(h.lost_ha, 0.0);
    EXPECT_EQ(h.gained_ha, 0.0);
    EXPECT_NEAR(h.net_ha, -piece_ha, eps_ha);
    expect_balanced(c);

    // The same building, and the rest of the hedge grubbed up: that rest is the loss.
    after.owned_wkb[hedge].clear();
    const AreaChange gone = compare(before, after, 0.5);
    EXPECT_NEAR(gone.types[hedge].masked_ha, piece_ha, eps_ha);
    EXPECT_NEAR(gone.types[hedge].lost_ha, 90 * 1.5 / 1e4, eps_ha);
    expect_balanced(gone);
}

TEST(Change, BadInputIsRejected)
{
    AreaYear before = year(2020), after = year(2024);
    after.owned_wkb.pop_back();
    EXPECT_THROW(compare(before, after), InvalidArgument);
    EXPECT_THROW(compare(year(2024), year(2024)), InvalidArgument);
    EXPECT_THROW(compare(year(2020), year(2024), -0.5), InvalidArgument);
    EXPECT_THROW(analysis::compare_areas({ year(2020) }, {}, ChangeOptions{}), InvalidArgument);
}

TEST(Change, AnyThreadCountGivesTheSameResult)
{
    // 24 areas, each a mix of the cases above (a shift of 0 to 0.4 m, a thin hedge removed or
    // reclassified, a wood of varying size grown).
    std::vector<AreaYear> before, after;
    for (int i = 0; i < 24; ++i) {
        AreaYear b = year(2020), a = year(2024);
        const double dy = 0.1 * (i % 5);
        b.owned_wkb[hedge] = rects({ 10, 10, 110, 11.5 }, { 10, 40, 110, 40.4 });
        a.owned_wkb[hedge] = rect(10, 10 + dy, 110, 11.5 + dy);
        b.owned_wkb[wood] = rect(120, 120, 150 + i, 150);
        a.owned_wkb[wood] = rect(120, 120, 160, 160);
        a.owned_wkb[wooded_bank] = i % 3 ? rect(10, 40, 110, 40.4) : std::string();
        before.push_back(b);
        after.push_back(a);
    }
    std::vector<AreaChange> one, eight;
    {
        tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
        one = analysis::compare_areas(before, after, ChangeOptions{});
    }
    {
        tbb::global_control c(tbb::global_control::max_allowed_parallelism, 8);
        eight = analysis::compare_areas(before, after, ChangeOptions{});
    }
    ASSERT_EQ(one.size(), eight.size());
    for (std::size_t i = 0; i < one.size(); ++i) {
        ASSERT_EQ(one[i].types.size(), eight[i].types.size());
        for (std::size_t t = 0; t < one[i].types.size(); ++t) {
            const TypeChange &p = one[i].types[t], &q = eight[i].types[t];
            EXPECT_EQ(p.before_ha, q.before_ha);
            EXPECT_EQ(p.after_ha, q.after_ha);
            EXPECT_EQ(p.gained_ha, q.gained_ha);
            EXPECT_EQ(p.lost_ha, q.lost_ha);
            EXPECT_EQ(p.masked_ha, q.masked_ha);
            EXPECT_EQ(p.realigned_ha, q.realigned_ha);
            EXPECT_EQ(p.gained_wkb, q.gained_wkb);
            EXPECT_EQ(p.lost_wkb, q.lost_wkb);
            EXPECT_EQ(p.realigned_wkb, q.realigned_wkb);
            EXPECT_EQ(p.masked_wkb, q.masked_wkb);
        }
        ASSERT_EQ(one[i].reclassified.size(), eight[i].reclassified.size());
        for (std::size_t r = 0; r < one[i].reclassified.size(); ++r) {
            EXPECT_EQ(one[i].reclassified[r].from, eight[i].reclassified[r].from);
            EXPECT_EQ(one[i].reclassified[r].to, eight[i].reclassified[r].to);
            EXPECT_EQ(one[i].reclassified[r].ha, eight[i].reclassified[r].ha);
            EXPECT_EQ(one[i].reclassified[r].wkb, eight[i].reclassified[r].wkb);
        }
        expect_balanced(one[i]);
    }
}

namespace {

using geometry::GeomPtr;

/// The method of change.h computed directly on the whole area, with none of the engine's
/// shortcuts (clusters, unchanged parts skipped, prepared rural land, local buffers).
struct Reference
{
    std::vector<double> gained, lost, masked, realigned;
    std::map<std::pair<std::size_t, std::size_t>, double> reclassified;
};

double ha_of(const geometry::GeosContext& ctx, const GEOSGeometry* g)
{
    return geometry::area(ctx, g) / 1e4;
}

GeomPtr parse(const geometry::GeosContext& ctx, const std::string& wkb)
{
    return wkb.empty() ? geometry::empty_multipolygon(ctx) : geometry::from_wkb(ctx, wkb);
}

GeomPtr buffer(const geometry::GeosContext& ctx, const GEOSGeometry* g, double d, int join)
{
    return ctx.own(GEOSBufferWithStyle_r(ctx.handle(), g, d, 8, GEOSBUF_CAP_FLAT, join, 10.0),
                   "buffer");
}

/// Step 4 as written: the noise in `raw` (of `own`, against `other`).
GeomPtr reference_noise(const geometry::GeosContext& ctx,
                        const GEOSGeometry* raw,
                        const GEOSGeometry* own,
                        const GEOSGeometry* other,
                        double tol)
{
    if (tol <= 0.0)
        return geometry::empty_multipolygon(ctx);
    const GeomPtr eroded = buffer(ctx, raw, -tol / 2, GEOSBUF_JOIN_MITRE);
    const GeomPtr opened = buffer(ctx, eroded.get(), tol / 2, GEOSBUF_JOIN_MITRE);
    const GeomPtr thin = geometry::difference(ctx, raw, opened.get());
    const GeomPtr zone = buffer(ctx, other, tol, GEOSBUF_JOIN_ROUND);
    const GeomPtr near = geometry::intersection(ctx, thin.get(), zone.get());
    std::vector<const GEOSGeometry*> parts, whole;
    geometry::collect_parts(ctx, own, parts);
    for (const GEOSGeometry* p : parts)
        if (geometry::area(ctx, geometry::intersection(ctx, p, other).get()) == 0.0)
            whole.push_back(p); // no land of it remains an element: it went whole
    return geometry::difference(ctx, near.get(), geometry::multipolygon_of(ctx, whole).get());
}

Reference reference(const AreaYear& before, const AreaYear& after, double tol)
{
    geometry::GeosContext ctx;
    std::vector<GeomPtr> a, b;
    std::vector<const GEOSGeometry*> ar, br;
    for (std::size_t t = 0; t < type_count; ++t) {
        a.push_back(parse(ctx, before.owned_wkb[t]));
        b.push_back(parse(ctx, after.owned_wkb[t]));
        ar.push_back(a.back().get());
        br.push_back(b.back().get());
    }
    const GeomPtr ea = geometry::union_of(ctx, ar), eb = geometry::union_of(ctx, br);
    const GeomPtr rb = parse(ctx, after.rural_wkb);
    Reference r;
    for (std::size_t t = 0; t < type_count; ++t) {
        for (std::size_t u = 0; u < type_count; ++u) {
            const double ha = ha_of(ctx, geometry::intersection(ctx, ar[t], br[u]).get());
            if (u != t && ha > 0.0)
                r.reclassified[{ t, u }] = ha;
        }
        const GeomPtr gone = geometry::difference(ctx, ar[t], eb.get());
        const GeomPtr raw_lost = geometry::intersection(ctx, gone.get(), rb.get());
        const GeomPtr raw_gained = geometry::difference(ctx, br[t], ea.get());
        const GeomPtr noise_lost = reference_noise(ctx, raw_lost.get(), ar[t], eb.get(), tol);
        const GeomPtr noise_gained = reference_noise(ctx, raw_gained.get(), br[t], ea.get(), tol);
        r.masked.push_back(ha_of(ctx, geometry::difference(ctx, gone.get(), rb.get()).get()));
        r.lost.push_back(ha_of(ctx, raw_lost.get()) - ha_of(ctx, noise_lost.get()));
        r.gained.push_back(ha_of(ctx, raw_gained.get()) - ha_of(ctx, noise_gained.get()));
        r.realigned.push_back(ha_of(ctx, noise_lost.get()) + ha_of(ctx, noise_gained.get()));
    }
    return r;
}

/// A 200 m x 200 m area with a 10 x 10 grid of cells, 20 m apart, each with a hedge and a
/// small wood; cell k undergoes change k % 10 (kept, removed, shifted 0.3 m, narrowed 0.4 m,
/// reclassified, a building over it, grown, a pond dug beside it, a 0.4 m hedge removed
/// 0.1 m from one that stays, shifted 0.6 m).
std::pair<AreaYear, AreaYear> mixed_scene()
{
    AreaYear before = year(2020), after = year(2024);
    std::vector<std::string> buildings;
    std::vector<std::vector<std::string>> was(type_count), is(type_count);
    for (int k = 0; k < 100; ++k) {
        const double x = 20.0 * (k % 10) + 1, y = 20.0 * (k / 10) + 1;
        const std::string h = ring(x, y, x + 15, y + 1.5);
        const std::string w = ring(x, y + 8, x + 6, y + 14);
        was[hedge].push_back(h);
        was[wood].push_back(w);
        is[wood].push_back(k % 10 == 6 ? ring(x, y + 8, x + 8, y + 16) : w);
        switch (k % 10) {
            case 0:
                is[hedge].push_back(h);
                break;
            case 1:
                break;
            case 2:
                is[hedge].push_back(ring(x, y + 0.3, x + 15, y + 1.8));
                break;
            case 3:
                is[hedge].push_back(ring(x, y, x + 15, y + 1.1));
                break;
            case 4:
                is[wooded_bank].push_back(h);
                break;
            case 5:
                buildings.push_back(ring(x + 5, y - 0.5, x + 9, y + 3));
                is[hedge].push_back(ring(x, y, x + 5, y + 1.5));
                is[hedge].push_back(ring(x + 9, y, x + 15, y + 1.5));
                break;
            case 6:
                is[hedge].push_back(h);
                break;
            case 7:
                is[hedge].push_back(h);
                is[pond].push_back(ring(x + 10, y + 8, x + 18, y + 16));
                break;
            case 8:
                was[hedge].push_back(ring(x, y + 1.6, x + 15, y + 2.0)); // 0.1 m north of h
                is[hedge].push_back(h);
                break;
            case 9:
                is[hedge].push_back(ring(x, y + 0.6, x + 15, y + 2.1));
                break;
        }
    }
    const auto multi = [](const std::vector<std::string>& rings) {
        if (rings.empty())
            return std::string();
        std::string wkt = "MULTIPOLYGON(";
        for (std::size_t i = 0; i < rings.size(); ++i)
            wkt += (i ? ",(" : "(") + rings[i] + ")";
        return test::wkb(wkt + ")");
    };
    for (std::size_t t = 0; t < type_count; ++t) {
        before.owned_wkb[t] = multi(was[t]);
        after.owned_wkb[t] = multi(is[t]);
    }
    std::string rural = "POLYGON(" + ring(0, 0, 200, 200);
    for (const std::string& b : buildings)
        rural += "," + b;
    after.rural_wkb = test::wkb(rural + ")");
    return { before, after };
}

} // namespace

TEST(Change, ClustersGiveTheMethodOnTheWholeArea)
{
    const auto [before, after] = mixed_scene();
    for (double tol : { 0.0, 0.5, 1.0 }) {
        const AreaChange c = compare(before, after, tol);
        const Reference r = reference(before, after, tol);
        for (std::size_t t = 0; t < type_count; ++t) {
            EXPECT_NEAR(c.types[t].gained_ha, r.gained[t], eps_ha) << t << " at " << tol;
            EXPECT_NEAR(c.types[t].lost_ha, r.lost[t], eps_ha) << t << " at " << tol;
            EXPECT_NEAR(c.types[t].masked_ha, r.masked[t], eps_ha) << t << " at " << tol;
            EXPECT_NEAR(c.types[t].realigned_ha, r.realigned[t], eps_ha) << t << " at " << tol;
        }
        ASSERT_EQ(c.reclassified.size(), r.reclassified.size());
        for (const analysis::Reclassification& row : c.reclassified)
            EXPECT_NEAR(row.ha, r.reclassified.at({ row.from, row.to }), eps_ha);
        expect_balanced(c);
    }
    // The scene has every kind of change at 0.5 m.
    const AreaChange c = compare(before, after, 0.5);
    EXPECT_GT(c.types[hedge].lost_ha, 0.0);
    EXPECT_GT(c.types[hedge].realigned_ha, 0.0);
    EXPECT_GT(c.types[hedge].masked_ha, 0.0);
    EXPECT_GT(c.types[hedge].gained_ha, 0.0);
    EXPECT_GT(c.types[wood].gained_ha, 0.0);
    EXPECT_GT(c.types[pond].gained_ha, 0.0);
}

TEST(Change, UnchangedNeighboursAreTheOtherYearsElementLand)
{
    // A hedge loses a 0.4 m wide, 10 m long spike that runs 0.05 m beside a wood present in
    // both years; a second wood, touching the hedge's body, is unchanged too. The unchanged
    // woods add no figure of their own, but they are element land of the later year: the
    // whole spike lies within 0.5 m of the first wood, so all of it is realigned, where the
    // hedge alone would explain only its first 0.5 m.
    AreaYear before = year(2020), after = year(2024);
    const auto at = [](double a, double b) { return num(x0 + a) + " " + num(y0 + b); };
    const std::string spiked = "POLYGON((" + at(10, 10) + "," + at(25, 10) + "," + at(25, 21.5) +
                               "," + at(24.6, 21.5) + "," + at(24.6, 11.5) + "," + at(10, 11.5) +
                               "," + at(10, 10) + "))";
    before.owned_wkb[hedge] = test::wkb(spiked);
    after.owned_wkb[hedge] = rect(10, 10, 25, 11.5);
    const std::string woods = rects({ 25.05, 11.5, 30, 21.5 }, { 10, 11.5, 20, 16 });
    before.owned_wkb[wood] = woods;
    after.owned_wkb[wood] = woods;
    for (double tol : { 0.0, 0.5, 1.0 }) {
        const AreaChange c = compare(before, after, tol);
        const Reference r = reference(before, after, tol);
        for (std::size_t t = 0; t < type_count; ++t) {
            EXPECT_NEAR(c.types[t].gained_ha, r.gained[t], eps_ha) << t << " at " << tol;
            EXPECT_NEAR(c.types[t].lost_ha, r.lost[t], eps_ha) << t << " at " << tol;
            EXPECT_NEAR(c.types[t].masked_ha, r.masked[t], eps_ha) << t << " at " << tol;
            EXPECT_NEAR(c.types[t].realigned_ha, r.realigned[t], eps_ha) << t << " at " << tol;
        }
        EXPECT_TRUE(c.reclassified.empty());
        expect_unchanged(c.types[wood]);
        expect_balanced(c);
    }
    // By hand: the spike is 0.4 m x 10 m.
    EXPECT_NEAR(compare(before, after, 0.0).types[hedge].lost_ha, 0.4 * 10 / 1e4, eps_ha);
    EXPECT_NEAR(compare(before, after, 0.5).types[hedge].realigned_ha, 0.4 * 10 / 1e4, eps_ha);
    EXPECT_NEAR(compare(before, after, 0.5).types[hedge].lost_ha, 0.0, eps_ha);
}

TEST(Change, PairsAtOnceEqualEachPairAlone)
{
    // Three years of 12 areas (hedges shifted, woods grown year by year): compare_pairs on
    // the pairs 2020 -> 2022, 2022 -> 2024 and 2020 -> 2024 gives, at 1 and 8 threads, what
    // compare_area gives for each pair and area alone, figure for figure and byte for byte.
    std::vector<std::vector<AreaYear>> years(3);
    for (int i = 0; i < 12; ++i)
        for (int y = 0; y < 3; ++y) {
            AreaYear a = year(2020 + 2 * y);
            const double dy = 0.1 * ((i + y) % 5);
            a.owned_wkb[hedge] = rect(10, 10 + dy, 110, 11.5 + dy);
            a.owned_wkb[wood] = rect(120, 120, 140 + i + 5 * y, 150);
            years[y].push_back(a);
        }
    const std::vector<std::pair<std::size_t, std::size_t>> pairs = { { 0, 1 }, { 1, 2 }, { 0, 2 } };
    for (std::size_t threads : { 1, 8 }) {
        tbb::global_control c(tbb::global_control::max_allowed_parallelism, threads);
        const auto all = analysis::compare_pairs(years, pairs, ChangeOptions{});
        ASSERT_EQ(all.size(), pairs.size());
        for (std::size_t p = 0; p < pairs.size(); ++p) {
            ASSERT_EQ(all[p].size(), 12u);
            for (std::size_t i = 0; i < 12; ++i) {
                const AreaChange alone =
                  compare(years[pairs[p].first][i], years[pairs[p].second][i], 0.5);
                for (std::size_t t = 0; t < type_count; ++t) {
                    EXPECT_EQ(all[p][i].types[t].gained_ha, alone.types[t].gained_ha);
                    EXPECT_EQ(all[p][i].types[t].lost_ha, alone.types[t].lost_ha);
                    EXPECT_EQ(all[p][i].types[t].realigned_ha, alone.types[t].realigned_ha);
                    EXPECT_EQ(all[p][i].types[t].gained_wkb, alone.types[t].gained_wkb);
                    EXPECT_EQ(all[p][i].types[t].lost_wkb, alone.types[t].lost_wkb);
                }
            }
        }
    }
    EXPECT_THROW(analysis::compare_pairs(years, { { 0, 3 } }, ChangeOptions{}), InvalidArgument);
}

TEST(Change, ASliverThatWentWholeBesideAChangedElementIsNeverRealigned)
{
    // Captured from the monitoring benchmark case (area G055, 2020 -> 2024): a thin remnant of
    // a crown (3.28 m2, 0.6 m wide) beside a small wood that was redrawn, the remnant gone in
    // the later year. It went whole, so it is a loss, never noise. landel used to test that by
    // containment in the overlay that removed the later wood from it; the overlay's noding moved
    // its vertices, the containment failed and all of it was counted as realigned.
    const std::string remnant =
      "POLYGON ((164995.3141215507930610 440789.6522809320595115, 164995.4271698740776628 440"
      "789.8127972179790959, 164995.5479581865656655 440789.9675731366733089, 164995.60240532"
      "40253124 440790.0306925002369098, 165001.7814364004298113 440789.9042798227746971, 165"
      "001.8528301259502769 440789.8127972179790959, 165001.9658784492348786 440789.652280932"
      "0595115, 165002.0709144400025252 440789.4864109767368063, 165002.1214409165258985 4407"
      "89.3972192722139880, 164995.2417328197334427 440789.5379666336812079, 164995.314121550"
      "7930610 440789.6522809320595115))";
    const std::string wood_before =
      "POLYGON ((164851.2529247097554617 440785.6051778960390948, 164790.6034113190253265 440"
      "785.6051778960390948, 164790.6034113190253265 440784.7226423794636503, 164693.42000000"
      "00128057 440786.7108530026744120, 164693.4200000000128057 440794.7708332511247136, 164"
      "687.7200000000011642 440794.7708332511247136, 164687.7200000000011642 440786.827465502"
      "6616529, 164575.8441892437695060 440789.1162581310491078, 164575.8441892437695060 4407"
      "91.4821512056514621, 164491.4811511425941717 440791.4821512056514621, 164491.481151142"
      "5941717 440790.8421852855826728, 164467.5033915376116056 440791.3327302841353230, 1644"
      "67.5033915376116056 440793.3586730154347606, 164416.3737882155983243 440793.3586730154"
      "347606, 164416.3737882155983243 440792.3787567521212623, 164365.8542015136335976 44079"
      "3.4123032967327163, 164365.8542015136335976 440795.8139870148152113, 164277.9922817667"
      "247728 440795.8139870148152113, 164277.9922817667247728 440795.2098117382265627, 16400"
      "0.0815105924266391 440800.8954029318410903, 164000.0811926023743581 440800.69788962940"
      "21979, 163997.5720423600287177 440800.7019292803015560, 163997.6380495901685208 440810"
      ".1018351931707002, 164000.0963262793666217 440810.0978774470277131, 164000.09600285656"
      "05171 440809.8969896925846115, 165199.8436293197446503 440785.3521528344717808, 165199"
      ".6595428397995420 440776.3540356887388043, 165027.3299999999871943 440779.879610919335"
      "3914, 165027.3299999999871943 440662.7600000000093132, 165021.8299999999871943 440662."
      "7600000000093132, 165021.8299999999871943 440779.9921317526604980, 164886.440000000002"
      "3283 440782.7619855026714504, 164886.4400000000023283 440790.6500000000232831, 164885."
      "4400000000023283 440790.6500000000232831, 164885.4400000000023283 440782.7824438360403"
      "292, 164851.2529247097554617 440783.4818544180016033, 164851.2529247097554617 440785.6"
      "051778960390948))";
    const std::string wood_after =
      "POLYGON ((164886.4400000000023283 440782.7619855026714504, 164886.4400000000023283 440"
      "790.6500000000232831, 164885.4400000000023283 440790.6500000000232831, 164885.44000000"
      "00023283 440782.7824438360403292, 164851.2529247097554617 440783.4818544180016033, 164"
      "851.2529247097554617 440785.6051778960390948, 164790.6034113190253265 440785.605177896"
      "0390948, 164790.6034113190253265 440784.7226423794636503, 164693.1209583717864007 4407"
      "86.7169708959991112, 164693.1209583717864007 440794.7468727713567205, 164687.420958371"
      "7747591 440794.7468727713567205, 164687.4209583717747591 440786.8335833959863521, 1645"
      "75.8441892437695060 440789.1162581310491078, 164575.8441892437695060 440791.4821512056"
      "514621, 164491.4811511425941717 440791.4821512056514621, 164491.4811511425941717 44079"
      "0.8421852855826728, 164467.5033915376116056 440791.3327302841353230, 164467.5033915376"
      "116056 440793.3586730154347606, 164416.3737882155983243 440793.3586730154347606, 16441"
      "6.3737882155983243 440792.3787567521212623, 164365.8542015136335976 440793.41230329673"
      "27163, 164365.8542015136335976 440795.8139870148152113, 164277.9922817667247728 440795"
      ".8139870148152113, 164277.9922817667247728 440795.2098117382265627, 164000.08151059242"
      "66391 440800.8954029318410903, 164000.0811926023743581 440800.6978896294021979, 163997"
      ".5720423600287177 440800.7019292803015560, 163997.6380495901685208 440810.101835193170"
      "7002, 164000.0963262793666217 440810.0978774470277131, 164000.0960028565605171 440809."
      "8969896925846115, 165199.8436293197446503 440785.3521528344717808, 165199.659542839799"
      "5420 440776.3540356887388043, 165027.3299999999871943 440779.8796109193353914, 165027."
      "3299999999871943 440662.7600000000093132, 165021.8299999999871943 440662.7600000000093"
      "132, 165021.8299999999871943 440779.9921317526604980, 164886.4400000000023283 440782.7"
      "619855026714504))";
    AreaYear before = year(2020), after = year(2024);
    before.area_wkb = before.rural_wkb = after.area_wkb = after.rural_wkb =
      test::wkb("POLYGON((164780 440770,165020 440770,165020 440810,164780 440810,164780 440770))");
    before.owned_wkb[hedge] = test::wkb(remnant);
    before.owned_wkb[wood] = test::wkb(wood_before);
    after.owned_wkb[wood] = test::wkb(wood_after);
    const AreaChange change = compare(before, after);
    const TypeChange& c = change.types[hedge];
    EXPECT_NEAR(c.lost_ha, 3.275272246 / 1e4, 1e-10);
    EXPECT_EQ(c.realigned_ha, 0.0);
    expect_balanced(change);
}
