#include "landel/analysis/measurement/footprint.h"
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

TEST(Footprint, VerticesCloserThanAMicrometreAreMerged)
{
    geometry::GeosContext ctx;
    // Found fuzzing: GEOS 3.11 segfaulted buffering this hedge (vertices 1e-307..1e-13 m
    // apart). Merged, its first and last vertex remain, 3e-111 m apart: a strip of no
    // practical area (8 m x 3e-111 m), made without a crash.
    auto tiny = geometry::from_wkt(
      ctx,
      "LINESTRING(3.339833112612791e-111 2.848094538905653e-306, 1.7800590868057611e-307 0, "
      "9.327608130310379e-15 1.0387850731582653e-13, 1.0082367185796065e-307 0)");
    auto strip = analysis::element_footprint(ctx, tiny.get(), 8.0);
    EXPECT_LT(geometry::area(ctx, strip.get()), 1e-100);
    // A hedge with a repeated vertex and one 0.1 um off its line: 100 m x 2 m within 1e-9.
    auto hedge =
      geometry::from_wkt(ctx, "LINESTRING(0 50, 40 50, 40 50, 40.0000001 50.0000001, 100 50)");
    EXPECT_NEAR(
      geometry::area(ctx, analysis::element_footprint(ctx, hedge.get(), 2.0).get()), 200.0, 1e-6);
}
