// label_polygons: each label's cells as valid polygons along the cell edges. Checked against
// definitions written here: the union of the cells' squares (GEOS), the 4-connected groups of
// cells (a breadth-first search), the rings of hand-drawn cases.

#include "landel/analysis/delineation/label_polygons.h"
#include "landel/geometry/geos_context.h"
#include "landel/geometry/ops.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <array>
#include <cmath>
#include <map>
#include <queue>
#include <random>

using namespace landel;
using geometry::GeomPtr;
using geometry::GeosContext;

namespace {

// 5 m cells at Dutch RD coordinates: corners are not small integers.
Raster<std::int32_t> raster_of(const std::vector<std::vector<int>>& cells)
{
    const std::size_t rows = cells.size(), cols = cells[0].size();
    const Grid g(Box{ 233000.0, 443000.0, 233000.0 + 5.0 * cols, 443000.0 + 5.0 * rows }, 5.0, 5.0);
    Raster<std::int32_t> r(g, 0);
    for (std::size_t row = 0; row < rows; ++row)
        for (std::size_t col = 0; col < cols; ++col)
            r(row, col) = cells[row][col];
    return r;
}

// Labels 1..labels in blobs: each cell copies its upper or left neighbour most of the time.
std::vector<std::vector<int>> blobs(std::size_t rows, std::size_t cols, int labels, unsigned seed)
{
    std::mt19937 rng(seed);
    std::vector<std::vector<int>> cells(rows, std::vector<int>(cols));
    for (auto& row : cells)
        for (int& v : row)
            v = 1 + int(rng() % unsigned(labels));
    for (std::size_t row = 1; row < rows; ++row)
        for (std::size_t col = 1; col < cols; ++col)
            if (rng() % 10 < 8)
                cells[row][col] = rng() % 2 ? cells[row - 1][col] : cells[row][col - 1];
    return cells;
}

std::map<std::int32_t, GeomPtr> polygons_by_label(const GeosContext& ctx,
                                                  const Raster<std::int32_t>& r)
{
    std::map<std::int32_t, GeomPtr> out;
    for (const analysis::BasinPolygon& p : analysis::label_polygons(r)) {
        EXPECT_EQ(out.count(p.label), 0u) << "label " << p.label << " twice";
        out[p.label] = geometry::from_wkb(ctx, p.wkb);
    }
    return out;
}

// The polygons of a Polygon or MultiPolygon.
std::vector<const GEOSGeometry*> polygons_of(const GeosContext& ctx, const GEOSGeometry* g)
{
    std::vector<const GEOSGeometry*> parts;
    geometry::collect_parts(ctx, g, parts);
    return parts;
}

int polygon_count(const GeosContext& ctx, const GEOSGeometry* g)
{
    return int(polygons_of(ctx, g).size());
}

int hole_count(const GeosContext& ctx, const GEOSGeometry* g)
{
    int holes = 0;
    for (const GEOSGeometry* p : polygons_of(ctx, g))
        holes += GEOSGetNumInteriorRings_r(ctx.handle(), p);
    return holes;
}

bool counter_clockwise(const GeosContext& ctx, const GEOSGeometry* ring)
{
    char ccw = 0;
    GEOSCoordSeq_isCCW_r(ctx.handle(), GEOSGeom_getCoordSeq_r(ctx.handle(), ring), &ccw);
    return ccw == 1;
}

// Shells counter-clockwise, holes clockwise.
bool ogc_orientation(const GeosContext& ctx, const GEOSGeometry* g)
{
    for (const GEOSGeometry* p : polygons_of(ctx, g)) {
        if (!counter_clockwise(ctx, GEOSGetExteriorRing_r(ctx.handle(), p)))
            return false;
        for (int h = 0; h < GEOSGetNumInteriorRings_r(ctx.handle(), p); ++h)
            if (counter_clockwise(ctx, GEOSGetInteriorRingN_r(ctx.handle(), p, h)))
                return false;
    }
    return true;
}

// The union of the squares of the label's valid cells.
GeomPtr union_of_cells(const GeosContext& ctx, const Raster<std::int32_t>& r, std::int32_t label)
{
    std::vector<GeomPtr> squares;
    std::vector<const GEOSGeometry*> refs;
    for (std::size_t row = 0; row < r.rows(); ++row)
        for (std::size_t col = 0; col < r.cols(); ++col)
            if (r(row, col) == label && r.valid(row, col)) {
                squares.push_back(geometry::box_polygon(ctx, r.grid().cell(row, col)));
                refs.push_back(squares.back().get());
            }
    return geometry::union_of(ctx, refs);
}

// The number of groups of the label's valid cells joined by their sides.
int side_joined_groups(const Raster<std::int32_t>& r, std::int32_t label)
{
    const long rows = long(r.rows()), cols = long(r.cols());
    std::vector<char> seen(r.grid().size(), 0);
    auto in = [&](long row, long col) {
        return row >= 0 && col >= 0 && row < rows && col < cols &&
               r(std::size_t(row), std::size_t(col)) == label &&
               r.valid(std::size_t(row), std::size_t(col));
    };
    int groups = 0;
    for (long row = 0; row < rows; ++row)
        for (long col = 0; col < cols; ++col) {
            if (!in(row, col) || seen[std::size_t(row * cols + col)])
                continue;
            ++groups;
            std::queue<std::pair<long, long>> q;
            q.push({ row, col });
            seen[std::size_t(row * cols + col)] = 1;
            while (!q.empty()) {
                const auto [a, b] = q.front();
                q.pop();
                const long step[4][2] = { { 0, 1 }, { 1, 0 }, { 0, -1 }, { -1, 0 } };
                for (const auto& s : step)
                    if (in(a + s[0], b + s[1]) &&
                        !seen[std::size_t((a + s[0]) * cols + b + s[1])]) {
                        seen[std::size_t((a + s[0]) * cols + b + s[1])] = 1;
                        q.push({ a + s[0], b + s[1] });
                    }
            }
        }
    return groups;
}

// The segments of every ring of @p g, each with its ends in order, added to @p count.
void count_segments(const GeosContext& ctx,
                    const GEOSGeometry* g,
                    std::map<std::array<double, 4>, int>& count)
{
    auto ring_segments = [&](const GEOSGeometry* ring) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.handle(), ring);
        unsigned n = 0;
        GEOSCoordSeq_getSize_r(ctx.handle(), seq, &n);
        for (unsigned i = 0; i + 1 < n; ++i) {
            double ax, ay, bx, by;
            GEOSCoordSeq_getXY_r(ctx.handle(), seq, i, &ax, &ay);
            GEOSCoordSeq_getXY_r(ctx.handle(), seq, i + 1, &bx, &by);
            if (std::make_pair(bx, by) < std::make_pair(ax, ay)) {
                std::swap(ax, bx);
                std::swap(ay, by);
            }
            ++count[{ ax, ay, bx, by }];
        }
    };
    for (const GEOSGeometry* p : polygons_of(ctx, g)) {
        ring_segments(GEOSGetExteriorRing_r(ctx.handle(), p));
        for (int h = 0; h < GEOSGetNumInteriorRings_r(ctx.handle(), p); ++h)
            ring_segments(GEOSGetInteriorRingN_r(ctx.handle(), p, h));
    }
}

// All labels together form an exact coverage: a border two labels share is the same
// segments in both (so each segment is in at most two rings, and the segments in only one
// ring are the outline of all labelled land).
void expect_exact_coverage(const GeosContext& ctx,
                           const std::map<std::int32_t, GeomPtr>& polygons,
                           const GEOSGeometry* all_cells)
{
    std::map<std::array<double, 4>, int> count;
    for (const auto& [label, g] : polygons)
        count_segments(ctx, g.get(), count);
    double outline = 0.0;
    for (const auto& [s, n] : count) {
        EXPECT_LE(n, 2);
        if (n == 1)
            outline += std::hypot(s[2] - s[0], s[3] - s[1]);
    }
    const GeomPtr boundary = ctx.own(GEOSBoundary_r(ctx.handle(), all_cells), "boundary");
    EXPECT_NEAR(outline, geometry::length(ctx, boundary.get()), 1e-6);
}

double symmetric_difference_area(const GeosContext& ctx,
                                 const GEOSGeometry* a,
                                 const GEOSGeometry* b)
{
    return geometry::area(ctx, geometry::difference(ctx, a, b).get()) +
           geometry::area(ctx, geometry::difference(ctx, b, a).get());
}

} // namespace

TEST(LabelPolygons, OneCellIsItsSquare)
{
    GeosContext ctx;
    const Raster<std::int32_t> r = raster_of({ { 0, 0, 0 }, { 0, 7, 0 }, { 0, 0, 0 } });
    auto p = polygons_by_label(ctx, r);
    ASSERT_EQ(p.size(), 1u);
    const GEOSGeometry* g = p.at(7).get();
    EXPECT_EQ(GEOSGeomTypeId_r(ctx.handle(), g), GEOS_POLYGON);
    EXPECT_EQ(GEOSGetNumCoordinates_r(ctx.handle(), g), 5);
    const GeomPtr square = geometry::box_polygon(ctx, r.grid().cell(1, 1));
    EXPECT_EQ(symmetric_difference_area(ctx, g, square.get()), 0.0);
    EXPECT_TRUE(ogc_orientation(ctx, g));
}

TEST(LabelPolygons, AnLShapeKeepsOnlyItsSixCorners)
{
    GeosContext ctx;
    const Raster<std::int32_t> r = raster_of({ { 1, 0, 0 }, { 1, 0, 0 }, { 1, 1, 1 } });
    auto p = polygons_by_label(ctx, r);
    EXPECT_EQ(GEOSGetNumCoordinates_r(ctx.handle(), p.at(1).get()), 7); // 6 corners + closing
    EXPECT_DOUBLE_EQ(geometry::area(ctx, p.at(1).get()), 5 * 25.0);
}

TEST(LabelPolygons, AVertexWhereTheNeighbourChanges)
{
    // The 2 x 2 square of 1 borders 2 and 3 along its right side: a vertex between them, so
    // that its border with each is the same segment as theirs.
    GeosContext ctx;
    const Raster<std::int32_t> r = raster_of({ { 1, 1, 2 }, { 1, 1, 3 } });
    auto p = polygons_by_label(ctx, r);
    EXPECT_EQ(GEOSGetNumCoordinates_r(ctx.handle(), p.at(1).get()), 6); // 5 corners + closing
    EXPECT_EQ(GEOSGetNumCoordinates_r(ctx.handle(), p.at(2).get()), 5);
    EXPECT_DOUBLE_EQ(geometry::area(ctx, p.at(1).get()), 4 * 25.0);
}

TEST(LabelPolygons, CellsMeetingAtACornerAreTwoPolygonsTouchingThere)
{
    GeosContext ctx;
    const Raster<std::int32_t> r = raster_of({ { 1, 0 }, { 0, 1 } });
    auto p = polygons_by_label(ctx, r);
    const GEOSGeometry* g = p.at(1).get();
    EXPECT_EQ(GEOSGeomTypeId_r(ctx.handle(), g), GEOS_MULTIPOLYGON);
    EXPECT_EQ(polygon_count(ctx, g), 2);
    EXPECT_TRUE(geometry::is_valid(ctx, g));
}

TEST(LabelPolygons, ARingClosedAtACornerHasAHoleTouchingItsShell)
{
    // Label 1 rings the 2 in the middle but is closed only where its cells meet at the
    // corner between the 2 and the outside 0: one polygon, one hole, touching at that corner.
    GeosContext ctx;
    const Raster<std::int32_t> r = raster_of({ { 1, 1, 1, 0 }, { 1, 2, 1, 0 }, { 1, 1, 0, 0 } });
    auto p = polygons_by_label(ctx, r);
    const GEOSGeometry* g = p.at(1).get();
    EXPECT_EQ(GEOSGeomTypeId_r(ctx.handle(), g), GEOS_POLYGON);
    EXPECT_EQ(hole_count(ctx, g), 1);
    EXPECT_TRUE(geometry::is_valid(ctx, g));
    EXPECT_DOUBLE_EQ(geometry::area(ctx, g), 7 * 25.0);
    EXPECT_EQ(symmetric_difference_area(ctx, g, union_of_cells(ctx, r, 1).get()), 0.0);
}

TEST(LabelPolygons, AnIslandInAHoleIsAPolygonOfItsOwn)
{
    GeosContext ctx;
    const Raster<std::int32_t> r = raster_of({ { 1, 1, 1, 1, 1 },
                                               { 1, 2, 2, 2, 1 },
                                               { 1, 2, 1, 2, 1 },
                                               { 1, 2, 2, 2, 1 },
                                               { 1, 1, 1, 1, 1 } });
    auto p = polygons_by_label(ctx, r);
    const GEOSGeometry* one = p.at(1).get();
    EXPECT_EQ(polygon_count(ctx, one), 2);
    EXPECT_EQ(hole_count(ctx, one), 1);
    EXPECT_TRUE(geometry::is_valid(ctx, one));
    EXPECT_DOUBLE_EQ(geometry::area(ctx, one), 17 * 25.0);
    EXPECT_EQ(hole_count(ctx, p.at(2).get()), 1);
    EXPECT_TRUE(ogc_orientation(ctx, one));
    EXPECT_TRUE(ogc_orientation(ctx, p.at(2).get()));
    EXPECT_DOUBLE_EQ(geometry::area(ctx, p.at(2).get()), 8 * 25.0);
}

TEST(LabelPolygons, AHoleOfAnIslandBelongsToTheIsland)
{
    // Label 1: a ring, inside it a ring of 2, inside that a ring of 1 around a 3. The inner
    // ring's hole lies inside both shells of label 1 and belongs to the inner one.
    GeosContext ctx;
    const Raster<std::int32_t> r = raster_of({ { 1, 1, 1, 1, 1, 1, 1 },
                                               { 1, 2, 2, 2, 2, 2, 1 },
                                               { 1, 2, 1, 1, 1, 2, 1 },
                                               { 1, 2, 1, 3, 1, 2, 1 },
                                               { 1, 2, 1, 1, 1, 2, 1 },
                                               { 1, 2, 2, 2, 2, 2, 1 },
                                               { 1, 1, 1, 1, 1, 1, 1 } });
    auto p = polygons_by_label(ctx, r);
    const GEOSGeometry* one = p.at(1).get();
    ASSERT_EQ(polygon_count(ctx, one), 2);
    for (int i = 0; i < 2; ++i)
        EXPECT_EQ(GEOSGetNumInteriorRings_r(ctx.handle(), GEOSGetGeometryN_r(ctx.handle(), one, i)),
                  1);
    EXPECT_TRUE(geometry::is_valid(ctx, one));
    EXPECT_EQ(symmetric_difference_area(ctx, one, union_of_cells(ctx, r, 1).get()), 0.0);
}

TEST(LabelPolygons, NoLabelAndMaskedCellsMakeNoPolygon)
{
    GeosContext ctx;
    Raster<std::int32_t> r = raster_of({ { 3, -1, 3 }, { 0, 0, 4 } });
    r.mask().assign(r.grid().size(), 1);
    r.mask()[5] = 0; // the 4
    auto p = polygons_by_label(ctx, r);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_DOUBLE_EQ(geometry::area(ctx, p.at(3).get()), 2 * 25.0);
}

TEST(LabelPolygons, RandomLabelsAreTheirCellsAsValidPolygons)
{
    // Few labels scattered at random: many corners where cells meet diagonally, holes, holes
    // touching shells and islands in holes.
    GeosContext ctx;
    std::mt19937 rng(11);
    for (int round = 0; round < 12; ++round) {
        const std::size_t rows = 8 + rng() % 30, cols = 8 + rng() % 30;
        std::vector<std::vector<int>> cells(rows, std::vector<int>(cols));
        const int labels = 1 + round % 4;
        for (auto& row : cells)
            for (int& v : row)
                v = int(rng() % std::uint32_t(labels + 1)); // 0..labels
        Raster<std::int32_t> r = raster_of(cells);
        if (round % 3 == 0) {
            r.mask().assign(r.grid().size(), 1);
            for (std::uint8_t& m : r.mask())
                m = rng() % 7 != 0;
        }
        const auto p = polygons_by_label(ctx, r);
        std::vector<GeomPtr> every_label;
        std::vector<const GEOSGeometry*> refs;
        for (int label = 1; label <= labels; ++label) {
            every_label.push_back(union_of_cells(ctx, r, label));
            refs.push_back(every_label.back().get());
        }
        expect_exact_coverage(ctx, p, geometry::union_of(ctx, refs).get());
        for (int label = 1; label <= labels; ++label) {
            const GeomPtr cells_union = union_of_cells(ctx, r, label);
            if (geometry::is_empty(ctx, cells_union.get())) {
                EXPECT_EQ(p.count(label), 0u);
                continue;
            }
            const GEOSGeometry* g = p.at(label).get();
            SCOPED_TRACE("round " + std::to_string(round) + ", label " + std::to_string(label));
            EXPECT_TRUE(geometry::is_valid(ctx, g));
            EXPECT_EQ(symmetric_difference_area(ctx, g, cells_union.get()), 0.0);
            EXPECT_DOUBLE_EQ(geometry::area(ctx, g), geometry::area(ctx, cells_union.get()));
            EXPECT_EQ(polygon_count(ctx, g), side_joined_groups(r, label));
            EXPECT_TRUE(ogc_orientation(ctx, g));
        }
    }
}

TEST(LabelPolygons, SameBytesForAnyThreadCount)
{
    const Raster<std::int32_t> r = raster_of(blobs(300, 200, 40, 5));
    std::vector<analysis::BasinPolygon> one;
    {
        tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
        one = analysis::label_polygons(r);
    }
    for (std::size_t threads : { 2, 8 }) {
        tbb::global_control c(tbb::global_control::max_allowed_parallelism, threads);
        const std::vector<analysis::BasinPolygon> many = analysis::label_polygons(r);
        ASSERT_EQ(many.size(), one.size());
        for (std::size_t i = 0; i < one.size(); ++i) {
            EXPECT_EQ(many[i].label, one[i].label);
            EXPECT_EQ(many[i].wkb, one[i].wkb) << "label " << one[i].label;
        }
    }
}

TEST(LabelPolygons, TheirCoverageUnionIsTheOverlayUnion)
{
    // geometry::coverage_union on polygons of neighbouring labels: the same land as the
    // overlay union, valid; also where the outline touches itself at a corner (GEOS 3.11's
    // CoverageUnion refuses some such inputs and the overlay takes over) and for polygons that
    // overlap (not a coverage at all).
    GeosContext ctx;
    const auto blob_polygons = polygons_by_label(ctx, raster_of(blobs(60, 50, 12, 9)));
    const auto corner = polygons_by_label(ctx, raster_of({ { 1, 0 }, { 0, 2 } }));
    const GeomPtr a = geometry::from_wkt(ctx, "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))");
    const GeomPtr b = geometry::from_wkt(ctx, "POLYGON((5 5, 15 5, 15 15, 5 15, 5 5))");
    std::vector<std::vector<const GEOSGeometry*>> cases = { {}, {}, { a.get(), b.get() } };
    for (const auto& [label, g] : blob_polygons)
        cases[0].push_back(g.get());
    for (const auto& [label, g] : corner)
        cases[1].push_back(g.get());
    for (const auto& parts : cases) {
        const GeomPtr fast = geometry::coverage_union(ctx, parts);
        const GeomPtr overlay = geometry::union_of(ctx, parts);
        EXPECT_TRUE(geometry::is_valid(ctx, fast.get()));
        EXPECT_EQ(symmetric_difference_area(ctx, fast.get(), overlay.get()), 0.0);
        EXPECT_DOUBLE_EQ(geometry::area(ctx, fast.get()), geometry::area(ctx, overlay.get()));
    }
}

TEST(LabelPolygons, TilesGiveEachLabelItsLandAsAnExactCoverage)
{
    // Labels kept in tiles (hydrology/tiled.h): each tile traced with its neighbours' ring and
    // a label's pieces united give the same land as the whole raster's polygons, valid, with
    // as many polygons as side-joined groups, and all labels still an exact coverage.
    GeosContext ctx;
    const Raster<std::int32_t> r = raster_of(blobs(47, 61, 9, 21));
    const auto whole = polygons_by_label(ctx, r);
    for (std::size_t side : { 1u, 4u, 13u, 30u }) {
        SCOPED_TRACE("tile side " + std::to_string(side));
        const TileLayout layout(r.rows(), r.cols(), side);
        TiledRaster<std::int32_t> tiles(layout, memory_tile_storage, 0);
        for (std::size_t t = 0; t < layout.tiles(); ++t) {
            const CellBox b = layout.box(t);
            std::vector<std::int32_t> values;
            for (std::size_t row = b.r0; row < b.r1; ++row)
                for (std::size_t col = b.c0; col < b.c1; ++col)
                    values.push_back(r(row, col));
            tiles.write(t, values);
        }
        std::map<std::int32_t, GeomPtr> tiled;
        for (const analysis::BasinPolygon& p : analysis::label_polygons(r.grid(), tiles))
            tiled.emplace(p.label, geometry::from_wkb(ctx, p.wkb));
        ASSERT_EQ(tiled.size(), whole.size());
        std::vector<const GEOSGeometry*> refs;
        for (const auto& [label, g] : whole) {
            SCOPED_TRACE("label " + std::to_string(label));
            const GEOSGeometry* t = tiled.at(label).get();
            EXPECT_TRUE(geometry::is_valid(ctx, t));
            EXPECT_EQ(symmetric_difference_area(ctx, t, g.get()), 0.0);
            EXPECT_EQ(polygon_count(ctx, t), side_joined_groups(r, label));
            EXPECT_TRUE(ogc_orientation(ctx, t));
            refs.push_back(g.get());
        }
        expect_exact_coverage(ctx, tiled, geometry::union_of(ctx, refs).get());
    }
}
