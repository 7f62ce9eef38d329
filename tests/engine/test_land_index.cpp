#include "landel/analysis/measurement/land_index.h"
#include "landel/geometry/ops.h"
#include "wkt.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace landel;

namespace {

double length_of(const geometry::GeosContext& ctx, const std::string& wkb)
{
    return geometry::length(ctx, geometry::from_wkb(ctx, wkb).get());
}

} // namespace

TEST(LandIndex, AnEdgeAlongWaterIsSplitIntoABankAndTheRest)
{
    geometry::GeosContext ctx;
    // Water under the first 50 m of a 100 m edge that runs 1 m north of it.
    const analysis::LandIndex land({ { test::rect_wkb(0, -10, 50, 0) } });
    const geometry::GeomPtr edge = geometry::from_wkt(ctx, "LINESTRING(0 1,100 1)");
    const std::vector<analysis::KindedEdge> pieces = land.split(ctx, edge.get(), 2.0, 20.0);
    ASSERT_EQ(pieces.size(), 2u);
    EXPECT_EQ(pieces[0].kind, 0u);
    EXPECT_EQ(pieces[1].kind, land.kinds()); // along no land
    // Within 2 m of the water up to x = 50 + sqrt(2² - 1²) on the round corner of the zone,
    // which the buffer's 8 segments per quarter circle approach from inside (at most
    // 2·(1 - cos(π/32)) = 1 cm short).
    const double bank = length_of(ctx, pieces[0].line_wkb);
    EXPECT_LE(bank, 50.0 + std::sqrt(3.0) + 1e-9);
    EXPECT_GE(bank, 50.0 + std::sqrt(3.0) - 0.05);
    EXPECT_NEAR(bank + length_of(ctx, pieces[1].line_wkb), 100.0, 1e-9);
}

TEST(LandIndex, StretchesShorterThanTheMinimumStayWithTheEdge)
{
    geometry::GeosContext ctx;
    // Water beside 10 m of the edge only: no bank of 20 m, the edge stays whole as it was.
    const analysis::LandIndex land({ { test::rect_wkb(40, -10, 50, 0) } });
    const geometry::GeomPtr edge = geometry::from_wkt(ctx, "LINESTRING(0 1,100 1)");
    const std::vector<analysis::KindedEdge> pieces = land.split(ctx, edge.get(), 2.0, 20.0);
    ASSERT_EQ(pieces.size(), 1u);
    EXPECT_EQ(pieces[0].kind, 1u);
    EXPECT_EQ(pieces[0].line_wkb, geometry::to_wkb(ctx, edge.get()));
}

TEST(LandIndex, KindsTakeTheirStretchesInTheirOrder)
{
    geometry::GeosContext ctx;
    // Kind 0 (water) beside x 0..40, kind 1 (road) beside x 30..100 on the other side: the
    // overlap 30..40 goes to water, the first kind.
    const analysis::LandIndex land(
      { { test::rect_wkb(0, -10, 40, 0) }, { test::rect_wkb(30, 2, 100, 10) } });
    const geometry::GeomPtr edge = geometry::from_wkt(ctx, "LINESTRING(0 1,100 1)");
    const std::vector<analysis::KindedEdge> pieces = land.split(ctx, edge.get(), 2.0, 20.0);
    ASSERT_EQ(pieces.size(), 2u);
    EXPECT_EQ(pieces[0].kind, 0u);
    EXPECT_EQ(pieces[1].kind, 1u);
    double total = 0.0;
    for (const auto& p : pieces)
        total += length_of(ctx, p.line_wkb);
    EXPECT_NEAR(total, 100.0, 1e-9);
    // Nearby land for a box: both polygons, in kind order.
    EXPECT_EQ(land.near(Box{ 0, 0, 100, 2 }).size(), 2u);
    EXPECT_TRUE(land.near(Box{ 500, 500, 600, 600 }).empty());
}
