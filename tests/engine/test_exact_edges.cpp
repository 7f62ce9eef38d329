// Coverage fractions of tiny and thin rings at real RD New coordinates (x ~ 1.5e5, y ~ 4.6e5)
// are exact: every ring from 1e-6 m² to 1 m², alone or as one of many parts, as a hole of
// either orientation, on cells of 0.1, 1 and 25 m, sums (fraction × cell area) to its exact
// area within 1e-12 m². A shoelace on absolute coordinates (products ~1e11) rounds at
// ~1e-5 m² and turned rings under ~10 mm² the wrong way round: they were lost, or a hole
// counted as land.
//
// The exact areas are computed here from the rings' own coordinates, independently of the
// engine: offsets from a ring's first vertex are exact in double (all coordinates lie within
// a factor 2 of each other), and products of two such offsets are exact in long double.

#include "landel/analysis/measurement/cell_coverage.h"
#include "landel/geometry/ops.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iomanip>
#include <sstream>
#include <utility>
#include <vector>

using namespace landel;
using analysis::CoverageRing;

namespace {

constexpr double kX = 155000.123, kY = 463000.456; // an RD New location
constexpr double kTolM2 = 1e-12;

/// The axis-parallel rectangle with corners (x, y) and (x + w, y + h) as stored in doubles,
/// counter-clockwise or clockwise.
std::vector<double> rectangle(double x, double y, double w, double h, bool ccw = true)
{
    const double x1 = x + w, y1 = y + h;
    if (ccw)
        return { x, y, x1, y, x1, y1, x, y1, x, y };
    return { x, y, x, y1, x1, y1, x1, y, x, y };
}

/// The parallelogram at (x, y) spanned by (ux, uy) and (vx, vy), each corner rounded to the
/// nearest double.
std::vector<double> parallelogram(double x, double y, double ux, double uy, double vx, double vy)
{
    return { x, y, x + ux, y + uy, x + ux + vx, y + uy + vy, x + vx, y + vy, x, y };
}

/// The exact area of a simple ring stored as doubles (see the file comment).
long double exact_area(const std::vector<double>& xy)
{
    const std::size_t n = xy.size() / 2;
    long double twice = 0.0L;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t j = (i + 1) % n;
        const long double xi = xy[2 * i] - xy[0], yi = xy[2 * i + 1] - xy[1];
        const long double xj = xy[2 * j] - xy[0], yj = xy[2 * j + 1] - xy[1];
        twice += xi * yj - xj * yi;
    }
    return std::fabs(twice) / 2.0L;
}

/// Σ fraction × cell area, summed in long double so that the sum adds no round-off of its
/// own.
long double covered_m2(const std::vector<double>& fractions, const Grid& grid)
{
    long double sum = 0.0L;
    for (double f : fractions)
        sum += static_cast<long double>(f * grid.cell_area());
    return sum;
}

long double covered_m2(const std::vector<CoverageRing>& rings, const Grid& grid)
{
    return covered_m2(analysis::coverage_fractions(rings, grid), grid);
}

std::string wkt_ring(const std::vector<double>& xy)
{
    std::ostringstream s;
    s << std::setprecision(17) << "(";
    for (std::size_t i = 0; i < xy.size(); i += 2)
        s << (i ? ", " : "") << xy[i] << " " << xy[i + 1];
    s << ")";
    return s.str();
}

/// A grid of @p cell m cells around (kX, kY), about @p half m each way, on whole metres
/// (shifted by @p shift so that the lattice need not be).
Grid grid_around(double cell, double half, double shift = 0.0)
{
    const double x0 = std::floor(kX - half) + shift, y1 = std::floor(kY + half) + shift;
    const double n = std::ceil(2.0 * half / cell);
    return Grid(Box{ x0, y1 - n * cell, x0 + n * cell, y1 }, cell, cell);
}

struct Case
{
    double cell, half;
};
// 0.1 m, 1 m and 25 m cells on grids holding a 10 m ring.
const Case kGrids[] = { { 0.1, 6.0 }, { 1.0, 12.0 }, { 25.0, 50.0 } };

} // namespace

TEST(ExactEdges, SquaresFromOneSquareMillimetreToOneSquareMetre)
{
    int wrong = 0, total = 0;
    for (const Case& g : kGrids)
        for (double shift : { 0.0, 0.05 }) {
            const Grid grid = grid_around(g.cell, g.half, shift);
            for (double side : { 1e-3, 1e-2, 0.1, 1.0 })
                // Placed at (kX, kY) + offset; the last offset puts the 1 mm square across
                // the corner of 0.1 m cells at (155000.2, 463000.5).
                for (const auto& [dx, dy] : { std::pair{ 0.0, 0.0 },
                                              std::pair{ 0.0496, 0.0496 },
                                              std::pair{ -0.5 * side, -0.5 * side },
                                              std::pair{ 0.0765, 0.0435 } })
                    for (bool ccw : { true, false }) {
                        const std::vector<double> ring =
                          rectangle(kX + dx, kY + dy, side, side, ccw);
                        const long double exact = exact_area(ring);
                        ASSERT_NEAR(double(exact), side * side, 1e-6 * side * side);
                        const long double got = covered_m2({ CoverageRing{ ring, false } }, grid);
                        ++total;
                        if (std::fabs(double(got - exact)) > kTolM2)
                            ++wrong;
                        EXPECT_NEAR(double(got), double(exact), kTolM2)
                          << "side " << side << " at +" << dx << ",+" << dy
                          << (ccw ? " ccw" : " cw") << " on " << g.cell << " m cells shifted "
                          << shift;
                    }
        }
    EXPECT_EQ(wrong, 0) << "of " << total << " squares";
}

TEST(ExactEdges, NeedlesOneTenthOfAMicrometreWide)
{
    // 1e-7 m wide and 10 m long (1e-6 m²): along x, along y and at a slant.
    int wrong = 0, total = 0;
    for (const Case& g : kGrids) {
        const Grid grid = grid_around(g.cell, g.half);
        const double slant = 10.0 / std::hypot(1.0, 0.37);
        const std::vector<std::vector<double>> needles = {
            rectangle(kX - 5.0, kY + 0.0123, 10.0, 1e-7),
            rectangle(kX + 0.0123, kY - 5.0, 1e-7, 10.0, false),
            parallelogram(kX - 4.6,
                          kY - 1.7,
                          slant,
                          0.37 * slant,
                          -0.37e-7 / std::hypot(1.0, 0.37),
                          1e-7 / std::hypot(1.0, 0.37)),
            parallelogram(kX + 4.1, kY - 4.3, -0.6 * 10.0, 0.8 * 10.0, 0.8e-7, 0.6e-7),
        };
        for (std::size_t k = 0; k < needles.size(); ++k) {
            const long double exact = exact_area(needles[k]);
            ASSERT_NEAR(double(exact), 1e-6, 1e-8); // corners rounded to doubles
            const long double got = covered_m2({ CoverageRing{ needles[k], false } }, grid);
            ++total;
            if (std::fabs(double(got - exact)) > kTolM2)
                ++wrong;
            EXPECT_NEAR(double(got), double(exact), kTolM2)
              << "needle " << k << " on " << g.cell << " m cells";
        }
    }
    EXPECT_EQ(wrong, 0) << "of " << total << " needles";
}

TEST(ExactEdges, HolesOfEitherOrientationInAThreeByThreeCellSquare)
{
    int wrong = 0, total = 0;
    for (const Case& g : kGrids) {
        const Grid grid = grid_around(g.cell, g.half);
        // The outer square: 3 x 3 cells on the lattice around (kX, kY).
        const long c = grid.col_of(kX), r = grid.row_of(kY);
        const double x0 = grid.x_left(std::size_t(c - 1)), y1 = grid.y_top(std::size_t(r - 1));
        const double side3 = 3.0 * g.cell;
        const std::vector<double> outer = rectangle(x0, y1 - side3, side3, side3);
        const long double outer_m2 = exact_area(outer);
        for (double side : { 1e-3, 1e-2, 0.05 })
            for (bool ccw : { true, false })
                for (double at : { 0.0, 0.5 * g.cell }) { // across a cell corner, in a cell
                    const double hx = grid.x_left(std::size_t(c)) + at - 0.5 * side + 1.3e-4;
                    const double hy = grid.y_top(std::size_t(r)) - at - 0.5 * side - 2.1e-4;
                    const std::vector<double> hole = rectangle(hx, hy, side, side, ccw);
                    const long double hole_m2 = exact_area(hole);
                    const std::vector<CoverageRing> rings{ { outer, false }, { hole, true } };
                    const std::vector<double> f = analysis::coverage_fractions(rings, grid);
                    // The land, and the hole as what is missing of the full square.
                    const long double land = covered_m2(f, grid);
                    const long double missing = outer_m2 - land;
                    ++total;
                    if (std::fabs(double(missing - hole_m2)) > kTolM2)
                        ++wrong;
                    EXPECT_NEAR(double(land - (outer_m2 - hole_m2)), 0.0, kTolM2)
                      << side << " m hole" << (ccw ? " ccw" : " cw") << " at +" << at << " on "
                      << g.cell << " m cells";
                    EXPECT_NEAR(double(missing), double(hole_m2), kTolM2);
                    // The same through GEOS geometry, as the element density raster reads it.
                    geometry::GeosContext ctx;
                    const auto polygon = geometry::from_wkt(
                      ctx, "POLYGON(" + wkt_ring(outer) + ", " + wkt_ring(hole) + ")");
                    const long double via_geos =
                      covered_m2(analysis::coverage_fractions(ctx, polygon.get(), grid), grid);
                    EXPECT_NEAR(double(via_geos - land), 0.0, kTolM2);
                }
    }
    EXPECT_EQ(wrong, 0) << "of " << total << " holes";
}

TEST(ExactEdges, HundredTinyPartsOfAMultiPolygon)
{
    // 100 squares of 1 mm² in a 10 x 10 pattern 13.7 mm apart: several share a 0.1 m cell,
    // some straddle cell edges.
    std::vector<CoverageRing> rings;
    std::vector<long double> exact;
    std::string wkt = "MULTIPOLYGON(";
    for (int i = 0; i < 10; ++i)
        for (int j = 0; j < 10; ++j) {
            const std::vector<double> ring =
              rectangle(kX + 0.0137 * i, kY + 0.0137 * j, 1e-3, 1e-3, (i + j) % 2 == 0);
            rings.push_back({ ring, false });
            exact.push_back(exact_area(ring));
            wkt += std::string(i + j ? ", " : "") + "(" + wkt_ring(ring) + ")";
        }
    wkt += ")";
    long double exact_total = 0.0L;
    for (long double a : exact)
        exact_total += a;
    geometry::GeosContext ctx;
    const auto multi = geometry::from_wkt(ctx, wkt);
    for (const Case& g : kGrids) {
        const Grid grid = grid_around(g.cell, g.half);
        int lost = 0;
        for (std::size_t k = 0; k < rings.size(); ++k) {
            const long double got = covered_m2({ rings[k] }, grid);
            if (std::fabs(double(got - exact[k])) > kTolM2)
                ++lost;
            EXPECT_NEAR(double(got), double(exact[k]), kTolM2) << "part " << k;
        }
        EXPECT_EQ(lost, 0) << "of 100 parts wrong on " << g.cell << " m cells";
        EXPECT_NEAR(double(covered_m2(rings, grid) - exact_total), 0.0, kTolM2)
          << g.cell << " m cells";
        EXPECT_NEAR(double(covered_m2(analysis::coverage_fractions(ctx, multi.get(), grid), grid) -
                           exact_total),
                    0.0,
                    kTolM2)
          << g.cell << " m cells, through GEOS";
    }
}

TEST(ExactEdges, GeosAreaOfTheSameRingsIsExactToo)
{
    // The vector figures use GEOS's area, which sums the shoelace relative to the ring's
    // first vertex: it needs no fix, and this shows it.
    geometry::GeosContext ctx;
    for (double side : { 1e-3, 1e-2, 1.0 }) {
        const std::vector<double> ring = rectangle(kX, kY, side, side, false);
        const auto p = geometry::from_wkt(ctx, "POLYGON(" + wkt_ring(ring) + ")");
        EXPECT_NEAR(geometry::area(ctx, p.get()), double(exact_area(ring)), kTolM2);
    }
    const std::vector<double> needle = parallelogram(kX, kY, 6.0, 8.0, 0.8e-7, -0.6e-7);
    const auto p = geometry::from_wkt(ctx, "POLYGON(" + wkt_ring(needle) + ")");
    EXPECT_NEAR(geometry::area(ctx, p.get()), double(exact_area(needle)), kTolM2);
}
