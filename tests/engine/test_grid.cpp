#include "landel/core/error.h"
#include "landel/core/grid.h"
#include "landel/core/raster.h"

#include <gtest/gtest.h>

using namespace landel;

TEST(Grid, CellsAndCoordinates)
{
    const Grid g(Box{ 100, 200, 110, 206 }, 2.0, 1.5);
    EXPECT_EQ(g.cols(), 5u);
    EXPECT_EQ(g.rows(), 4u);
    EXPECT_DOUBLE_EQ(g.y_top(0), 206.0); // row 0 is north
    EXPECT_EQ(g.col_of(100.0), 0);
    EXPECT_EQ(g.col_of(102.0), 1); // an edge belongs to the cell east of it
    EXPECT_EQ(g.col_of(110.0), 4); // the grid's east edge belongs to the last column
    EXPECT_EQ(g.col_of(99.0), -1);
    EXPECT_EQ(g.row_of(206.0), 0);
    EXPECT_EQ(g.row_of(200.0), 3);
    EXPECT_EQ(g.row_of(199.0), 4);
    const Box c = g.cell(1, 2);
    EXPECT_DOUBLE_EQ(c.xmin, 104.0);
    EXPECT_DOUBLE_EQ(c.ymax, 204.5);
    EXPECT_THROW(Grid(Box{ 0, 0, 10.5, 1 }, 1.0, 1.0), InvalidArgument);
}

TEST(Grid, CropSnapsOutwardToCellEdges)
{
    const Grid g(Box{ 0, 0, 10, 10 }, 1.0, 1.0);
    const Grid c = g.crop(Box{ 2.5, 3.2, 4.1, 7.0 });
    EXPECT_DOUBLE_EQ(c.extent().xmin, 2.0);
    EXPECT_DOUBLE_EQ(c.extent().xmax, 5.0);
    EXPECT_DOUBLE_EQ(c.extent().ymin, 3.0);
    EXPECT_DOUBLE_EQ(c.extent().ymax, 7.0); // on a cell edge: no row above it
    const Grid edges = g.crop(Box{ 2, 3, 5, 7 });
    EXPECT_EQ(edges.cols(), 3u);
    EXPECT_EQ(edges.rows(), 4u);
    EXPECT_TRUE(c.compatible_with(g));
    EXPECT_TRUE(g.crop(Box{ 20, 20, 30, 30 }).empty());
    EXPECT_FALSE(g.compatible_with(Grid(Box{ 0.5, 0, 10.5, 10 }, 1.0, 1.0)));
    EXPECT_FALSE(g.compatible_with(Grid(Box{ 0, 0, 10, 10 }, 2.0, 2.0)));
}

TEST(Grid, SubdivideCoversEveryCellOnceAlongBlocks)
{
    const Grid g(Box{ 0, 0, 100, 70 }, 1.0, 1.0);
    const auto parts = g.subdivide(1000, 4);
    std::size_t cells = 0;
    for (const Grid& p : parts) {
        EXPECT_LE(p.size(), 1000u);
        EXPECT_TRUE(p.compatible_with(g));
        EXPECT_EQ(std::size_t(g.extent().ymax - p.extent().ymax) % 4, 0u); // starts on a block
        cells += p.size();
    }
    EXPECT_EQ(cells, g.size());
}

TEST(Grid, SubdivideCutsWideBandsAlongBlockColumns)
{
    const Grid g(Box{ 0, 0, 1000, 64 }, 1.0, 1.0);
    const auto parts = g.subdivide(16 * 300, 16, 32);
    std::size_t cells = 0;
    for (const Grid& p : parts) {
        EXPECT_LE(p.size(), 16u * 300u);
        EXPECT_EQ(std::size_t(p.extent().xmin) % 32, 0u); // starts on a block column
        cells += p.size();
    }
    EXPECT_EQ(cells, g.size());
}

TEST(Grid, CoverReachesBeyondTheExtentOnTheSameLattice)
{
    const Grid g(Box{ 100, 200, 110, 210 }, 2.0, 2.0);
    const Grid c = g.cover(Box{ 95.5, 209, 101, 213.9 });
    EXPECT_TRUE(c.compatible_with(g));
    EXPECT_DOUBLE_EQ(c.extent().xmin, 94.0);
    EXPECT_DOUBLE_EQ(c.extent().xmax, 102.0);
    EXPECT_DOUBLE_EQ(c.extent().ymin, 208.0);
    EXPECT_DOUBLE_EQ(c.extent().ymax, 214.0);
    // A box edge on a cell edge takes no cell beyond it.
    const Grid d = g.cover(Box{ 102, 202, 104, 204 });
    EXPECT_EQ(d.cols(), 1u);
    EXPECT_EQ(d.rows(), 1u);
}

TEST(Grid, NestsOnlyAlignedWholeMultiples)
{
    const Grid fine(Box{ 0, 0, 100, 100 }, 0.5, 0.5);
    EXPECT_TRUE(fine.nests(Grid(Box{ 10, 20, 60, 70 }, 2.5, 2.5)));
    EXPECT_TRUE(fine.nests(fine));
    EXPECT_FALSE(fine.nests(Grid(Box{ 10.25, 20, 60.25, 70 }, 2.5, 2.5))); // shifted
    EXPECT_FALSE(fine.nests(Grid(Box{ 0, 0, 70, 70 }, 0.7, 0.7)));         // not a multiple
}

TEST(RasterView, WindowsOntoTheSameCells)
{
    const Grid g(Box{ 0, 0, 40, 30 }, 10.0, 10.0);
    Raster<std::int32_t> r(g, 0);
    for (std::size_t row = 0; row < r.rows(); ++row)
        for (std::size_t col = 0; col < r.cols(); ++col)
            r(row, col) = std::int32_t(row * 10 + col);
    r.mask().assign(g.size(), 1);
    r.mask()[1 * 4 + 2] = 0;
    const RasterView<std::int32_t> v(r, Grid(Box{ 10, 0, 30, 20 }, 10.0, 10.0));
    EXPECT_EQ(v.rows(), 2u);
    EXPECT_EQ(v.cols(), 2u);
    EXPECT_EQ(v(0, 0), 11);
    EXPECT_EQ(v(1, 1), 22);
    EXPECT_FALSE(v.valid(0, 1));
    EXPECT_THROW(RasterView<std::int32_t>(r, Grid(Box{ 15, 0, 35, 20 }, 10.0, 10.0)), GridMismatch);
    EXPECT_THROW(RasterView<std::int32_t>(r, Grid(Box{ 30, 0, 50, 20 }, 10.0, 10.0)), GridMismatch);
}

TEST(AnyRaster, VisitRunsTypedCode)
{
    const Grid g(Box{ 0, 0, 3, 2 }, 1.0, 1.0);
    AnyRaster any = Raster<float>(g, 0.5f);
    const double total = visit(
      [](const auto& raster) {
          double t = 0.0;
          for (auto v : raster.values())
              t += double(v);
          return t;
      },
      any);
    EXPECT_DOUBLE_EQ(total, 3.0);
    any = Raster<std::uint8_t>(g, 7);
    EXPECT_TRUE(std::holds_alternative<Raster<std::uint8_t>>(any));
    EXPECT_EQ(visit([](const auto& raster) { return raster.values().size(); }, any), 6u);
}
