#include "landel/analysis/delineation/overlay_delineation.h"
#include "landel/core/error.h"
#include "landel/geometry/ops.h"
#include "wkt.h"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

using namespace landel;
using analysis::ClassLayer;
using analysis::DelineatedArea;
using analysis::OverlayRequest;
using analysis::OverlayResult;

namespace {

/// An axis-aligned rectangle as WKT.
std::string rect(double x0, double y0, double x1, double y1)
{
    const auto s = [](double v) { return std::to_string(v); };
    return "POLYGON((" + s(x0) + " " + s(y0) + "," + s(x1) + " " + s(y0) + "," + s(x1) + " " +
           s(y1) + "," + s(x0) + " " + s(y1) + "," + s(x0) + " " + s(y0) + "))";
}

/// A layer from (value, WKT) pairs; fids count from 1.
ClassLayer layer(const std::string& field,
                 const std::vector<std::pair<std::string, std::string>>& features)
{
    ClassLayer l;
    l.label = "layer " + field;
    l.field = field;
    std::int64_t fid = 0;
    for (const auto& [value, wkt] : features)
        l.features.push_back({ test::wkb(wkt), value, ++fid });
    return l;
}

Box envelope_of(const DelineatedArea& a)
{
    geometry::GeosContext ctx;
    return geometry::envelope(ctx, geometry::from_wkb(ctx, a.wkb).get());
}

void expect_box(const DelineatedArea& a, double x0, double y0, double x1, double y1)
{
    const Box b = envelope_of(a);
    EXPECT_DOUBLE_EQ(b.xmin, x0) << a.id;
    EXPECT_DOUBLE_EQ(b.ymin, y0) << a.id;
    EXPECT_DOUBLE_EQ(b.xmax, x1) << a.id;
    EXPECT_DOUBLE_EQ(b.ymax, y1) << a.id;
}

std::vector<std::string> ids(const OverlayResult& r)
{
    std::vector<std::string> out;
    for (const DelineatedArea& a : r.areas)
        out.push_back(a.id);
    return out;
}

const DelineatedArea& by_id(const OverlayResult& r, const std::string& id)
{
    for (const DelineatedArea& a : r.areas)
        if (a.id == id)
            return a;
    throw std::runtime_error("no area " + id);
}

/// Asserts the areas cover the study area: check_coverage finds nothing at a tight tolerance,
/// every area is valid, and the areas add up to the study area within 1e-9 relative.
void expect_exact_coverage(const OverlayResult& r)
{
    geometry::GeosContext ctx;
    std::vector<geometry::GeomPtr> geoms;
    std::vector<const GEOSGeometry*> refs;
    double total_m2 = 0.0;
    for (const DelineatedArea& a : r.areas) {
        geoms.push_back(geometry::from_wkb(ctx, a.wkb));
        refs.push_back(geoms.back().get());
        EXPECT_TRUE(geometry::is_valid(ctx, refs.back())) << a.id;
        total_m2 += geometry::area(ctx, refs.back());
        EXPECT_NEAR(a.area_ha * 1e4, geometry::area(ctx, refs.back()), 1e-9 * a.area_ha * 1e4);
    }
    const geometry::GeomPtr study = geometry::from_wkb(ctx, r.study_area_wkb);
    const double study_m2 = geometry::area(ctx, study.get());
    EXPECT_NEAR(total_m2, study_m2, 1e-9 * study_m2);
    EXPECT_EQ(analysis::check_coverage(ctx, refs, study.get(), 1e-9 * study_m2),
              std::vector<std::string>{});
}

bool same_result(const OverlayResult& a, const OverlayResult& b)
{
    if (a.areas.size() != b.areas.size() || a.merged_parts != b.merged_parts ||
        a.study_area_wkb != b.study_area_wkb)
        return false;
    for (std::size_t i = 0; i < a.areas.size(); ++i) {
        const DelineatedArea& x = a.areas[i];
        const DelineatedArea& y = b.areas[i];
        if (x.id != y.id || x.name != y.name || x.cls != y.cls || x.wkb != y.wkb ||
            x.area_ha != y.area_ha)
            return false;
    }
    return true;
}

/// Two layers of irregular polygons that overlap each other, with slivers, a study area with
/// a hole, and parts under the limit: the input of the determinism tests.
OverlayRequest irregular_request()
{
    OverlayRequest r;
    std::vector<std::pair<std::string, std::string>> soil, fgr;
    const char* soil_values[] = { "Klei", "Veen", "Zand" };
    for (int i = 0; i < 6; ++i)
        for (int j = 0; j < 4; ++j) {
            // A slanted grid: neighbouring cells share edges that no axis aligns.
            const double x = 100.0 * i + 7.0 * j, y = 100.0 * j + 3.0 * i;
            soil.push_back({ soil_values[(i * 7 + j * 3) % 3],
                             "POLYGON((" + std::to_string(x) + " " + std::to_string(y) + "," +
                               std::to_string(x + 100) + " " + std::to_string(y + 3) + "," +
                               std::to_string(x + 107) + " " + std::to_string(y + 103) + "," +
                               std::to_string(x + 7) + " " + std::to_string(y + 100) + "," +
                               std::to_string(x) + " " + std::to_string(y) + "))" });
        }
    fgr.push_back({ "Rivierengebied", "POLYGON((-20 -20,330 10,310 250,-10 300,-20 -20))" });
    fgr.push_back({ "Zeekleigebied", "POLYGON((300 0.5,650 -10,640 420,310 240,300 0.5))" });
    fgr.push_back({ "Duinen", "POLYGON((150 150,250 160,240 260,160 240,150 150))" });
    fgr.push_back({ "Duinen", "POLYGON((400 300,402.5 300,402.5 330,400 330,400 300))" });
    r.layers.push_back(layer("soil", soil));
    r.layers.push_back(layer("fgr", fgr));
    r.study_area_wkb.push_back(
      test::wkb("POLYGON((10 5,600 20,590 410,20 380,10 5),(300 300,330 300,330 330,300 300))"));
    r.min_area_ha = 0.05;
    return r;
}

} // namespace

TEST(OverlayDelineation, TwoOverlappingLayersGiveClassesAndParts)
{
    // soil: Klei 0-300, Veen 300-400; fgr: Zand 100-200, Duin 250-350 (all 100 m high). The
    // study area is the union of the layers.
    OverlayRequest r;
    r.layers.push_back(
      layer("soil", { { "Klei", rect(0, 0, 300, 100) }, { "Veen", rect(300, 0, 400, 100) } }));
    r.layers.push_back(
      layer("fgr", { { "Zand", rect(100, 0, 200, 100) }, { "Duin", rect(250, 0, 350, 100) } }));
    const OverlayResult res = analysis::delineate_overlay(r);

    EXPECT_EQ(ids(res),
              (std::vector<std::string>{ "klei-duin-1",
                                         "klei-unclassified-1",
                                         "klei-unclassified-2",
                                         "klei-zand-1",
                                         "veen-duin-1",
                                         "veen-unclassified-1" }));
    const DelineatedArea& first = by_id(res, "klei-unclassified-1");
    EXPECT_EQ(first.cls, "Klei / unclassified");
    EXPECT_EQ(first.name, "Klei / unclassified 1");
    EXPECT_DOUBLE_EQ(first.area_ha, 1.0);
    expect_box(first, 0, 0, 100, 100);
    // The same class cut in two by Zand: two parts, numbered by their lowest vertex.
    const DelineatedArea& second = by_id(res, "klei-unclassified-2");
    EXPECT_EQ(second.name, "Klei / unclassified 2");
    EXPECT_DOUBLE_EQ(second.area_ha, 0.5);
    expect_box(second, 200, 0, 250, 100);
    EXPECT_EQ(by_id(res, "klei-zand-1").cls, "Klei / Zand");
    expect_box(by_id(res, "klei-zand-1"), 100, 0, 200, 100);
    EXPECT_EQ(by_id(res, "klei-duin-1").cls, "Klei / Duin");
    expect_box(by_id(res, "klei-duin-1"), 250, 0, 300, 100);
    EXPECT_EQ(by_id(res, "veen-duin-1").cls, "Veen / Duin");
    expect_box(by_id(res, "veen-duin-1"), 300, 0, 350, 100);
    EXPECT_EQ(by_id(res, "veen-unclassified-1").cls, "Veen / unclassified");
    expect_box(by_id(res, "veen-unclassified-1"), 350, 0, 400, 100);
    EXPECT_EQ(res.merged_parts, 0u);
    EXPECT_EQ(res.repaired, 0u);
    expect_exact_coverage(res);
}

TEST(OverlayDelineation, UncoveredLandIsUnclassified)
{
    // One layer with a hole between its values; the study area spans it.
    OverlayRequest r;
    r.layers.push_back(
      layer("soil", { { "Klei", rect(0, 0, 100, 100) }, { "Zand", rect(200, 0, 300, 100) } }));
    r.study_area_wkb.push_back(test::wkb(rect(0, 0, 300, 100)));
    OverlayResult res = analysis::delineate_overlay(r);
    EXPECT_EQ(ids(res), (std::vector<std::string>{ "klei-1", "unclassified-1", "zand-1" }));
    EXPECT_EQ(by_id(res, "unclassified-1").cls, "unclassified");
    expect_box(by_id(res, "unclassified-1"), 100, 0, 200, 100);
    ASSERT_EQ(res.warnings.size(), 1u);
    EXPECT_NE(res.warnings[0].find("covers 66.67% of the study area"), std::string::npos)
      << res.warnings[0];
    expect_exact_coverage(res);

    // With a second layer, land no layer covers is still plain "unclassified", while land only
    // the second layer covers says which layer is missing.
    r.layers.push_back(layer("fgr", { { "Duin", rect(0, 0, 50, 100) } }));
    res = analysis::delineate_overlay(r);
    EXPECT_EQ(ids(res),
              (std::vector<std::string>{
                "klei-duin-1", "klei-unclassified-1", "unclassified-1", "zand-unclassified-1" }));
    expect_box(by_id(res, "unclassified-1"), 100, 0, 200, 100);
    expect_box(by_id(res, "klei-unclassified-1"), 50, 0, 100, 100);
    expect_exact_coverage(res);
}

TEST(OverlayDelineation, StudyAreaClipsTheLayers)
{
    OverlayRequest r;
    r.layers.push_back(layer(
      "soil", { { "Klei", rect(0, 0, 200, 100) }, { "Veen", rect(500, 0, 600, 100) } })); // outside
    r.study_area_wkb.push_back(test::wkb(rect(50, 0, 100, 100)));
    r.study_area_wkb.push_back(test::wkb(rect(100, 0, 150, 100))); // united with the first
    const OverlayResult res = analysis::delineate_overlay(r);
    ASSERT_EQ(ids(res), std::vector<std::string>{ "klei-1" });
    EXPECT_DOUBLE_EQ(res.areas[0].area_ha, 1.0);
    expect_box(res.areas[0], 50, 0, 150, 100);
    EXPECT_TRUE(res.warnings.empty());
    expect_exact_coverage(res);
}

TEST(OverlayDelineation, OverlappingValuesInOneLayerGoToTheFirstValue)
{
    // "Veen" and "Klei" overlap on 50-100: "Klei" comes first in byte order and owns it,
    // whatever the feature order.
    OverlayRequest r;
    r.layers.push_back(
      layer("soil", { { "Veen", rect(0, 0, 100, 100) }, { "Klei", rect(50, 0, 150, 100) } }));
    OverlayResult res = analysis::delineate_overlay(r);
    EXPECT_EQ(ids(res), (std::vector<std::string>{ "klei-1", "veen-1" }));
    expect_box(by_id(res, "klei-1"), 50, 0, 150, 100);
    expect_box(by_id(res, "veen-1"), 0, 0, 50, 100);
    ASSERT_EQ(res.warnings.size(), 1u);
    EXPECT_NE(res.warnings[0].find("overlap on 0.5 ha"), std::string::npos) << res.warnings[0];
    expect_exact_coverage(res);

    std::reverse(r.layers[0].features.begin(), r.layers[0].features.end());
    EXPECT_TRUE(same_result(res, analysis::delineate_overlay(r)));
}

TEST(OverlayDelineation, SliverMergesIntoTheNeighbourWithTheLongestBorder)
{
    // S (2 m x 60 m = 120 m2) shares 60 m with A and 60 + 2 m with B, which wraps over it.
    OverlayRequest r;
    r.layers.push_back(
      layer("soil",
            { { "A", rect(0, 0, 100, 100) },
              { "S", rect(100, 0, 102, 60) },
              { "B", "POLYGON((102 0,200 0,200 100,100 100,100 60,102 60,102 0))" } }));
    r.min_area_ha = 0.1;
    const OverlayResult res = analysis::delineate_overlay(r);
    EXPECT_EQ(ids(res), (std::vector<std::string>{ "a-1", "b-1" }));
    EXPECT_EQ(res.merged_parts, 1u);
    EXPECT_DOUBLE_EQ(by_id(res, "a-1").area_ha, 1.0);
    EXPECT_NEAR(by_id(res, "b-1").area_ha, 1.0, 1e-12);
    expect_box(by_id(res, "b-1"), 100, 0, 200, 100);
    expect_exact_coverage(res);
}

TEST(OverlayDelineation, EqualBordersGoToTheNeighbourWithTheLowestVertex)
{
    // S borders A and B over 100 m each; A's lowest vertex (0,0) comes before B's (102,0).
    OverlayRequest r;
    r.layers.push_back(layer("soil",
                             { { "B", rect(102, 0, 202, 100) },
                               { "S", rect(100, 0, 102, 100) },
                               { "A", rect(0, 0, 100, 100) } }));
    r.min_area_ha = 0.1;
    OverlayResult res = analysis::delineate_overlay(r);
    EXPECT_EQ(ids(res), (std::vector<std::string>{ "a-1", "b-1" }));
    expect_box(by_id(res, "a-1"), 0, 0, 102, 100);
    EXPECT_DOUBLE_EQ(by_id(res, "a-1").area_ha, 1.02);
    EXPECT_DOUBLE_EQ(by_id(res, "b-1").area_ha, 1.0);
    expect_exact_coverage(res);

    // Stacked: equal x, so the smaller y decides (A at y = 0 below B at y = 102).
    r.layers[0] = layer("soil",
                        { { "B", rect(0, 102, 100, 202) },
                          { "S", rect(0, 100, 100, 102) },
                          { "A", rect(0, 0, 100, 100) } });
    res = analysis::delineate_overlay(r);
    expect_box(by_id(res, "a-1"), 0, 0, 100, 102);
    expect_box(by_id(res, "b-1"), 0, 102, 100, 202);
}

TEST(OverlayDelineation, EqualAreasAreTakenLowestVertexFirst)
{
    // P and Q (200 m2 each) share their longest border (20 m) with each other. P's lowest vertex
    // (0,0) comes first, so P merges into Q; the 400 m2 result is over the limit and keeps Q's
    // class. Taking Q first would have made it class P.
    OverlayRequest r;
    r.layers.push_back(layer("soil",
                             { { "Q", rect(10, 0, 20, 20) },
                               { "P", rect(0, 0, 10, 20) },
                               { "Top", rect(0, 20, 20, 120) } }));
    r.min_area_ha = 0.03;
    const OverlayResult res = analysis::delineate_overlay(r);
    EXPECT_EQ(ids(res), (std::vector<std::string>{ "q-1", "top-1" }));
    EXPECT_EQ(res.merged_parts, 1u);
    EXPECT_DOUBLE_EQ(by_id(res, "q-1").area_ha, 0.04);
    expect_box(by_id(res, "q-1"), 0, 0, 20, 20);
    expect_exact_coverage(res);
}

TEST(OverlayDelineation, MergedPartsOfOneClassThatNowTouchBecomeOnePart)
{
    // S separates two parts of class A; once S merges into the left one, the right one shares
    // a border with it, so they are one connected component of A.
    OverlayRequest r;
    r.layers.push_back(layer("soil",
                             { { "A", rect(0, 0, 100, 100) },
                               { "S", rect(100, 0, 102, 100) },
                               { "A", rect(102, 0, 202, 100) } }));
    r.min_area_ha = 0.1;
    const OverlayResult res = analysis::delineate_overlay(r);
    ASSERT_EQ(ids(res), std::vector<std::string>{ "a-1" });
    EXPECT_EQ(res.merged_parts, 1u);
    EXPECT_DOUBLE_EQ(res.areas[0].area_ha, 2.02);
    geometry::GeosContext ctx;
    EXPECT_EQ(GEOSGeomTypeId_r(ctx.handle(), geometry::from_wkb(ctx, res.areas[0].wkb).get()),
              GEOS_POLYGON);
    expect_exact_coverage(res);
}

TEST(OverlayDelineation, PartWithoutNeighbourStays)
{
    // An island, and a square touching A in one corner only: neither has a border to merge
    // over, so both stay although they are under the limit.
    OverlayRequest r;
    r.layers.push_back(layer("soil",
                             { { "A", rect(0, 0, 100, 100) },
                               { "Corner", rect(100, 100, 102, 102) },
                               { "Island", rect(200, 0, 202, 2) } }));
    r.min_area_ha = 0.1;
    const OverlayResult res = analysis::delineate_overlay(r);
    EXPECT_EQ(ids(res), (std::vector<std::string>{ "a-1", "corner-1", "island-1" }));
    EXPECT_EQ(res.merged_parts, 0u);
    EXPECT_DOUBLE_EQ(by_id(res, "island-1").area_ha, 0.0004);
    ASSERT_EQ(res.warnings.size(), 1u);
    EXPECT_NE(res.warnings[0].find("2 parts under min_area_ha have no neighbour"),
              std::string::npos)
      << res.warnings[0];
    expect_exact_coverage(res);
}

TEST(OverlayDelineation, PartsMeetingInAPointAreSeparate)
{
    // A checkerboard of two classes: the A squares meet in the centre only.
    OverlayRequest r;
    r.layers.push_back(layer("soil",
                             { { "A", rect(0, 0, 10, 10) },
                               { "A", rect(10, 10, 20, 20) },
                               { "B", rect(10, 0, 20, 10) },
                               { "B", rect(0, 10, 10, 20) } }));
    const OverlayResult res = analysis::delineate_overlay(r);
    EXPECT_EQ(ids(res), (std::vector<std::string>{ "a-1", "a-2", "b-1", "b-2" }));
    expect_box(by_id(res, "a-1"), 0, 0, 10, 10);
    expect_box(by_id(res, "a-2"), 10, 10, 20, 20);
    expect_box(by_id(res, "b-1"), 0, 10, 10, 20); // x = 0 comes before x = 10
    expect_exact_coverage(res);
}

TEST(OverlayDelineation, IrregularLayersCoverTheStudyAreaExactly)
{
    const OverlayResult res = analysis::delineate_overlay(irregular_request());
    EXPECT_GT(res.areas.size(), 10u);
    EXPECT_GT(res.merged_parts, 0u);
    expect_exact_coverage(res);
    // Nothing under the limit is left: every small part had a neighbour.
    for (const DelineatedArea& a : res.areas)
        EXPECT_GE(a.area_ha, 0.05) << a.id;
    // Ids are unique and the output is sorted by id (numbers as numbers).
    for (std::size_t i = 1; i < res.areas.size(); ++i)
        EXPECT_NE(res.areas[i - 1].id, res.areas[i].id);
}

TEST(OverlayDelineation, IdsDoNotDependOnFeatureOrder)
{
    OverlayRequest with_study = irregular_request();
    // The study area in two pieces, which are united: their order must not matter either.
    with_study.study_area_wkb.push_back(test::wkb(rect(590, 100, 700, 200)));
    OverlayRequest without_study = irregular_request();
    without_study.study_area_wkb.clear();
    std::mt19937 random(42);
    for (const OverlayRequest* r : { &with_study, &without_study }) {
        const OverlayResult reference = analysis::delineate_overlay(*r);
        for (int round = 0; round < 3; ++round) {
            OverlayRequest shuffled = *r;
            for (ClassLayer& l : shuffled.layers) {
                std::shuffle(l.features.begin(), l.features.end(), random);
                for (std::size_t i = 0; i < l.features.size(); ++i)
                    l.features[i].fid = std::int64_t(i); // fids are not content
            }
            std::shuffle(shuffled.study_area_wkb.begin(), shuffled.study_area_wkb.end(), random);
            EXPECT_TRUE(same_result(reference, analysis::delineate_overlay(shuffled)))
              << "round " << round << (r->study_area_wkb.empty() ? " without" : " with")
              << " a study area";
        }
    }
}

TEST(OverlayDelineation, SameResultWithOneAndTwoThreads)
{
    const OverlayRequest r = irregular_request();
    OverlayResult one, two;
    tbb::task_arena(1).execute([&] { one = analysis::delineate_overlay(r); });
    tbb::task_arena(2).execute([&] { two = analysis::delineate_overlay(r); });
    EXPECT_TRUE(same_result(one, two));
}

TEST(OverlayDelineation, IdsAndNames)
{
    // "A b" and "a-b" have the same slug: numbered together (class order) so ids stay unique,
    // while names count per class.
    OverlayRequest r;
    r.layers.push_back(layer("soil",
                             { { "a-b", rect(100, 0, 200, 100) },
                               { "A b", rect(0, 0, 100, 100) },
                               { "Ölgrund", rect(200, 0, 300, 100) } }));
    r.name_prefix = "Overlay ";
    const OverlayResult res = analysis::delineate_overlay(r);
    ASSERT_EQ(ids(res), (std::vector<std::string>{ "a-b-1", "a-b-2", "Ölgrund-1" }));
    EXPECT_EQ(res.areas[0].cls, "A b");
    EXPECT_EQ(res.areas[0].name, "Overlay A b 1");
    EXPECT_EQ(res.areas[1].cls, "a-b");
    EXPECT_EQ(res.areas[1].name, "Overlay a-b 1");
}

TEST(OverlayDelineation, InvalidFeaturesAreRepairedAndCounted)
{
    // A bow-tie becomes two triangles (make-valid, structure method).
    OverlayRequest r;
    r.layers.push_back(layer(
      "soil", { { "A", "POLYGON((0 0,10 10,10 0,0 10,0 0))" }, { "B", rect(10, 0, 20, 10) } }));
    const OverlayResult res = analysis::delineate_overlay(r);
    EXPECT_EQ(res.repaired, 1u);
    EXPECT_EQ(ids(res), (std::vector<std::string>{ "a-1", "a-2", "b-1" }));
    expect_exact_coverage(res);
}

TEST(OverlayDelineation, RejectsBrokenRequests)
{
    OverlayRequest empty;
    EXPECT_THROW(analysis::delineate_overlay(empty), InvalidArgument);

    OverlayRequest lines;
    lines.layers.push_back(layer("soil", { { "A", "LINESTRING(0 0,10 10)" } }));
    try {
        analysis::delineate_overlay(lines);
        FAIL() << "lines accepted";
    } catch (const InvalidArgument& e) {
        EXPECT_NE(
          std::string(e.what()).find("layer soil: class layers must be polygons (feature 1"),
          std::string::npos)
          << e.what();
    }

    OverlayRequest no_value;
    no_value.layers.push_back(layer("soil", { { "", rect(0, 0, 1, 1) } }));
    EXPECT_THROW(analysis::delineate_overlay(no_value), InvalidArgument);

    OverlayRequest negative;
    negative.layers.push_back(layer("soil", { { "A", rect(0, 0, 1, 1) } }));
    negative.min_area_ha = -1;
    EXPECT_THROW(analysis::delineate_overlay(negative), InvalidArgument);

    OverlayRequest outside;
    outside.layers.push_back(layer("soil", { { "A", rect(0, 0, 1, 1) } }));
    outside.study_area_wkb.push_back(test::wkb("POLYGON EMPTY"));
    EXPECT_THROW(analysis::delineate_overlay(outside), InvalidArgument);
}

TEST(OverlayDelineation, ProgressCanCancel)
{
    OverlayRequest r = irregular_request();
    r.progress = [](double fraction, std::string_view) { return fraction < 0.5; };
    EXPECT_THROW(analysis::delineate_overlay(r), Cancelled);
}

TEST(CoverageCheck, AcceptsACoverage)
{
    geometry::GeosContext ctx;
    const auto a = geometry::from_wkt(ctx, rect(0, 0, 10, 10));
    const auto b = geometry::from_wkt(ctx, "POLYGON((10 0,20 0,20 10,10 10,10 5,10 0))");
    const auto whole = geometry::from_wkt(ctx, rect(0, 0, 20, 10));
    EXPECT_TRUE(analysis::check_coverage(ctx, { a.get(), b.get() }, whole.get(), 0.0).empty());
}

TEST(CoverageCheck, FindsAGap)
{
    geometry::GeosContext ctx;
    const auto a = geometry::from_wkt(ctx, rect(0, 0, 10, 10));
    const auto b = geometry::from_wkt(ctx, rect(11, 0, 20, 10));
    const auto whole = geometry::from_wkt(ctx, rect(0, 0, 20, 10));
    const auto problems = analysis::check_coverage(ctx, { a.get(), b.get() }, whole.get(), 1.0);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find("gap of 10 m²"), std::string::npos) << problems[0];
    // Under the tolerance it is accepted.
    EXPECT_TRUE(analysis::check_coverage(ctx, { a.get(), b.get() }, whole.get(), 10.0).empty());
}

TEST(CoverageCheck, FindsAnOverlapAndLandOutsideTheWhole)
{
    geometry::GeosContext ctx;
    const auto a = geometry::from_wkt(ctx, rect(0, 0, 11, 10));
    const auto b = geometry::from_wkt(ctx, rect(10, 0, 20, 10));
    const auto c = geometry::from_wkt(ctx, rect(20, 0, 22, 10));
    const auto whole = geometry::from_wkt(ctx, rect(0, 0, 20, 10));
    const auto problems =
      analysis::check_coverage(ctx, { a.get(), b.get(), c.get() }, whole.get(), 1.0);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0], "parts 0 and 1 overlap on 10 m²");
    EXPECT_NE(problems[1].find("reach 20 m² outside"), std::string::npos) << problems[1];
}

TEST(CoverageCheck, ReportsInvalidParts)
{
    geometry::GeosContext ctx;
    const auto bowtie = geometry::from_wkt(ctx, "POLYGON((0 0,10 10,10 0,0 10,0 0))");
    const auto whole = geometry::from_wkt(ctx, rect(0, 0, 10, 10));
    const auto problems = analysis::check_coverage(ctx, { bowtie.get() }, whole.get(), 1.0);
    ASSERT_GE(problems.size(), 1u);
    EXPECT_NE(problems[0].find("part 0 is not valid"), std::string::npos) << problems[0];
}

TEST(OverlayNames, AreasTakeTheNameOfTheFeatureOverlappingThemMost)
{
    // Layer 1 splits the land into clay (west) and peat (east); layer 2, which names areas,
    // has two polders: "Noordpolder" over the north and most of the east, "Zuidpolder" south.
    OverlayRequest req;
    req.layers.push_back(
      layer("soil", { { "klei", rect(0, 0, 100, 100) }, { "veen", rect(100, 0, 200, 100) } }));
    ClassLayer polders = layer("polder",
                               { { "a", rect(0, 50, 200, 100) },
                                 { "a", rect(100, 20, 200, 50) },
                                 { "a", rect(0, 0, 200, 20) },
                                 { "b", rect(0, 20, 100, 50) } });
    polders.names_areas = true;
    polders.features[0].name = "Noordpolder";
    polders.features[1].name = "Noordpolder";
    polders.features[2].name = "Zuidpolder";
    polders.features[3].name = ""; // unnamed: never chosen
    req.layers.push_back(polders);
    const OverlayResult r = analysis::delineate_overlay(req);
    expect_exact_coverage(r);
    std::map<std::string, std::string> name_of;
    for (const DelineatedArea& a : r.areas)
        name_of[a.cls + " @" + std::to_string(int(envelope_of(a).xmin)) + "," +
                std::to_string(int(envelope_of(a).ymin))] = a.name;
    // klei / a: two parts (north 0-100 x 50-100, south 0-100 x 0-20); veen / a is one part.
    EXPECT_EQ(name_of.at("klei / a @0,50"), "Noordpolder 1");
    EXPECT_EQ(name_of.at("veen / a @100,0"), "Noordpolder 2"); // 80 of its 100 m rows are north
    EXPECT_EQ(name_of.at("klei / a @0,0"), "Zuidpolder");
    EXPECT_EQ(name_of.at("klei / b @0,20"), "klei / b 1"); // no named feature over it
}
