// geometry::clip_to_box: the land of a quadtree tile. Figures worked out by hand.
#include "landel/geometry/ops.h"

#include <gtest/gtest.h>

using namespace landel;
using geometry::GeomPtr;

namespace {

double clipped_area(const std::string& wkt, const Box& box)
{
    const geometry::GeosContext ctx;
    const GeomPtr g = geometry::from_wkt(ctx, wkt);
    const GeomPtr piece = geometry::clip_to_box(ctx, g.get(), box);
    EXPECT_EQ(GEOSGeomTypeId_r(ctx.handle(), piece.get()), GEOS_MULTIPOLYGON);
    EXPECT_TRUE(geometry::is_valid(ctx, piece.get()));
    return geometry::area(ctx, piece.get());
}

} // namespace

TEST(ClipToBox, HalfOfASquareWithAHole)
{
    // 10 x 10 with a 2 x 2 hole at 4..6; the right half keeps 50 minus the hole's 1 x 2 half.
    const std::string land = "POLYGON((0 0,10 0,10 10,0 10,0 0),(4 4,6 4,6 6,4 6,4 4))";
    EXPECT_DOUBLE_EQ(clipped_area(land, { 5, 0, 10, 10 }), 48.0);
    EXPECT_DOUBLE_EQ(clipped_area(land, { 0, 0, 10, 10 }), 96.0);
}

TEST(ClipToBox, OnlyPolygonsRemain)
{
    // The box meets the square only along its edge (a line, dropped) and holds a corner of
    // the triangle under y = 5 - x: 1 x 1 for x in 3..4 and a trapezium of 0.5 x 0.75 beyond.
    const std::string land = "MULTIPOLYGON(((0 0,2 0,2 2,0 2,0 0)),((3 0,5 0,3 2,3 0)))";
    EXPECT_DOUBLE_EQ(clipped_area(land, { 2, 0, 4.5, 1 }), 1.375);
}

TEST(ClipToBox, OutsideIsEmpty)
{
    EXPECT_DOUBLE_EQ(clipped_area("POLYGON((0 0,1 0,1 1,0 1,0 0))", { 5, 5, 6, 6 }), 0.0);
}

TEST(ClipToBox, LandWhereGeosRectangleClipFails)
{
    // A strip from a siting run (the sample polder): two vertices 6e-11 m apart and a sliver
    // of a hole. GEOS 3.11's GEOSClipByRect throws on it ("Invalid number of points in
    // LinearRing found 3"); clip_to_box falls back to the overlay. The area: shapely's
    // intersection with the box (GEOS OverlayNG), 129.5560338630184 m2.
    const std::string strip = "POLYGON ((141432.7139378315478098 430385.0046684687258676,"
                              "141404.3717643308627885 430385.1867669334751554,"
                              "141404.3974638004146982 430389.1866843748139217,"
                              "141434.7394793353741989 430388.9917369250324555,"
                              "141434.7394793354324065 430388.9917369249742478,"
                              "141513.9737795674591325 430388.4826565459952690,"
                              "141513.9480800979072228 430384.4827391046565026,"
                              "141435.2300000000104774 430384.9885027692653239,"
                              "141435.2300000000104774 430357.5955280088237487,"
                              "141430.2300000000104774 430357.5955280088237487,"
                              "141430.2300000000104774 430385.0206277692923322,"
                              "141432.7139378315478098 430385.0046684687258676),"
                              "(141435.2300000000104774 430385.5352421214338392,"
                              "141436.6959025958785787 430386.9917565495125018,"
                              "141435.2300000000104774 430386.9917565495125018,"
                              "141435.2300000000104774 430385.5352421214338392))";
    const Box box{ 141431.23000000001, 430356.01603927382, 141438.23000000001, 430387.99175654951 };
    EXPECT_NEAR(clipped_area(strip, box), 129.5560338630184, 1e-9);
}
