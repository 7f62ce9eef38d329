#include "landel/analysis/footprint.h"
#include "landel/geometry/ops.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace landel;

TEST(Footprint, StraightLineIsLengthTimesWidth)
{
    geometry::GeosContext ctx;
    auto line = geometry::from_wkt(ctx, "LINESTRING(0 50, 100 50)");
    auto strip = analysis::element_footprint(ctx, line.get(), 2.0);
    EXPECT_NEAR(geometry::area(ctx, strip.get()), 200.0, 1e-9); // flat ends: no caps
}

TEST(Footprint, CircleWithin005PercentOfPiR2)
{
    geometry::GeosContext ctx;
    auto point = geometry::from_wkt(ctx, "POINT(10 10)");
    auto circle = analysis::element_footprint(ctx, point.get(), 10.0);
    const double exact = M_PI * 25.0; // 78.54 m^2
    const double a = geometry::area(ctx, circle.get());
    EXPECT_LT(std::abs(a - exact) / exact, 0.0005);
    EXPECT_LT(a, exact); // inscribed polygon
}

TEST(Footprint, RoundJoinAddsAQuarterDisc)
{
    // L of two 10 m legs, 2 m wide: rectangles [0,10]x[-1,1] and [9,11]x[0,10] (20 m^2 each)
    // overlap in [9,10]x[0,1] (1 m^2); the round join fills the outer corner [10,11]x[-1,0]
    // with a quarter disc of radius 1 (pi/4, drawn with 32 segments: 0.04% less).
    geometry::GeosContext ctx;
    auto line = geometry::from_wkt(ctx, "LINESTRING(0 0, 10 0, 10 10)");
    auto strip = analysis::element_footprint(ctx, line.get(), 2.0);
    EXPECT_NEAR(geometry::area(ctx, strip.get()), 40.0 - 1.0 + M_PI / 4.0, 0.001);
}

TEST(Footprint, PolygonsAreThemselves)
{
    geometry::GeosContext ctx;
    auto poly = geometry::from_wkt(ctx, "POLYGON((0 0,10 0,10 10,0 10,0 0))");
    EXPECT_DOUBLE_EQ(geometry::area(ctx, analysis::element_footprint(ctx, poly.get(), NAN).get()),
                     100.0);
}
