#include "landel/analysis/delineation/catchment_areas.h"
#include "landel/core/error.h"
#include "wkt.h"

#include <gtest/gtest.h>

#include <map>

using namespace landel;
using analysis::CatchmentAreasRequest;
using analysis::CatchmentAreasResult;

namespace {

std::string rect(double x0, double y0, double x1, double y1)
{
    const auto s = [](double v) { return std::to_string(v); };
    return "POLYGON((" + s(x0) + " " + s(y0) + "," + s(x1) + " " + s(y0) + "," + s(x1) + " " +
           s(y1) + "," + s(x0) + " " + s(y1) + "," + s(x0) + " " + s(y0) + "))";
}

/// Area in m² per id.
std::map<std::string, double> areas_by_id(const CatchmentAreasResult& r)
{
    std::map<std::string, double> out;
    for (const auto& a : r.areas) {
        EXPECT_EQ(a.cls, "catchment");
        out[a.id] = test::wkb_area(a.wkb);
    }
    return out;
}

/// Four 100 m basins in a row; 1 and 3 drain into 2, 4 into 3, 2 off the grid.
CatchmentAreasRequest strip()
{
    CatchmentAreasRequest r;
    for (int k = 0; k < 4; ++k)
        r.polygons.push_back({ k + 1, test::wkb(rect(100.0 * k, 0, 100.0 * (k + 1), 100)) });
    r.downstream = { 0, 2, 0, 2, 3 };
    return r;
}

} // namespace

TEST(CatchmentAreas, ClippingLeavesBasinsWholeInsideAndDropsThoseOutside)
{
    CatchmentAreasRequest r = strip();
    r.study_area_wkb = { test::wkb(rect(50, 0, 290, 100)) };
    const CatchmentAreasResult res = analysis::catchment_areas(r);
    EXPECT_EQ(res.clipped_away, 1u); // basin 4
    EXPECT_EQ(res.merged, 0u);       // no minimum
    const auto a = areas_by_id(res);
    ASSERT_EQ(a.size(), 3u);
    EXPECT_DOUBLE_EQ(a.at("C1"), 5000.0);
    EXPECT_DOUBLE_EQ(a.at("C2"), 10000.0);
    EXPECT_DOUBLE_EQ(a.at("C3"), 9000.0);
}

TEST(CatchmentAreas, SliverLeftByClippingMergesDownstream)
{
    CatchmentAreasRequest r = strip();
    r.study_area_wkb = { test::wkb(rect(90, 0, 290, 100)) };
    r.min_area_m2 = 2000.0; // basin 1 keeps 1000 m² inside
    const CatchmentAreasResult res = analysis::catchment_areas(r);
    EXPECT_EQ(res.merged, 1u);
    const auto a = areas_by_id(res);
    ASSERT_EQ(a.size(), 2u);
    EXPECT_DOUBLE_EQ(a.at("C2"), 11000.0); // 1 drained into 2
    EXPECT_DOUBLE_EQ(a.at("C3"), 9000.0);
    double total = 0.0;
    for (const auto& [id, m2] : a)
        total += m2;
    EXPECT_NEAR(total, 20000.0, 20000.0 * 1e-9); // the study area, exactly
}

TEST(CatchmentAreas, DrainageIsFollowedPastBasinsOutsideTheStudyArea)
{
    CatchmentAreasRequest r = strip();
    // Basin 1 drains into 4, which lies outside; 4 drains into 2.
    r.downstream = { 0, 4, 0, 2, 2 };
    r.polygons[3].wkb = test::wkb(rect(0, 100, 100, 200)); // 4 sits north of 1
    r.study_area_wkb = { test::wkb(rect(95, 0, 300, 100)) };
    r.min_area_m2 = 1000.0; // basin 1 keeps 500 m²
    const CatchmentAreasResult res = analysis::catchment_areas(r);
    EXPECT_EQ(res.clipped_away, 1u);
    const auto a = areas_by_id(res);
    ASSERT_EQ(a.size(), 2u);
    EXPECT_DOUBLE_EQ(a.at("C2"), 10500.0);
}

TEST(CatchmentAreas, SmallBasinDrainingNowhereJoinsTheLongestBorder)
{
    CatchmentAreasRequest r;
    r.polygons = { { 1, test::wkb(rect(0, 0, 100, 100)) },
                   { 2, test::wkb(rect(100, 0, 200, 100)) },
                   { 3, test::wkb(rect(70, 100, 200, 105)) } }; // borders 1 over 30 m, 2 over 100 m
    r.downstream = { 0, 0, 0, 0 };
    r.min_area_m2 = 1000.0;
    const auto a = areas_by_id(analysis::catchment_areas(r));
    ASSERT_EQ(a.size(), 2u);
    EXPECT_DOUBLE_EQ(a.at("C1"), 10000.0);
    EXPECT_DOUBLE_EQ(a.at("C2"), 10650.0);
}

TEST(CatchmentAreas, EqualBordersGoToTheLowerLabel)
{
    CatchmentAreasRequest r;
    r.polygons = { { 1, test::wkb(rect(0, 0, 100, 100)) },
                   { 2, test::wkb(rect(100, 0, 200, 100)) },
                   { 3, test::wkb(rect(50, 100, 150, 105)) } }; // 50 m with each
    r.downstream = { 0, 0, 0, 0 };
    r.min_area_m2 = 1000.0;
    const auto a = areas_by_id(analysis::catchment_areas(r));
    ASSERT_EQ(a.size(), 2u);
    EXPECT_DOUBLE_EQ(a.at("C1"), 10500.0);
}

TEST(CatchmentAreas, SmallBasinWithoutNeighbourStays)
{
    CatchmentAreasRequest r;
    r.polygons = { { 1, test::wkb(rect(0, 0, 100, 100)) },
                   { 2, test::wkb(rect(500, 0, 510, 10)) } };
    r.downstream = { 0, 0, 0 };
    r.min_area_m2 = 1000.0;
    const CatchmentAreasResult res = analysis::catchment_areas(r);
    EXPECT_EQ(res.merged, 0u);
    EXPECT_EQ(areas_by_id(res).size(), 2u);
}

TEST(CatchmentAreas, IdsArePaddedToTheLargestLabel)
{
    CatchmentAreasRequest r;
    r.downstream.assign(12, 0);
    for (int k = 1; k < 12; ++k)
        r.polygons.push_back({ k, test::wkb(rect(10.0 * k, 0, 10.0 * (k + 1), 10)) });
    const auto a = areas_by_id(analysis::catchment_areas(r));
    EXPECT_TRUE(a.count("C01"));
    EXPECT_TRUE(a.count("C11"));
}

TEST(CatchmentAreas, LabelOutsideTheTopologyIsRejected)
{
    CatchmentAreasRequest r;
    r.polygons = { { 3, test::wkb(rect(0, 0, 1, 1)) } };
    r.downstream = { 0, 0 };
    EXPECT_THROW(analysis::catchment_areas(r), InvalidArgument);
}

TEST(CatchmentAreas, NodataHoleJoinsTheLongestBorderSoTheStudyAreaIsCovered)
{
    // Basins 1 (west) and 2 (east) around a 20 x 20 m hole that lies 15 m in 1, 5 m in 2.
    CatchmentAreasRequest r;
    r.polygons = {
        { 1, test::wkb("POLYGON((0 0,100 0,100 40,85 40,85 60,100 60,100 100,0 100,0 0))") },
        { 2, test::wkb("POLYGON((100 0,200 0,200 100,100 100,100 60,105 60,105 40,100 40,100 0))") }
    };
    r.downstream = { 0, 0, 0 };
    r.study_area_wkb = { test::wkb(rect(0, 0, 200, 100)) };
    const CatchmentAreasResult res = analysis::catchment_areas(r);
    EXPECT_DOUBLE_EQ(res.gaps_m2, 400.0);
    EXPECT_DOUBLE_EQ(res.uncovered_m2, 0.0);
    const auto a = areas_by_id(res);
    EXPECT_DOUBLE_EQ(a.at("C1"), 10100.0); // 9700 + the hole (border 15 + 20 + 15 m vs 20 m)
    EXPECT_DOUBLE_EQ(a.at("C2"), 9900.0);
}

TEST(CatchmentAreas, StudyLandBesideNoBasinIsReportedUncovered)
{
    CatchmentAreasRequest r;
    r.polygons = { { 1, test::wkb(rect(0, 0, 100, 100)) } };
    r.downstream = { 0, 0 };
    r.study_area_wkb = { test::wkb(rect(0, 0, 100, 100)), test::wkb(rect(300, 0, 310, 10)) };
    const CatchmentAreasResult res = analysis::catchment_areas(r);
    EXPECT_DOUBLE_EQ(res.uncovered_m2, 100.0);
    EXPECT_DOUBLE_EQ(res.gaps_m2, 0.0);
    EXPECT_DOUBLE_EQ(areas_by_id(res).at("C1"), 10000.0);
}

TEST(CatchmentAreas, CellJoinedAtACornerGoesToTheCatchmentAroundIt)
{
    // Basin 1 is a 100 m square plus one 10 m cell touching it only at (100,100); the cell
    // sits in a notch of basin 2.
    CatchmentAreasRequest r;
    r.polygons = { { 1,
                     test::wkb("MULTIPOLYGON(((0 0,100 0,100 100,0 100,0 0)),((100 100,110 100,110 "
                               "110,100 110,100 100)))") },
                   { 2,
                     test::wkb("POLYGON((100 0,200 0,200 200,0 200,0 100,100 100,100 110,110 "
                               "110,110 100,100 100,100 0))") } };
    r.downstream = { 0, 0, 0 };
    r.min_area_m2 = 1000.0;
    const CatchmentAreasResult res = analysis::catchment_areas(r);
    EXPECT_EQ(res.fragments_moved, 1u);
    EXPECT_EQ(res.merged, 0u);
    const auto a = areas_by_id(res);
    EXPECT_DOUBLE_EQ(a.at("C1"), 10000.0);
    EXPECT_DOUBLE_EQ(a.at("C2"), 30000.0);
    for (const auto& area : res.areas) {
        geometry::GeosContext ctx;
        const auto g = geometry::from_wkb(ctx, area.wkb);
        EXPECT_EQ(GEOSGetNumGeometries_r(ctx.handle(), g.get()), 1) << area.id; // one polygon each
    }
}
