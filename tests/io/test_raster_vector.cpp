#include "landel/geometry/ops.h"
#include "landel/io/raster_vector.h"

#include <gtest/gtest.h>

using namespace landel;

TEST(RasterizeTouched, LinesMarkEveryCellTheyTouch)
{
    const Grid g(Box{ 0, 0, 50, 30 }, 10.0, 10.0);
    geometry::GeosContext ctx;
    const std::string line =
      geometry::to_wkb(ctx, geometry::from_wkt(ctx, "LINESTRING(5 25, 45 25)").get());
    const std::vector<std::uint8_t> m = io::rasterize_touched(g, { line });
    ASSERT_EQ(m.size(), 15u);
    for (std::size_t c = 0; c < 5; ++c) {
        EXPECT_EQ(m[c], 1) << c; // row 0 holds y 20..30
        EXPECT_EQ(m[5 + c], 0) << c;
        EXPECT_EQ(m[10 + c], 0) << c;
    }
}
