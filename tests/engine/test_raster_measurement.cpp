// The raster pass of measure(), with in-memory rasters: figures derived by hand from the
// cells, nesting grids against their upsampled equivalent, and invariance to threads and
// chunking.

#include "landel/analysis/measurement/measurement.h"
#include "landel/core/error.h"
#include "wkt.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <sstream>

using namespace landel;
using namespace landel::analysis;
using test::square;
using test::wkb;

namespace {

/// A raster held in memory; reads outside it give invalid cells.
class MemoryReader : public ClassReader
{
public:
    explicit MemoryReader(const Raster<std::int32_t>& r)
      : m_r(r)
    {
    }
    Raster<std::int32_t> read(const Grid& window) override
    {
        Raster<std::int32_t> out(window, 0);
        out.mask().assign(window.size(), 0);
        const Grid& g = m_r.grid();
        for (std::size_t r = 0; r < window.rows(); ++r)
            for (std::size_t c = 0; c < window.cols(); ++c) {
                const long gc = g.col_of(window.x_centre(c)), gr = g.row_of(window.y_centre(r));
                if (gc < 0 || gr < 0 || gc >= long(g.cols()) || gr >= long(g.rows()))
                    continue;
                out(r, c) = m_r(std::size_t(gr), std::size_t(gc));
                out.mask()[r * window.cols() + c] = m_r.valid(std::size_t(gr), std::size_t(gc));
            }
        return out;
    }

private:
    const Raster<std::int32_t>& m_r;
};

template<class Layer>
Layer layer(const std::string& label, const Raster<std::int32_t>& data, std::size_t block = 1)
{
    Layer l;
    l.label = label;
    l.grid = data.grid();
    l.block_rows = l.block_cols = block;
    const Raster<std::int32_t>* p = &data;
    l.open = [p] { return std::make_unique<MemoryReader>(*p); };
    return l;
}

/// Rows given north to south as strings of digits; '.' is nodata.
Raster<std::int32_t> raster(double x0,
                            double y_top,
                            double cell,
                            const std::vector<std::string>& rows)
{
    const Grid g(
      Box{ x0, y_top - cell * double(rows.size()), x0 + cell * double(rows[0].size()), y_top },
      cell,
      cell);
    Raster<std::int32_t> r(g, 0);
    r.mask().assign(g.size(), 1);
    for (std::size_t i = 0; i < rows.size(); ++i)
        for (std::size_t j = 0; j < rows[i].size(); ++j) {
            if (rows[i][j] == '.')
                r.mask()[i * g.cols() + j] = 0;
            else
                r(i, j) = rows[i][j] - '0';
        }
    return r;
}

MeasureRequest base(std::vector<std::string> types)
{
    MeasureRequest r;
    r.areas_label = "areas";
    r.types = std::move(types);
    r.milestones = { { 2030, 0.05 }, { 2050, 0.10 } };
    AreaFeature a;
    a.id = "A";
    // 0..40 x 0..30, shifted by half a cell of 10 m: every border cell is half covered.
    a.wkb = wkb("POLYGON((5 5, 45 5, 45 35, 5 35, 5 5))");
    r.areas = { a };
    return r;
}

} // namespace

TEST(RasterMeasurement, ClassesNodataAndOutsideByHand)
{
    // 5 x 4 cells of 10 m over 0..50 x 0..40; the area 5..45 x 5..35 lies inside.
    const Raster<std::int32_t> lc = raster(0, 40, 10, { "11223", "1.223", "44223", "44220" });
    MeasureRequest r = base({ "wood", "pond" });
    auto src = layer<RasterElementSource>("lc", lc);
    src.class_types = { { 1, 0 }, { 2, 1 } }; // 1 = wood, 2 = pond
    auto mask = layer<RasterMaskSource>("built", lc);
    mask.classes = { 4 };
    mask.group = 0;
    r.mask_groups = { "built" };
    r.raster_sources = { src };
    r.raster_masks = { mask };
    const AreaMeasure a = measure(r).areas.at(0);
    // Coverage per cell: corners 1/4, edges 1/2, inner cells 1 (of 100 m²).
    // Row 0: 1(¼) 1(½) 2(½) 2(½) 3(¼). Row 1: 1(½) .(1) 2(1) 2(1) 3(½).
    // Row 2: 4(½) 4(1) 2(1) 2(1) 3(½). Row 3: 4(¼) 4(½) 2(½) 2(½) 0(¼).
    EXPECT_NEAR(a.area_ha, 0.12, 1e-12);
    EXPECT_NEAR(a.type_ha[0], (25 + 50 + 50) / 1e4, 1e-12);                              // wood
    EXPECT_NEAR(a.type_ha[1], (50 + 50 + 100 + 100 + 100 + 100 + 50 + 50) / 1e4, 1e-12); // pond
    EXPECT_NEAR(a.nodata_ha, 100 / 1e4, 1e-12);
    EXPECT_NEAR(a.excl_ha[0], (50 + 100 + 25 + 50) / 1e4, 1e-12);
    EXPECT_NEAR(a.masked_ha, a.excl_ha[0], 1e-12);
    EXPECT_NEAR(a.rural_ha, a.area_ha - a.masked_ha - a.nodata_ha, 1e-12);
    EXPECT_NEAR(a.element_ha, a.type_ha[0] + a.type_ha[1], 1e-15);
    // The rural land's geometry is the vector one: raster-masked and nodata cells stay in it.
    EXPECT_NEAR(test::wkb_area(a.rural_wkb), a.area_ha * 1e4, 1e-9);
}

TEST(RasterMeasurement, AreaBeyondTheRasterIsNodata)
{
    const Raster<std::int32_t> lc = raster(0, 40, 10, { "111", "111", "111", "111" }); // 0..30
    MeasureRequest r = base({ "wood" });
    auto src = layer<RasterElementSource>("lc", lc);
    src.class_types = { { 1, 0 } };
    r.raster_sources = { src };
    const MeasureResult res = measure(r);
    const AreaMeasure& a = res.areas.at(0);
    EXPECT_NEAR(a.nodata_ha, 15.0 * 30.0 / 1e4, 1e-12); // x 30..45 lies outside
    EXPECT_NEAR(a.type_ha[0], 25.0 * 30.0 / 1e4, 1e-12);
    EXPECT_NEAR(a.rural_ha, a.type_ha[0], 1e-12);
    bool warned = false;
    for (const std::string& w : res.warnings)
        warned |= w.find("does not cover the whole of area(s) A") != std::string::npos;
    EXPECT_TRUE(warned);
}

TEST(RasterMeasurement, VectorTypesBeforeAndAfterARasterType)
{
    // All wood; a 2 m wide hedge along y = 20 and a pond square 10..20 x 10..20.
    const Raster<std::int32_t> lc = raster(0, 40, 10, { "11111", "11111", "11111", "11111" });
    MeasureRequest r = base({ "pond", "wood", "hedge" });
    auto src = layer<RasterElementSource>("lc", lc);
    src.class_types = { { 1, 1 } };
    r.raster_sources = { src };
    ElementFeature hedge;
    hedge.wkb = wkb("LINESTRING(0 20, 50 20)");
    hedge.width_m = 2.0;
    hedge.type = 2;
    ElementFeature pond;
    pond.wkb = wkb(square(10, 10, 10));
    pond.type = 0;
    r.sources = { { "vectors", { hedge, pond }, {} } };
    const AreaMeasure a = measure(r).areas.at(0);
    EXPECT_NEAR(a.type_ha[0], 100 / 1e4, 1e-12);          // the pond ranks before the wood
    EXPECT_NEAR(a.type_ha[1], (1200 - 100) / 1e4, 1e-12); // wood takes the rest
    EXPECT_NEAR(a.type_ha[2], 0.0, 1e-12);                // the hedge ranks after it
    EXPECT_NEAR(a.element_ha, a.rural_ha, 1e-12);
    // Its owned geometry is cut away with the cells it lost.
    EXPECT_TRUE(a.owned_wkb[2].empty());
    EXPECT_NEAR(test::wkb_area(a.owned_wkb[0]), 100.0, 1e-9);
}

TEST(RasterMeasurement, NestedCoarseRasterEqualsItsUpsampledCopy)
{
    // A 20 m mask raster over a 10 m element raster, and the same mask at 10 m.
    const Raster<std::int32_t> fine = raster(0, 40, 10, { "12121", "21212", "12121", "21212" });
    const Raster<std::int32_t> coarse = raster(0, 40, 20, { "390", "093" });
    const Raster<std::int32_t> upsampled =
      raster(0, 40, 10, { "339900", "339900", "009933", "009933" });
    auto run = [&](const Raster<std::int32_t>& m) {
        MeasureRequest r = base({ "wood", "pond" });
        auto src = layer<RasterElementSource>("fine", fine);
        src.class_types = { { 1, 0 }, { 2, 1 } };
        auto mask = layer<RasterMaskSource>("mask", m);
        mask.classes = { 9 };
        r.raster_sources = { src };
        r.raster_masks = { mask };
        return measure(r);
    };
    const MeasureResult a = run(coarse), b = run(upsampled);
    for (const MeasureResult* res : { &a, &b })
        for (const std::string& w : res->warnings)
            EXPECT_EQ(w.find("do not nest"), std::string::npos) << w;
    EXPECT_DOUBLE_EQ(a.areas[0].rural_ha, b.areas[0].rural_ha);
    EXPECT_DOUBLE_EQ(a.areas[0].type_ha[0], b.areas[0].type_ha[0]);
    EXPECT_DOUBLE_EQ(a.areas[0].type_ha[1], b.areas[0].type_ha[1]);
    EXPECT_GT(a.areas[0].masked_ha, 0.0);
}

TEST(RasterMeasurement, GridsThatDoNotNestAreSampledAtCentresWithAWarning)
{
    const Raster<std::int32_t> fine = raster(0, 40, 10, { "11111", "11111", "11111", "11111" });
    // 20 m cells shifted by 3 m: not nested in the 10 m grid.
    const Raster<std::int32_t> shifted = raster(-3, 43, 20, { "999", "000", "000" });
    MeasureRequest r = base({ "wood" });
    auto src = layer<RasterElementSource>("fine", fine);
    src.class_types = { { 1, 0 } };
    auto mask = layer<RasterMaskSource>("shifted", shifted);
    mask.classes = { 9 };
    r.raster_sources = { src };
    r.raster_masks = { mask };
    const MeasureResult res = measure(r);
    bool warned = false;
    for (const std::string& w : res.warnings)
        warned |= w.find("shifted") != std::string::npos && w.find("nearest") != std::string::npos;
    EXPECT_TRUE(warned);
    // The shifted mask's first row (y 23..43) holds the centres (y 35 and 25) of the fine rows
    // y 20..40, so those are masked whole: 40 x 15 m of the area (an exact overlay would
    // give 40 x 12 m).
    EXPECT_NEAR(res.areas[0].masked_ha, 600 / 1e4, 1e-12);
}

TEST(RasterMeasurement, NodataOnlyElementRasterIsAnError)
{
    const Raster<std::int32_t> empty = raster(0, 40, 10, { ".....", ".....", ".....", "....." });
    MeasureRequest r = base({ "wood" });
    auto src = layer<RasterElementSource>("elements[1] ('empty.tif')", empty);
    src.class_types = { { 1, 0 } };
    r.raster_sources = { src };
    try {
        measure(r);
        FAIL() << "no error";
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("empty.tif"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("only nodata"), std::string::npos);
    }
}

TEST(RasterMeasurement, IdenticalForAnyThreadCountAndChunking)
{
    // 300 x 200 cells of 1 m with a pattern, three areas, a vector hedge network and a
    // vector mask, measured with 1 and 2 threads and with small and large chunks.
    const Grid g(Box{ 0, 0, 300, 200 }, 1.0, 1.0);
    Raster<std::int32_t> lc(g, 0);
    lc.mask().assign(g.size(), 1);
    for (std::size_t r = 0; r < g.rows(); ++r)
        for (std::size_t c = 0; c < g.cols(); ++c) {
            lc(r, c) = std::int32_t((r * 7 + c * 13 + (r * c) % 5) % 6);
            if ((r + c) % 97 == 0)
                lc.mask()[r * g.cols() + c] = 0;
        }
    auto run = [&](int threads, std::size_t budget) {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                  std::size_t(threads));
        MeasureRequest r;
        r.areas_label = "areas";
        r.types = { "pond", "hedge", "wood" };
        r.milestones = { { 2030, 0.05 } };
        for (int i = 0; i < 3; ++i) {
            AreaFeature a;
            a.id = std::to_string(i);
            a.wkb = wkb("POLYGON((" + std::to_string(10.3 + i * 95) + " 3.7, " +
                        std::to_string(105.1 + i * 95) + " 8.2, " + std::to_string(99.9 + i * 95) +
                        " 197.4, " + std::to_string(12.5 + i * 95) + " 190.1, " +
                        std::to_string(10.3 + i * 95) + " 3.7))");
            r.areas.push_back(a);
        }
        ElementFeature h;
        h.wkb = wkb("MULTILINESTRING((0 50.5, 300 60.2), (150.3 0, 140.7 200))");
        h.width_m = 3.0;
        h.type = 1;
        r.sources = { { "hedges", { h }, {} } };
        r.masks = { { "yards", -1, { wkb("POLYGON((60 60, 90 60, 90 90, 60 90, 60 60))") }, {} } };
        auto src = layer<RasterElementSource>("lc", lc, 16);
        src.class_types = { { 1, 0 }, { 2, 2 }, { 3, 2 } };
        auto mask = layer<RasterMaskSource>("lc-built", lc, 16);
        mask.classes = { 5 };
        r.raster_sources = { src };
        r.raster_masks = { mask };
        r.raster_memory_bytes = budget;
        return measure(r);
    };
    const MeasureResult one = run(1, 16u << 20), two = run(2, 16u << 20), big = run(2, 1u << 30);
    for (std::size_t i = 0; i < one.areas.size(); ++i) {
        const AreaMeasure &a = one.areas[i], &b = two.areas[i], &c = big.areas[i];
        EXPECT_EQ(a.rural_ha, b.rural_ha);
        EXPECT_EQ(a.nodata_ha, b.nodata_ha);
        EXPECT_EQ(a.element_ha, b.element_ha);
        EXPECT_EQ(a.type_ha, b.type_ha);
        EXPECT_EQ(a.owned_wkb, b.owned_wkb);
        // Other chunk sizes only change the order of additions.
        EXPECT_NEAR(a.rural_ha, c.rural_ha, 1e-9 * a.rural_ha);
        EXPECT_NEAR(a.element_ha, c.element_ha, 1e-9 * a.element_ha);
        EXPECT_NEAR(a.area_ha, a.rural_ha + a.masked_ha + a.nodata_ha, 1e-9);
    }
    EXPECT_EQ(one.density.values(), two.density.values());
}

TEST(RasterMeasurement, PlanQuantitiesLeaveRemovedCells)
{
    // Column x 10..20 is built (masked), cell x 30..40, y 10..20 has no data.
    const Raster<std::int32_t> lc = raster(0, 40, 10, { "09000", "09000", "090.0", "09000" });
    MeasureRequest r = base({ "hedge", "tree", "wood" });
    auto src = layer<RasterElementSource>("lc", lc);
    src.class_types = { { 7, 2 } };
    auto mask = layer<RasterMaskSource>("built", lc);
    mask.classes = { 9 };
    r.raster_sources = { src };
    r.raster_masks = { mask };
    ElementFeature hedge;
    hedge.wkb = wkb("LINESTRING(0 20.5, 50 20.5)"); // 40 m in the area, 10 m of it built
    hedge.width_m = 1.0;
    hedge.type = 0;
    ElementFeature diagonal;
    diagonal.wkb = wkb("LINESTRING(30 10, 40 20)"); // wholly in the nodata cell
    diagonal.width_m = 1.0;
    diagonal.type = 0;
    ElementFeature built_tree, nodata_tree, kept_tree, split_trees;
    built_tree.wkb = wkb("POINT(15 25)");
    nodata_tree.wkb = wkb("POINT(35 15)");
    kept_tree.wkb = wkb("POINT(25 25)");
    split_trees.wkb = wkb("MULTIPOINT((15 30), (25 30))"); // one point kept: still counted
    for (ElementFeature* t : { &built_tree, &nodata_tree, &kept_tree, &split_trees }) {
        t->type = 1;
        t->width_m = 2.0;
    }
    r.sources = {
        { "vectors", { hedge, diagonal, built_tree, nodata_tree, kept_tree, split_trees }, {} }
    };
    const AreaMeasure a = measure(r).areas.at(0);
    EXPECT_NEAR(a.type_length_m[0], 30.0, 1e-9);
    EXPECT_EQ(a.type_count[1], 2);
    // The hedge strip lost its built part: 30 m x 1 m remain. The diagonal strip's flat ends
    // reach 0.125 m² triangles into three kept cells (the fourth lies in the hedge strip).
    EXPECT_NEAR(a.type_ha[0] * 1e4, 30.0 + 3 * 0.125, 1e-9);
    EXPECT_NEAR(test::wkb_area(a.owned_wkb[0]), a.type_ha[0] * 1e4, 1e-9);
}

TEST(RasterMeasurement, TinyHolesAndPartsAtRealCoordinatesAreExact)
{
    // 0.1 m cells of wood at RD New coordinates. Area A: a 3 x 3 cell square with a 1 mm²
    // hole (given clockwise, then counter-clockwise); area B: 100 squares of 1 mm². All their
    // rural land is wood, to 1e-12 m²: a shoelace on absolute coordinates counted the hole as
    // land (element area above rural land) and lost three quarters of B's parts.
    const double x0 = 155000.0, y0 = 463000.0;
    const Raster<std::int32_t> lc = raster(
      x0, y0 + 0.5, 0.1, { "1111111111", "1111111111", "1111111111", "1111111111", "1111111111" });
    const auto ring = [](double x, double y, double w, double h, bool ccw) {
        std::ostringstream s;
        s.precision(17);
        const double x1 = x + w, y1 = y + h;
        if (ccw)
            s << "(" << x << " " << y << "," << x1 << " " << y << "," << x1 << " " << y1 << "," << x
              << " " << y1 << "," << x << " " << y << ")";
        else
            s << "(" << x << " " << y << "," << x << " " << y1 << "," << x1 << " " << y1 << ","
              << x1 << " " << y << "," << x << " " << y << ")";
        return s.str();
    };
    std::string parts;
    for (int i = 0; i < 10; ++i)
        for (int j = 0; j < 10; ++j)
            parts += std::string(i + j ? "," : "") + "(" +
                     ring(x0 + 0.6123 + 0.0137 * i, y0 + 0.1456 + 0.0137 * j, 1e-3, 1e-3, true) +
                     ")";
    for (bool ccw_hole : { false, true }) {
        MeasureRequest r = base({ "wood" });
        r.areas[0].wkb = wkb("POLYGON(" + ring(x0 + 0.1, y0 + 0.1, 0.3, 0.3, true) + "," +
                             ring(x0 + 0.2227, y0 + 0.2561, 1e-3, 1e-3, ccw_hole) + ")");
        AreaFeature b;
        b.id = "B";
        b.wkb = wkb("MULTIPOLYGON(" + parts + ")");
        r.areas.push_back(b);
        auto src = layer<RasterElementSource>("lc", lc);
        src.class_types = { { 1, 0 } };
        r.raster_sources = { src };
        const MeasureResult res = measure(r);
        for (const AreaMeasure& a : res.areas) {
            EXPECT_NEAR(a.rural_ha, a.area_ha, 1e-16) << a.id;
            EXPECT_NEAR(a.type_ha[0], a.rural_ha, 1e-16) << a.id << (ccw_hole ? " ccw" : " cw");
            EXPECT_NEAR(a.element_ha, a.type_ha[0], 1e-20) << a.id;
        }
        EXPECT_NEAR(res.areas[0].area_ha, (0.09 - 1e-6) / 1e4, 1e-9 / 1e4);
        EXPECT_NEAR(res.areas[1].area_ha, 1e-4 / 1e4, 1e-9 / 1e4);
    }
}

TEST(RasterMeasurement, LostCellsLeaveNoSliversOfOwnedGeometry)
{
    // 0.1 m wood cells at RD New coordinates; a hedge ranked after wood, inside the wood,
    // loses every cell it covers. Its owned geometry is cut away whole: with cell boxes whose
    // edges were computed two ways (x_left + dx, or the next x_left) it kept slivers of
    // ~6e-11 m between neighbouring rows and runs (3e-10 m² in 753 bytes of WKB here).
    const double x0 = 155000.0, y0 = 463000.0;
    const Raster<std::int32_t> lc =
      raster(x0 + 0.03, y0 + 2.03, 0.1, std::vector<std::string>(20, std::string(20, '1')));
    MeasureRequest r = base({ "wood", "hedge" });
    r.areas[0].wkb = wkb(square(x0 + 0.031, y0 + 0.031, 1.99));
    auto src = layer<RasterElementSource>("lc", lc);
    src.class_types = { { 1, 0 } };
    r.raster_sources = { src };
    ElementFeature hedge;
    hedge.wkb = wkb("LINESTRING(155000.1 463000.1, 155001.9 463001.93)");
    hedge.width_m = 0.5;
    hedge.type = 1;
    r.sources = { { "vectors", { hedge }, {} } };
    const AreaMeasure a = measure(r).areas.at(0);
    EXPECT_EQ(a.type_ha[1], 0.0);
    EXPECT_TRUE(a.owned_wkb[1].empty()) << test::wkb_area(a.owned_wkb[1]) << " m² left";
    EXPECT_NEAR(a.type_ha[0], a.rural_ha, 1e-16);
}

TEST(RasterMeasurement, PiecesOnTheWholeRunsFrameAddUpToTheWholeRun)
{
    // 1,000 x 600 cells of 1 m in blocks of 16, six areas side by side whose borders cut
    // through density cells of 25 m, measured whole and as two pieces {0, 2, 4} and
    // {1, 3, 5} on the whole run's frame (raster_frame_extent) with small chunks: the pieces'
    // raster sums added up give the whole run's density raster bit for bit, its cells read
    // and coverage passes, and every area the whole run's figures bit for bit.
    const Grid g(Box{ 0, 0, 1000, 600 }, 1.0, 1.0);
    Raster<std::int32_t> lc(g, 0);
    lc.mask().assign(g.size(), 1);
    for (std::size_t r = 0; r < g.rows(); ++r)
        for (std::size_t c = 0; c < g.cols(); ++c) {
            lc(r, c) = std::int32_t((r / 3 * 7 + c / 4 * 13 + (r * c) % 5) % 6);
            if ((r + c) % 89 == 0)
                lc.mask()[r * g.cols() + c] = 0;
        }
    std::vector<AreaFeature> all;
    for (int i = 0; i < 6; ++i) {
        AreaFeature a;
        a.id = std::to_string(i);
        const double x0 = 3.3 + i * 161.7, x1 = 3.3 + (i + 1) * 161.7;
        a.wkb = wkb("POLYGON((" + std::to_string(x0) + " 2.1, " + std::to_string(x1) + " 4.9, " +
                    std::to_string(x1) + " 597.2, " + std::to_string(x0) + " 590.8, " +
                    std::to_string(x0) + " 2.1))");
        all.push_back(a);
    }
    Box all_env{ 3.3, 2.1, 3.3 + 6 * 161.7, 597.2 };
    auto run = [&](const std::vector<std::size_t>& keep, bool piece) {
        MeasureRequest r;
        r.areas_label = "areas";
        r.types = { "pond", "hedge", "wood" };
        r.milestones = { { 2030, 0.05 } };
        for (std::size_t i : keep)
            r.areas.push_back(all[i]);
        ElementFeature h;
        h.wkb = wkb("MULTILINESTRING((0 50.5, 1000 60.2), (450.3 0, 440.7 600))");
        h.width_m = 3.0;
        h.type = 1;
        r.sources = { { "hedges", { h }, {} } };
        r.masks = {
            { "yards", -1, { wkb("POLYGON((160 60, 190 60, 190 90, 160 90, 160 60))") }, {} }
        };
        auto src = layer<RasterElementSource>("lc", lc, 16);
        src.class_types = { { 1, 0 }, { 2, 2 }, { 3, 2 } };
        auto mask = layer<RasterMaskSource>("lc-built", lc, 16);
        mask.classes = { 5 };
        r.raster_sources = { src };
        r.raster_masks = { mask };
        r.raster_memory_bytes = 16u << 20; // chunks of 2^16 cells: about ten
        r.raster_frame_extent = all_env;
        r.keep_raster_sums = piece;
        r.density_cell_m = 25.0;
        return measure(r);
    };
    const MeasureResult whole = run({ 0, 1, 2, 3, 4, 5 }, false);
    MeasureResult even = run({ 0, 2, 4 }, true);
    const MeasureResult odd = run({ 1, 3, 5 }, true);
    ASSERT_GT(even.raster_sums.chunks.size(), 4u);
    EXPECT_TRUE(even.density.grid().empty()) << "a piece leaves the density raster to the merge";

    EXPECT_TRUE(even.warnings.empty()) << "a piece leaves the warnings on raster data to the merge";
    RasterPassSums sums = even.raster_sums;
    sums.add(odd.raster_sums);
    sums.add(RasterPassSums()); // nothing changes
    // The merge: every area in run order, the pieces' raster reports, the sums applied.
    MeasureResult merged = even;
    merged.areas.clear();
    for (std::size_t k = 0; k < 3; ++k) {
        merged.areas.push_back(even.areas[k]);
        merged.areas.push_back(odd.areas[k]);
    }
    merged.raster_element_reports[0].inside_rural_land |=
      odd.raster_element_reports[0].inside_rural_land;
    apply_raster_sums(sums, merged);
    EXPECT_EQ(merged.warnings, whole.warnings);
    ASSERT_EQ(whole.warnings.size(), 1u);
    EXPECT_EQ(whole.warnings[0].rfind("the raster element sources have no data for part of area(s) "
                                      "0 (",
                                      0),
              0u)
      << whole.warnings[0];
    ASSERT_FALSE(whole.density.grid().empty());
    const Box &ea = merged.density.grid().extent(), &eb = whole.density.grid().extent();
    EXPECT_EQ(ea.xmin, eb.xmin);
    EXPECT_EQ(ea.ymax, eb.ymax);
    EXPECT_EQ(merged.density.grid().size(), whole.density.grid().size());
    EXPECT_EQ(merged.density.values(), whole.density.values());
    EXPECT_EQ(merged.density.mask(), whole.density.mask());
    for (std::size_t l = 0; l < 2; ++l) {
        const SourceReport& a =
          l == 0 ? merged.raster_mask_reports[0] : merged.raster_element_reports[0];
        const SourceReport& b =
          l == 0 ? whole.raster_mask_reports[0] : whole.raster_element_reports[0];
        EXPECT_EQ(a.cells_read, b.cells_read);
        EXPECT_EQ(a.valid_cells, b.valid_cells);
    }
    EXPECT_EQ(merged.raster_notes, whole.raster_notes);
    for (std::size_t k = 0; k < 3; ++k)
        for (const auto& [piece, at] : std::vector<std::pair<const MeasureResult*, std::size_t>>{
               { &even, 2 * k }, { &odd, 2 * k + 1 } }) {
            const AreaMeasure &a = piece->areas[k], &b = whole.areas[at];
            EXPECT_EQ(a.rural_ha, b.rural_ha);
            EXPECT_EQ(a.nodata_ha, b.nodata_ha);
            EXPECT_EQ(a.type_ha, b.type_ha);
            EXPECT_EQ(a.owned_wkb, b.owned_wkb);
        }

    // The density raster holds the element area: its cells times their area add up to the
    // areas' element hectares (float cells: 1e-6).
    double density_m2 = 0.0, element_m2 = 0.0;
    const Raster<float>& d = whole.density;
    for (std::size_t j = 0; j < d.grid().size(); ++j)
        if (d.mask()[j])
            density_m2 += double(d.values()[j]) * d.grid().cell_area();
    for (const AreaMeasure& a : whole.areas)
        element_m2 += a.element_ha * 1e4;
    EXPECT_NEAR(density_m2, element_m2, 1e-6 * element_m2);
}

TEST(RasterMeasurement, RasterSumsOfDifferentGridsAreNotAdded)
{
    RasterPassSums a, b;
    a.density.grid = Grid(Box{ 0, 0, 100, 100 }, 25, 25);
    a.density.unit_m2 = 1.0;
    a.density.rows = a.density.cols = 1;
    a.density.element = a.density.covered = { 1 };
    b.density = a.density;
    b.density.grid = Grid(Box{ 0, 0, 100, 100 }, 20, 20);
    EXPECT_THROW(a.add(b), InvalidArgument);
    b.density = a.density;
    b.density.col0 = 3;
    b.chunks = { { 7, { 5 }, { 4 } } };
    a.chunks = { { 7, { 5 }, { 4 } }, { 9, { 1 }, { 1 } } };
    a.add(b);
    EXPECT_EQ(a.density.cols, 4u);
    EXPECT_EQ(a.density.element, (std::vector<std::int64_t>{ 1, 0, 0, 1 }));
    ASSERT_EQ(a.chunks.size(), 2u) << "chunk 7, read by both, is counted once";
    EXPECT_EQ(a.chunks[0].chunk, 7u);
    EXPECT_EQ(a.chunks[1].chunk, 9u);
}
