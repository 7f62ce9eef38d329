// geometry::within_distance against GEOS's own GEOSDistanceWithin_r on polygons of the kinds
// the change engine compares: small round ones (trees), long thin ones (hedges, ditches),
// polygons with holes, one inside another, one inside another's hole, at distances around
// the tolerance.
#include "landel/geometry/distance_within.h"
#include "landel/geometry/ops.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

using namespace landel;
using geometry::GeomPtr;

namespace {

GeomPtr circle(const geometry::GeosContext& ctx, double x, double y, double r)
{
    const GeomPtr p = ctx.own(GEOSGeom_createPointFromXY_r(ctx.handle(), x, y), "point");
    return ctx.own(GEOSBuffer_r(ctx.handle(), p.get(), r, 16), "circle");
}

/// A winding strip: a random walk of @p steps buffered by @p half_width.
GeomPtr strip(const geometry::GeosContext& ctx, std::mt19937& rng, double x, double y, int steps)
{
    std::uniform_real_distribution<double> turn(-0.8, 0.8);
    std::string wkt = "LINESTRING (";
    double angle = turn(rng) * 4;
    for (int i = 0; i <= steps; ++i) {
        wkt += (i ? ", " : "") + std::to_string(x) + " " + std::to_string(y);
        angle += turn(rng);
        x += 5 * std::cos(angle);
        y += 5 * std::sin(angle);
    }
    const GeomPtr line = geometry::from_wkt(ctx, wkt + ")");
    return ctx.own(GEOSBuffer_r(ctx.handle(), line.get(), 0.6, 4), "strip");
}

bool geos_within(const geometry::GeosContext& ctx,
                 const GEOSGeometry* a,
                 const GEOSGeometry* b,
                 double d)
{
    return GEOSDistanceWithin_r(ctx.handle(), a, b, d) == 1;
}

} // namespace

TEST(DistanceWithin, EqualsGeosOnRandomElements)
{
    geometry::GeosContext ctx;
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> pos(0, 60), radius(0.3, 4);
    std::vector<GeomPtr> shapes;
    for (int i = 0; i < 40; ++i)
        shapes.push_back(circle(ctx, pos(rng), pos(rng), radius(rng)));
    for (int i = 0; i < 15; ++i)
        shapes.push_back(strip(ctx, rng, pos(rng), pos(rng), 12));
    // A wood with a hole, a tree inside the hole, one in the wood, one touching its rim.
    shapes.push_back(geometry::from_wkt(
      ctx, "POLYGON ((10 10, 50 10, 50 50, 10 50, 10 10), (20 20, 40 20, 40 40, 20 40, 20 20))"));
    shapes.push_back(circle(ctx, 30, 30, 2));
    shapes.push_back(circle(ctx, 15, 15, 1));
    shapes.push_back(geometry::from_wkt(ctx, "POLYGON ((50 30, 52 30, 52 32, 50 32, 50 30))"));
    int near = 0, far = 0;
    for (double d : { 0.0, 0.1, 0.5, 1.0, 3.0 })
        for (std::size_t i = 0; i < shapes.size(); ++i)
            for (std::size_t j = 0; j < shapes.size(); ++j) {
                const bool expected = geos_within(ctx, shapes[i].get(), shapes[j].get(), d);
                ASSERT_EQ(geometry::within_distance(ctx, shapes[i].get(), shapes[j].get(), d),
                          expected)
                  << "shapes " << i << " and " << j << " at " << d << " m";
                (expected ? near : far) += 1;
            }
    // Both answers occur often, so the comparison says something.
    EXPECT_GT(near, 1000);
    EXPECT_GT(far, 5000);
}

TEST(DistanceWithin, ShiftedCopyAtTheTolerance)
{
    // A hedge shifted 0.3 m: within 0.3 m of its old place (they overlap), and a copy 0.5 m
    // off is within 0.5 m and not within 0.49 m.
    geometry::GeosContext ctx;
    const GeomPtr hedge = geometry::from_wkt(ctx, "POLYGON ((0 0, 40 0, 40 2, 0 2, 0 0))");
    const GeomPtr shifted =
      geometry::from_wkt(ctx, "POLYGON ((0 0.3, 40 0.3, 40 2.3, 0 2.3, 0 0.3))");
    const GeomPtr apart = geometry::from_wkt(ctx, "POLYGON ((0 2.5, 40 2.5, 40 4, 0 4, 0 2.5))");
    EXPECT_TRUE(geometry::within_distance(ctx, hedge.get(), shifted.get(), 0.0));
    EXPECT_TRUE(geometry::within_distance(ctx, hedge.get(), apart.get(), 0.5));
    EXPECT_FALSE(geometry::within_distance(ctx, hedge.get(), apart.get(), 0.49));
}
