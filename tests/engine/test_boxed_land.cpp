// geometry::BoxedLand (land cut to small boxes, reading only the polygons near them) and
// geometry::union_of_wkb_by_clusters: the same land as the whole-land operations give.
#include "landel/geometry/boxed_land.h"
#include "landel/geometry/envelope_clusters.h"
#include "landel/geometry/ops.h"
#include "wkt.h"

#include <gtest/gtest.h>

using namespace landel;
using geometry::GeomPtr;

namespace {

/// A 10 x 10 grid of 8 x 8 blocks 10 m apart, one with a hole, as fields between roads are.
GeomPtr blocks(const geometry::GeosContext& ctx)
{
    std::string wkt = "MULTIPOLYGON(";
    for (int i = 0; i < 10; ++i)
        for (int j = 0; j < 10; ++j) {
            const auto s = [](double v) { return std::to_string(v); };
            const double x = 10.0 * i, y = 10.0 * j;
            wkt += std::string(i + j ? "," : "") + "((" + s(x) + " " + s(y) + "," + s(x + 8) + " " +
                   s(y) + "," + s(x + 8) + " " + s(y + 8) + "," + s(x) + " " + s(y + 8) + "," +
                   s(x) + " " + s(y) + ")" +
                   (i == 3 && j == 4 ? ",(32 42,34 42,34 44,32 44,32 42)" : "") + ")";
        }
    return geometry::from_wkt(ctx, wkt + ")");
}

} // namespace

TEST(BoxedLand, ACutEqualsTheCutOfTheWholeLand)
{
    const geometry::GeosContext ctx;
    const GeomPtr whole = blocks(ctx);
    const geometry::BoxedLand land(ctx, blocks(ctx));
    // Boxes over one block, across four blocks and a hole, along the edge of a road, and over
    // everything.
    for (const Box& box : { Box{ 1, 1, 5, 5 },
                            Box{ 25, 35, 37, 47 },
                            Box{ 7.5, 0, 9.5, 100 },
                            Box{ -50, -50, 200, 200 } }) {
        const GeomPtr mine = land.within(ctx, box);
        const GeomPtr want = geometry::clip_to_box(ctx, whole.get(), box);
        ASSERT_TRUE(mine);
        EXPECT_TRUE(GEOSEquals_r(ctx.handle(), mine.get(), want.get()) == 1 ||
                    (geometry::is_empty(ctx, mine.get()) && geometry::is_empty(ctx, want.get())));
        EXPECT_DOUBLE_EQ(geometry::area(ctx, mine.get()), geometry::area(ctx, want.get()));
    }
    // In the roads only: no block meets the box.
    EXPECT_FALSE(land.within(ctx, Box{ 8.5, 8.5, 9.5, 9.5 }));
    // x 25..37 holds 3 m of the blocks at 20..28 and 7 m of those at 30..38, y 35..47 the
    // same; less the 2 x 2 hole.
    EXPECT_DOUBLE_EQ(geometry::area(ctx, land.within(ctx, Box{ 25, 35, 37, 47 }).get()),
                     (3.0 + 7.0) * (3.0 + 7.0) - 2.0 * 2.0);
    EXPECT_EQ(land.extent().xmax, 98.0);
}

TEST(BoxedLand, NoLand)
{
    const geometry::GeosContext ctx;
    const geometry::BoxedLand land(ctx, nullptr);
    EXPECT_TRUE(land.extent().empty());
    EXPECT_FALSE(land.within(ctx, Box{ 0, 0, 1, 1 }));
}

TEST(UnionByClusters, OfWkbEqualsTheUnionOfEverything)
{
    // Two overlapping squares, one sharing an edge with them, one apart, one touching only at
    // a corner, and an empty string.
    const std::vector<std::string> wkbs{
        test::rect_wkb(0, 0, 10, 10),   test::rect_wkb(5, 5, 15, 15),
        test::rect_wkb(15, 0, 20, 10),  "",
        test::rect_wkb(40, 40, 50, 50), test::rect_wkb(50, 50, 55, 55)
    };
    const geometry::GeosContext ctx;
    const GeomPtr mine = geometry::union_of_wkb_by_clusters(ctx, wkbs);
    const GeomPtr want = geometry::union_of_wkb(ctx, wkbs);
    EXPECT_EQ(GEOSEquals_r(ctx.handle(), mine.get(), want.get()), 1);
    EXPECT_DOUBLE_EQ(geometry::area(ctx, mine.get()), 100 + 100 - 25 + 50 + 100 + 25);
    EXPECT_TRUE(geometry::is_valid(ctx, mine.get()));
    EXPECT_FALSE(geometry::union_of_wkb_by_clusters(ctx, { "", "" }));
}
