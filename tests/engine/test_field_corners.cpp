#include "landel/analysis/measurement/field_corners.h"
#include "landel/geometry/ops.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace landel;

namespace {

std::vector<analysis::FieldCorner> corners_of(const std::string& wkt, double max_angle_deg)
{
    geometry::GeosContext ctx;
    return analysis::field_corners(ctx, geometry::from_wkt(ctx, wkt).get(), max_angle_deg);
}

/// Distance from (x, y) to the line through (x0, y0) and (x1, y1).
double to_line(double x, double y, double x0, double y0, double x1, double y1)
{
    return std::abs((x1 - x0) * (y0 - y) - (x0 - x) * (y1 - y0)) / std::hypot(x1 - x0, y1 - y0);
}

} // namespace

TEST(FieldCorners, ASquareFieldHasFourRightAngledCornersWhicheverWayItsRingRuns)
{
    for (const char* wkt :
         { "POLYGON((0 0,100 0,100 50,0 50,0 0))", "POLYGON((0 0,0 50,100 50,100 0,0 0))" }) {
        const auto corners = corners_of(wkt, 135.0);
        ASSERT_EQ(corners.size(), 4u) << wkt;
        for (const auto& c : corners) {
            EXPECT_NEAR(c.angle_rad, M_PI / 2, 1e-12);
            // The bisector points into the field: half a metre along it is inside.
            const double x = c.x + 0.5 * c.bisector_x, y = c.y + 0.5 * c.bisector_y;
            EXPECT_TRUE(x > 0 && x < 100 && y > 0 && y < 50) << wkt;
        }
    }
}

TEST(FieldCorners, ReflexStraightAndRepeatedVerticesAreNoCorners)
{
    // An L-shaped field: five convex corners and one reflex vertex (at 50 50); a vertex on a
    // straight edge (50 0) and a repeated vertex are no corners either.
    const auto corners =
      corners_of("POLYGON((0 0,50 0,100 0,100 50,50 50,50 100,50 100,0 100,0 0))", 135.0);
    ASSERT_EQ(corners.size(), 5u);
    for (const auto& c : corners)
        EXPECT_FALSE(c.x == 50 && c.y == 50);
}

TEST(FieldCorners, TheAngleLimitLeavesOutBluntCorners)
{
    // A triangle with angles of 90, 60 and 30 degrees, and a regular octagon (135 degrees).
    const double h = 100.0 * std::tan(M_PI / 3);
    const std::string tri = "POLYGON((0 0,100 0,0 " + std::to_string(h) + ",0 0))";
    EXPECT_EQ(corners_of(tri, 91.0).size(), 3u);
    EXPECT_EQ(corners_of(tri, 59.0).size(), 1u);
    std::string oct = "POLYGON((";
    for (int k = 0; k <= 8; ++k)
        oct += std::to_string(100 * std::cos(k * M_PI / 4)) + " " +
               std::to_string(100 * std::sin(k * M_PI / 4)) + (k < 8 ? "," : "))");
    EXPECT_EQ(corners_of(oct, 134.0).size(), 0u);
    EXPECT_EQ(corners_of(oct, 136.0).size(), 8u);
}

TEST(FieldCorners, AFieldAroundAFarmyardHasCornersAtTheYardToo)
{
    // A yard cut out of the field: its corners are reflex seen from the field, except where the
    // yard's outline turns back into the field (a notch in the yard).
    const auto corners = corners_of("POLYGON((0 0,100 0,100 100,0 100,0 0),"
                                    "(40 40,60 40,60 60,50 60,50 50,40 50,40 40))",
                                    135.0);
    ASSERT_EQ(corners.size(), 5u); // four of the field, the yard's notch at 50 50
    EXPECT_EQ(corners[4].x, 50.0);
    EXPECT_EQ(corners[4].y, 50.0);
    EXPECT_NEAR(corners[4].bisector_x, -std::sqrt(0.5), 1e-12);
    EXPECT_NEAR(corners[4].bisector_y, std::sqrt(0.5), 1e-12);
}

TEST(FieldCorners, TheDiscLiesItsSetbackOffBothEdges)
{
    // A 60 degree corner at the origin between the x axis and the line at 60 degrees.
    const double h = 100.0 * std::tan(M_PI / 3);
    const auto corners = corners_of("POLYGON((0 0,100 0,100 " + std::to_string(h) + ",0 0))", 60.5);
    ASSERT_EQ(corners.size(), 2u); // the 60 degree corner at the origin and the 30 degree one
    ASSERT_EQ(corners[0].x, 0.0);
    const auto [x, y] = analysis::corner_disc_centre(corners[0], 12.0, 2.5);
    EXPECT_NEAR(to_line(x, y, 0, 0, 100, 0), 14.5, 1e-9);
    EXPECT_NEAR(to_line(x, y, 0, 0, 100, h), 14.5, 1e-6);
}

TEST(FieldCorners, TheBlockLiesAgainstBothEdgesAndHoldsItsArea)
{
    // The same 60 degree corner: a rhombus of 2,500 m2 set back 2.5 m. Its first vertex lies
    // 2.5 m from both edges, its two sides from it run parallel to them (so every vertex lies at
    // least 2.5 m from them), and side² · sin 60° = 2,500 m2.
    const double h = 100.0 * std::tan(M_PI / 3);
    const auto corners = corners_of("POLYGON((0 0,100 0,100 " + std::to_string(h) + ",0 0))", 60.5);
    ASSERT_EQ(corners.size(), 2u);
    const analysis::CornerBlock block = analysis::corner_block(corners[0], 2.5);
    EXPECT_NEAR(to_line(block.x, block.y, 0, 0, 100, 0), 2.5, 1e-9);
    EXPECT_NEAR(to_line(block.x, block.y, 0, 0, 100, h), 2.5, 1e-6);
    const double side = analysis::corner_block_side(block, 2500.0);
    EXPECT_NEAR(side * side * std::sin(M_PI / 3), 2500.0, 1e-6);

    geometry::GeosContext ctx;
    const geometry::GeomPtr rhombus = analysis::corner_block_polygon(ctx, block, side);
    EXPECT_NEAR(geometry::area(ctx, rhombus.get()), 2500.0, 1e-6);
    EXPECT_EQ(GEOSisValid_r(ctx.handle(), rhombus.get()), 1);
    // Counter-clockwise, as OGC wants a shell.
    char ccw = 0;
    const GEOSGeometry* shell = GEOSGetExteriorRing_r(ctx.handle(), rhombus.get());
    ASSERT_EQ(GEOSCoordSeq_isCCW_r(ctx.handle(), GEOSGeom_getCoordSeq_r(ctx.handle(), shell), &ccw),
              1);
    EXPECT_EQ(ccw, 1);
    // The vertices along the x axis and along the 60 degree edge stay 2.5 m off that edge; the
    // side from the first vertex along the x axis runs parallel to it.
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.handle(), shell);
    std::vector<double> off_x, off_slant;
    for (unsigned int i = 0; i < 4; ++i) {
        double x = 0, y = 0;
        GEOSCoordSeq_getXY_r(ctx.handle(), seq, i, &x, &y);
        off_x.push_back(to_line(x, y, 0, 0, 100, 0));
        off_slant.push_back(to_line(x, y, 0, 0, 100, h));
    }
    EXPECT_NEAR(*std::min_element(off_x.begin(), off_x.end()), 2.5, 1e-6);
    EXPECT_NEAR(*std::min_element(off_slant.begin(), off_slant.end()), 2.5, 1e-6);
    EXPECT_EQ(std::count_if(off_x.begin(), off_x.end(), [](double d) { return d < 2.5 + 1e-6; }),
              2);
    EXPECT_EQ(
      std::count_if(off_slant.begin(), off_slant.end(), [](double d) { return d < 2.5 + 1e-6; }),
      2);
}
