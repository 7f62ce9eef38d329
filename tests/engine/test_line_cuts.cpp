// geometry::line_prefix and line_suffix: a line cut at a length along it. Figures by hand.
#include "landel/geometry/ops.h"

#include <gtest/gtest.h>

using namespace landel;

namespace {

/// Whether @p g is @p wkt vertex for vertex ("EMPTY": an empty geometry).
bool is(const geometry::GeosContext& ctx, const geometry::GeomPtr& g, const std::string& wkt)
{
    if (wkt == "EMPTY")
        return geometry::is_empty(ctx, g.get());
    const geometry::GeomPtr want = geometry::from_wkt(ctx, wkt);
    return GEOSEqualsExact_r(ctx.handle(), g.get(), want.get(), 1e-12) == 1;
}

} // namespace

TEST(LineCuts, PrefixAndSuffixMeetAtTheCut)
{
    const geometry::GeosContext ctx;
    // An L of 10 m east then 10 m north: 15 m along lies 5 m up the second leg.
    const geometry::GeomPtr line = geometry::from_wkt(ctx, "LINESTRING(0 0,10 0,10 10)");
    EXPECT_TRUE(is(ctx, geometry::line_prefix(ctx, line.get(), 15.0), "LINESTRING(0 0,10 0,10 5)"));
    EXPECT_TRUE(is(ctx, geometry::line_suffix(ctx, line.get(), 15.0), "LINESTRING(10 5,10 10)"));
    // A cut on a vertex: the suffix starts there, once.
    EXPECT_TRUE(is(ctx, geometry::line_suffix(ctx, line.get(), 10.0), "LINESTRING(10 0,10 10)"));
    EXPECT_TRUE(is(ctx, geometry::line_suffix(ctx, line.get(), 0.0), "LINESTRING(0 0,10 0,10 10)"));
    EXPECT_TRUE(
      is(ctx, geometry::line_suffix(ctx, line.get(), 3.5), "LINESTRING(3.5 0,10 0,10 10)"));
}

TEST(LineCuts, NothingIsLeftBeyondTheEnd)
{
    const geometry::GeosContext ctx;
    const geometry::GeomPtr line = geometry::from_wkt(ctx, "LINESTRING(0 0,10 0)");
    EXPECT_TRUE(is(ctx, geometry::line_suffix(ctx, line.get(), 10.0), "EMPTY"));
    EXPECT_TRUE(is(ctx, geometry::line_suffix(ctx, line.get(), 12.0), "EMPTY"));
    EXPECT_TRUE(is(ctx, geometry::line_prefix(ctx, line.get(), 12.0), "LINESTRING(0 0,10 0)"));
}
