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
