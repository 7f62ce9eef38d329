#include "landel/analysis/measurement/cell_coverage.h"
#include "landel/geometry/ops.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace landel;

namespace {

/// Checks every cell's fraction against the area of polygon ∩ cell computed by GEOS, and
/// the sum against the area of polygon ∩ grid extent.
void expect_exact(const geometry::GeosContext& ctx,
                  const GEOSGeometry* polygon,
                  const Grid& grid,
                  const std::string& name)
{
    const GEOSGeometry* poly_raw = polygon;
    struct Borrow
    {
        const GEOSGeometry* p;
        const GEOSGeometry* get() const { return p; }
    } poly{ poly_raw };
    const std::string& wkt = name;
    const std::vector<double> f = analysis::coverage_fractions(ctx, poly.get(), grid);
    ASSERT_EQ(f.size(), grid.size());
    double sum = 0.0;
    for (std::size_t r = 0; r < grid.rows(); ++r)
        for (std::size_t c = 0; c < grid.cols(); ++c) {
            auto cell = geometry::box_polygon(ctx, grid.cell(r, c));
            const double expected =
              geometry::area(ctx, geometry::intersection(ctx, poly.get(), cell.get()).get()) /
              grid.cell_area();
            EXPECT_NEAR(f[r * grid.cols() + c], expected, 1e-9) << wkt << " cell " << r << "," << c;
            sum += f[r * grid.cols() + c] * grid.cell_area();
        }
    auto extent = geometry::box_polygon(ctx, grid.extent());
    const double inside =
      geometry::area(ctx, geometry::intersection(ctx, poly.get(), extent.get()).get());
    EXPECT_NEAR(sum, inside, 1e-9 * std::max(1.0, inside)) << wkt;
}

void expect_exact(const std::string& wkt, const Grid& grid)
{
    geometry::GeosContext ctx;
    auto poly = geometry::from_wkt(ctx, wkt);
    expect_exact(ctx, poly.get(), grid, wkt);
}

const Grid small(Box{ 0, 0, 10, 8 }, 1.0, 1.0);

} // namespace

TEST(CellCoverage, SquareOffsetByHalfACell)
{
    expect_exact("POLYGON((2.5 2.5, 5.5 2.5, 5.5 5.5, 2.5 5.5, 2.5 2.5))", small);
}

TEST(CellCoverage, Triangle)
{
    expect_exact("POLYGON((0.3 0.2, 9.1 1.7, 4.4 7.9, 0.3 0.2))", small);
}

TEST(CellCoverage, PolygonWithHole)
{
    expect_exact("POLYGON((1 1, 9 1, 9 7, 1 7, 1 1), (3.3 2.2, 6.6 2.7, 5.1 5.9, 3.3 2.2))", small);
}

TEST(CellCoverage, PolygonReachingBeyondTheGrid)
{
    expect_exact("POLYGON((-3 -2, 6.5 -4, 13 3.3, 5 12, -1 9, -3 -2))", small);
}

TEST(CellCoverage, ClockwiseRingsAndMultiPolygons)
{
    expect_exact("POLYGON((2.5 2.5, 2.5 5.5, 5.5 5.5, 5.5 2.5, 2.5 2.5))", small);
    expect_exact("MULTIPOLYGON(((0.5 0.5, 2.5 0.5, 2.5 2.5, 0.5 0.5)),"
                 "((4 4, 9.5 4, 9.5 7.5, 4 7.5, 4 4),(5 5, 5 6, 6 6, 6 5, 5 5)))",
                 small);
}

TEST(CellCoverage, EdgesAlongCellBordersAndNonSquareCells)
{
    expect_exact("POLYGON((2 2, 6 2, 6 5, 2 5, 2 2))", small);
    const Grid wide(Box{ 100, 200, 130, 212 }, 2.5, 1.5);
    expect_exact("POLYGON((101 201, 129 203, 120 211.9, 100.1 208, 101 201))", wide);
}

TEST(CellCoverage, RandomCirclesInRealCoordinates)
{
    // RD New-sized coordinates: the method works in offsets, so large origins cost nothing.
    const Grid grid(Box{ 140000, 430000, 140250, 430250 }, 10.0, 10.0);
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> u(140000, 140250);
    geometry::GeosContext ctx;
    for (int i = 0; i < 5; ++i) {
        auto p = geometry::from_wkt(ctx,
                                    "POINT(" + std::to_string(u(rng)) + " " +
                                      std::to_string(u(rng) - 140000 + 430000) + ")");
        auto circle = ctx.own(GEOSBuffer_r(ctx.handle(), p.get(), 20.0 + 15.0 * i, 32), "buffer");
        expect_exact(ctx, circle.get(), grid, "circle " + std::to_string(i));
    }
}
