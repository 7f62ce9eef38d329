#include "landel/geometry/ops.h"
#include "landel/io/raster_vector.h"

#include <gtest/gtest.h>

#include <map>

using namespace landel;

TEST(PolygonizeLabels, PolygonsFollowCellEdges)
{
    // 4 x 3 cells of 10 m from (100, 230): labels 1 (an L), 2, and 0 (left out).
    const Grid g(Box{ 100, 200, 140, 230 }, 10.0, 10.0);
    Raster<std::int32_t> r(g, 0);
    const int cells[3][4] = { { 1, 1, 2, 0 }, { 1, 2, 2, 0 }, { 1, 1, 2, 2 } };
    for (std::size_t row = 0; row < 3; ++row)
        for (std::size_t col = 0; col < 4; ++col)
            r(row, col) = cells[row][col];
    r.mask().assign(g.size(), 1);
    r.mask()[2 * 4 + 3] = 0; // an invalid cell makes no polygon
    std::map<std::int32_t, double> area;
    geometry::GeosContext ctx;
    for (const auto& [label, wkb] : io::polygonize_labels(r)) {
        const geometry::GeomPtr p = geometry::from_wkb(ctx, wkb);
        EXPECT_TRUE(geometry::is_valid(ctx, p.get()));
        area[label] += geometry::area(ctx, p.get());
        const Box e = geometry::envelope(ctx, p.get());
        EXPECT_GE(e.xmin, 100.0);
        EXPECT_LE(e.xmax, 140.0);
    }
    ASSERT_EQ(area.size(), 2u);
    EXPECT_DOUBLE_EQ(area[1], 500.0);
    EXPECT_DOUBLE_EQ(area[2], 400.0);
}

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
