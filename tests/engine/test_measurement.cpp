#include "landel/analysis/measurement/measurement.h"
#include "landel/core/error.h"
#include "wkt.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>

using namespace landel;
using namespace landel::analysis;
using test::square;
using test::wkb;

namespace {

AreaFeature area(const std::string& id, const std::string& wkt)
{
    AreaFeature a;
    a.id = id;
    a.wkb = wkb(wkt);
    return a;
}

ElementFeature feature(const std::string& wkt, int type, double width = NAN, std::int64_t fid = 1)
{
    ElementFeature f;
    f.wkb = wkb(wkt);
    f.type = type;
    f.width_m = width;
    f.fid = fid;
    return f;
}

MeasureRequest base(std::vector<std::string> types)
{
    MeasureRequest r;
    r.areas_label = "areas";
    r.types = std::move(types);
    r.milestones = { { 2030, 0.05 }, { 2050, 0.10 } };
    return r;
}

} // namespace

TEST(Measurement, HedgeInOneHectareIsTwoPercent)
{
    MeasureRequest r = base({ "hedge" });
    r.areas = { area("A", square(0, 0, 100)) };
    r.sources = { { "hedges", { feature("LINESTRING(0 50, 100 50)", 0, 2.0) }, {} } };
    const MeasureResult res = measure(r);
    const AreaMeasure& a = res.areas.at(0);
    EXPECT_NEAR(a.area_ha, 1.0, 1e-12);
    EXPECT_NEAR(a.rural_ha, 1.0, 1e-12);
    EXPECT_NEAR(a.element_ha, 0.02, 1e-12);
    EXPECT_NEAR(*a.targets.share_pct, 2.0, 1e-9);
    EXPECT_NEAR(a.type_length_m[0], 100.0, 1e-9);
    EXPECT_EQ(a.targets.status, "below_2030");
    EXPECT_NEAR(a.targets.gap_ha[0], 0.05 - 0.02, 1e-12);
}

TEST(Measurement, OverlapCountsOnceAndGoesToTheFirstType)
{
    // A 10 m x 100 m wood and a 2 m hedge crossing it: the 2 x 10 m overlap belongs to the
    // wood when wood ranks first, to the hedge when hedge ranks first; the union is the same.
    for (const bool wood_first : { true, false }) {
        MeasureRequest r =
          wood_first ? base({ "small_wood", "hedge" }) : base({ "hedge", "small_wood" });
        const int wood = wood_first ? 0 : 1, hedge = wood_first ? 1 : 0;
        r.areas = { area("A", square(0, 0, 100)) };
        r.sources = { { "woods", { feature("POLYGON((45 0,55 0,55 100,45 100,45 0))", wood) }, {} },
                      { "hedges", { feature("LINESTRING(0 50, 100 50)", hedge, 2.0) }, {} } };
        const AreaMeasure a = measure(r).areas.at(0);
        EXPECT_NEAR(a.element_ha * 1e4, 1000.0 + 200.0 - 20.0, 1e-6);
        EXPECT_NEAR(a.type_ha[std::size_t(wood)] * 1e4, wood_first ? 1000.0 : 980.0, 1e-6);
        EXPECT_NEAR(a.type_ha[std::size_t(hedge)] * 1e4, wood_first ? 180.0 : 200.0, 1e-6);
        EXPECT_NEAR(test::wkb_area(a.owned_wkb[std::size_t(wood)]) +
                      test::wkb_area(a.owned_wkb[std::size_t(hedge)]),
                    a.element_ha * 1e4,
                    1e-6);
    }
}

TEST(Measurement, CircleOfTenMetres)
{
    MeasureRequest r = base({ "solitary_tree" });
    r.areas = { area("A", square(0, 0, 100)) };
    r.sources = { { "trees", { feature("POINT(50 50)", 0, 10.0) }, {} } };
    const AreaMeasure a = measure(r).areas.at(0);
    EXPECT_LT(std::abs(a.element_ha * 1e4 - 78.54) / 78.54, 0.0005);
    EXPECT_EQ(a.type_count[0], 1);
}

TEST(Measurement, MaxPatchDropsLargeWoodsKeepsPairsAndSplitPatches)
{
    MeasureRequest r = base({ "small_wood" });
    // Two areas side by side, 400 m x 400 m each, sharing x = 400.
    r.areas = { area("W", square(0, 0, 400)), area("E", square(400, 0, 400)) };
    std::vector<ElementFeature> woods{
        feature("POLYGON((10 10,210 10,210 110,10 110,10 10))", 0, NAN, 1),  // 2 ha: dropped
        feature("POLYGON((10 200,70 200,70 300,10 300,10 200))", 0, NAN, 2), // 0.6 ha
        feature(
          "POLYGON((70 200,130 200,130 300,70 300,70 200))", 0, NAN, 3), // 0.6 ha, shares edge
        feature("POLYGON((340 200,460 200,460 300,340 300,340 200))",
                0,
                NAN,
                4), // 1.2 ha over the border
    };
    r.sources = { { "woods", woods, 1.5 } };
    const MeasureResult res = measure(r);
    const AreaMeasure& w = res.areas.at(0);
    const AreaMeasure& e = res.areas.at(1);
    EXPECT_NEAR(w.element_ha, 1.2 + 0.6, 1e-9); // pair + west half of the split patch
    EXPECT_NEAR(e.element_ha, 0.6, 1e-9);       // east half
    EXPECT_EQ(res.element_reports.at(0).dropped_patches, 1u);
    EXPECT_NEAR(res.element_reports.at(0).dropped_patch_ha, 2.0, 1e-9);
}

TEST(Measurement, SplitPatchIsJudgedWhole)
{
    // 2 x 0.9 ha on both sides of an area border: 1.8 ha together, dropped in both areas even
    // though each area only sees 0.9 ha.
    MeasureRequest r = base({ "small_wood" });
    r.areas = { area("W", square(0, 0, 400)), area("E", square(400, 0, 400)) };
    r.sources = {
        { "woods", { feature("POLYGON((310 0,490 0,490 100,310 100,310 0))", 0) }, 1.5 }
    };
    const MeasureResult res = measure(r);
    EXPECT_EQ(res.areas[0].element_ha, 0.0);
    EXPECT_EQ(res.areas[1].element_ha, 0.0);
}

TEST(Measurement, RuralExclusionLowersTheDenominator)
{
    MeasureRequest r = base({ "hedge" });
    r.areas = { area("A", square(0, 0, 100)) };
    r.mask_groups = { "built" };
    // 0.25 ha farmyard in a corner; the hedge runs through it for 50 m.
    r.masks = { { "yards", 0, { wkb(square(0, 0, 50)) }, {} } };
    r.sources = { { "hedges", { feature("LINESTRING(0 25, 100 25)", 0, 2.0) }, {} } };
    const AreaMeasure a = measure(r).areas.at(0);
    EXPECT_NEAR(a.rural_ha, 0.75, 1e-12);
    EXPECT_NEAR(a.excl_ha.at(0), 0.25, 1e-12);
    EXPECT_NEAR(a.masked_ha, 0.25, 1e-12);
    EXPECT_NEAR(a.element_ha * 1e4, 100.0, 1e-6); // only the 50 m outside the yard
    EXPECT_NEAR(*a.targets.share_pct, 100.0 * 0.01 / 0.75, 1e-9);
    EXPECT_NEAR(a.type_length_m[0], 50.0, 1e-9);
    // The rural land's geometry: the area minus the yard, 0.75 ha, none of it in the yard.
    EXPECT_NEAR(test::wkb_area(a.rural_wkb), 7500.0, 1e-6);
    geometry::GeosContext ctx;
    const geometry::GeomPtr yard = geometry::from_wkt(ctx, square(0, 0, 50));
    const geometry::GeomPtr rural = geometry::from_wkb(ctx, a.rural_wkb);
    EXPECT_NEAR(
      geometry::area(ctx, geometry::intersection(ctx, rural.get(), yard.get()).get()), 0.0, 1e-9);
}

TEST(Measurement, OverlappingMasksAreUnitedButReportedAlone)
{
    MeasureRequest r = base({ "hedge" });
    r.areas = { area("A", square(0, 0, 100)) };
    r.mask_groups = { "built", "roads" };
    r.masks = { { "yards", 0, { wkb(square(0, 0, 50)) }, {} },
                { "roads", 1, { wkb("POLYGON((0 40,100 40,100 50,0 50,0 40))") }, {} } };
    r.sources = { { "hedges", { feature("LINESTRING(0 90, 100 90)", 0, 2.0) }, {} } };
    const AreaMeasure a = measure(r).areas.at(0);
    EXPECT_NEAR(a.excl_ha[0], 0.25, 1e-12);
    EXPECT_NEAR(a.excl_ha[1], 0.10, 1e-12);
    EXPECT_NEAR(a.masked_ha, 0.25 + 0.05, 1e-12); // the 500 m^2 overlap counts once
    EXPECT_NEAR(a.rural_ha, 0.70, 1e-12);
}

namespace {

/// Woods over two 400 m x 400 m areas W = [0,400] x [0,400] and E = [400,800] x [0,400]:
///  (a) a square of 2 ha in W: turned 45°, diagonals of 200 m (area 200²/2 m²);
///  (b) a square of 0.5 ha in W: turned 45°, diagonals of 100 m (area 100²/2 m²);
///  (c) two 60 m x 100 m rectangles (0.6 ha each) sharing the edge x = 400, the area border:
///      one 1.2 ha patch, half in W, half in E;
///  (d) one MultiPolygon feature in E: two 60 m x 100 m rectangles (0.6 ha each; a square
///      of 0.6 ha has no rational side) touching only at (560, 300): two 0.6 ha patches.
MeasureRequest woods_as_mask(std::optional<double> min_patch_ha)
{
    MeasureRequest r = base({ "hedge" });
    r.areas = { area("W", square(0, 0, 400)), area("E", square(400, 0, 400)) };
    r.sources = { { "hedges", {}, {} } };
    r.mask_groups = { "woods" };
    MaskSource woods;
    woods.label = "woods";
    woods.group = 0;
    woods.wkb = { wkb("POLYGON((100 0,200 100,100 200,0 100,100 0))"),
                  wkb("POLYGON((300 250,350 300,300 350,250 300,300 250))"),
                  wkb("POLYGON((340 100,400 100,400 200,340 200,340 100))"),
                  wkb("POLYGON((400 100,460 100,460 200,400 200,400 100))"),
                  wkb("MULTIPOLYGON(((500 200,560 200,560 300,500 300,500 200)),"
                      "((560 300,620 300,620 400,560 400,560 300)))") };
    woods.min_patch_ha = min_patch_ha;
    r.masks = { woods };
    return r;
}

constexpr double area_ha = 400.0 * 400.0 / 1e4;
constexpr double a_ha = 200.0 * 200.0 / 2.0 / 1e4;
constexpr double b_ha = 100.0 * 100.0 / 2.0 / 1e4;
constexpr double rect_ha = 60.0 * 100.0 / 1e4; // each half of (c), each part of (d)

} // namespace

TEST(Measurement, MinPatchMasksOnlyLargePatches)
{
    // min_patch_ha = 1: (a) 2 ha and (c) 1.2 ha mask, (b) 0.5 ha and the two 0.6 ha patches
    // of (d) do not. (c) is judged whole: each area holds only 0.6 ha of it, yet it masks.
    const MeasureResult res = measure(woods_as_mask(1.0));
    const AreaMeasure& w = res.areas.at(0);
    const AreaMeasure& e = res.areas.at(1);
    EXPECT_NEAR(w.masked_ha, a_ha + rect_ha, 1e-9); // (a) + west half of (c)
    EXPECT_NEAR(w.excl_ha.at(0), a_ha + rect_ha, 1e-9);
    EXPECT_NEAR(w.rural_ha, area_ha - (a_ha + rect_ha), 1e-9);
    EXPECT_NEAR(e.masked_ha, rect_ha, 1e-9); // east half of (c)
    EXPECT_NEAR(e.excl_ha.at(0), rect_ha, 1e-9);
    EXPECT_NEAR(e.rural_ha, area_ha - rect_ha, 1e-9);
    const SourceReport& report = res.mask_reports.at(0);
    EXPECT_EQ(report.features, 5u);
    EXPECT_EQ(report.patches, 5u);         // (a), (b), (c), two of (d)
    EXPECT_EQ(report.dropped_patches, 2u); // the patches that mask: (a), (c)
    EXPECT_NEAR(report.dropped_patch_ha, a_ha + 2 * rect_ha, 1e-9);
}

TEST(Measurement, MinPatchIsIdenticalForAnyThreadCountAndInputOrder)
{
    MeasureResult one, eight, reversed;
    {
        tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
        one = measure(woods_as_mask(1.0));
    }
    {
        tbb::global_control c(tbb::global_control::max_allowed_parallelism, 8);
        eight = measure(woods_as_mask(1.0));
        MeasureRequest r = woods_as_mask(1.0);
        std::reverse(r.masks[0].wkb.begin(), r.masks[0].wkb.end());
        reversed = measure(r);
    }
    for (const MeasureResult* other : { &eight, &reversed }) {
        for (std::size_t i = 0; i < one.areas.size(); ++i) {
            EXPECT_EQ(one.areas[i].rural_ha, other->areas[i].rural_ha) << "area " << i;
            EXPECT_EQ(one.areas[i].masked_ha, other->areas[i].masked_ha);
            EXPECT_EQ(one.areas[i].excl_ha, other->areas[i].excl_ha);
        }
        EXPECT_EQ(one.mask_reports[0].dropped_patch_ha, other->mask_reports[0].dropped_patch_ha);
    }
}

TEST(Measurement, WithoutMinPatchEveryMaskPolygonMasks)
{
    const MeasureResult res = measure(woods_as_mask(std::nullopt));
    const AreaMeasure& w = res.areas.at(0);
    const AreaMeasure& e = res.areas.at(1);
    EXPECT_NEAR(w.masked_ha, a_ha + b_ha + rect_ha, 1e-9); // (a), (b), west half of (c)
    EXPECT_NEAR(w.excl_ha.at(0), a_ha + b_ha + rect_ha, 1e-9);
    EXPECT_NEAR(w.rural_ha, area_ha - (a_ha + b_ha + rect_ha), 1e-9);
    EXPECT_NEAR(e.masked_ha, rect_ha + 2 * rect_ha, 1e-9); // east half of (c), (d)
    EXPECT_NEAR(e.excl_ha.at(0), 3 * rect_ha, 1e-9);
    EXPECT_NEAR(e.rural_ha, area_ha - 3 * rect_ha, 1e-9);
    const SourceReport& report = res.mask_reports.at(0);
    EXPECT_EQ(report.patches, 0u);
    EXPECT_EQ(report.dropped_patches, 0u);
    EXPECT_EQ(report.dropped_patch_ha, 0.0);
}

TEST(Measurement, AreaWithoutRuralLand)
{
    MeasureRequest r = base({ "hedge" });
    r.areas = { area("town", square(0, 0, 100)), area("farm", square(100, 0, 100)) };
    r.mask_groups = { "built" };
    r.masks = { { "town", 0, { wkb(square(-10, -10, 120)) }, {} } };
    r.sources = { { "hedges", { feature("LINESTRING(0 50, 200 50)", 0, 2.0) }, {} } };
    const MeasureResult res = measure(r);
    EXPECT_EQ(res.areas[0].targets.status, "no_rural_land");
    EXPECT_FALSE(res.areas[0].targets.share_pct.has_value());
    EXPECT_EQ(res.areas[0].element_ha, 0.0);
    EXPECT_TRUE(res.areas[1].targets.share_pct.has_value());
}

TEST(Measurement, LineWithoutWidthIsAnErrorNamingTheFeature)
{
    MeasureRequest r = base({ "hedge" });
    r.areas = { area("A", square(0, 0, 100)) };
    r.sources = { { "hedges.gpkg", { feature("LINESTRING(0 50, 100 50)", 0, NAN, 42) }, {} } };
    try {
        measure(r);
        FAIL() << "expected an error";
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("hedges.gpkg"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("feature 42"), std::string::npos);
    }
    r.sources[0].features[0].width_m = -1.0;
    EXPECT_THROW(measure(r), InvalidArgument);
}

TEST(Measurement, BadAreasAreErrorsNamingThem)
{
    MeasureRequest r = base({ "hedge" });
    r.sources = { { "hedges", {}, {} } };
    r.areas = { area("A", square(0, 0, 100)), area("A", square(100, 0, 100)) };
    EXPECT_THROW(measure(r), InvalidArgument);
    r.areas = { area("A", square(0, 0, 100)), area("Z", "POLYGON((0 0,10 0,20 0,0 0))") };
    try {
        measure(r);
        FAIL();
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("Z"), std::string::npos);
    }
    r.areas = { area("L", "LINESTRING(0 0, 1 1)") };
    try {
        measure(r);
        FAIL();
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("not polygons"), std::string::npos);
    }
}

TEST(Measurement, AbsurdCoordinatesAreErrorsNamingTheFeature)
{
    // Found fuzzing: GEOS 3.11 crashed buffering this hedge (a vertex at y = 6e307).
    MeasureRequest r = base({ "hedge" });
    r.areas = { area("A", square(0, 0, 100)) };
    r.sources = { { "hedges.gpkg", { feature("LINESTRING(0 50, 100 6e307)", 0, 2.0, 42) }, {} } };
    auto message = [&] {
        try {
            measure(r);
        } catch (const InvalidArgument& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message().find("hedges.gpkg: feature 42 has a coordinate that is not a number or "
                             "beyond"),
              std::string::npos)
      << message();
    r.sources[0].features[0] = feature("LINESTRING(0 50, 100 50)", 0, 2.0, 42);
    r.areas = { area("A", square(0, 0, 100)), area("B", square(0, 0, 2e15)) };
    EXPECT_NE(message().find("area B (feature -1) has a coordinate"), std::string::npos)
      << message();
    r.areas = { area("A", square(0, 0, 100)) };
    r.mask_groups = { "built" };
    r.masks = {
        { "yards.gpkg", 0, { wkb(square(0, 0, 10)), wkb("POLYGON((0 0,1 0,1 NaN,0 0))") }, {} }
    };
    EXPECT_NE(message().find("yards.gpkg: geometry #2 has a coordinate"), std::string::npos)
      << message();
    // An empty point is POINT(NaN NaN) in WKB: no coordinate, no error.
    r.masks.clear();
    r.sources[0].features.push_back(feature("POINT EMPTY", 0, 2.0, 43));
    EXPECT_EQ(message(), "no error");
    // A 3,000 km area (another CRS's units) would need a 115 GB density raster at 25 m.
    r.areas = { area("A", square(0, 0, 3e6)) };
    EXPECT_NE(message().find("the element density raster would have 1.44e+10 cells of 25 m"),
              std::string::npos)
      << message();
    // Found fuzzing: a sliver 8.6e10 m long and 2e-320 m high is one row of 3.4e9 cells,
    // which passed the earlier limit of 2^32 cells and exhausted memory.
    r.areas = { area("A", "POLYGON((0 0,90112 0,85899345920 2e-320,0 0))") };
    EXPECT_NE(message().find("the element density raster would have 3.44e+09 cells of 25 m"),
              std::string::npos)
      << message();
    // 2^28 cells is the limit (16384 x 16384 cells of 1 m would be allowed, with 10 GiB of
    // working memory); one more column is refused before anything is measured.
    r.density_cell_m = 1.0;
    r.areas = { area("A", "POLYGON((0 0,16385 0,16385 16384,0 16384,0 0))") };
    EXPECT_NE(message().find("would have 2.68e+08 cells of 1 m"), std::string::npos) << message();
}

TEST(Measurement, NumericallyDegenerateAreaIsRefusedNotMismeasured)
{
    // Found fuzzing: a shell whose vertices lie 1e-307 m apart (two zero-width slivers along
    // the axes) and a self-crossing hole. After make-valid, GEOS's intersection gave the whole
    // 200 m² hedge strip at y = 50 to an area of 190 m² lying between y = 20 and 40.
    MeasureRequest r = base({ "hedge" });
    r.areas = { area("A",
                     "POLYGON((0.0 0.0,100.0 0.0,5.5626846462680035e-307 3.339904666259235e-308,"
                     "2.052270357844852e-289 416.0,0.0 0.0),(20.0 20.0,20.0 40.0,40.0 40.0,"
                     "2.0 20.00103759765625,20.0 20.0))") };
    r.sources = { { "hedges", { feature("LINESTRING(0 50, 100 50)", 0, 2.0) }, {} } };
    try {
        const MeasureResult res = measure(r);
        // Were GEOS to get it right one day: then the figures must add up.
        EXPECT_LE(res.areas[0].element_ha, res.areas[0].rural_ha * (1 + 1e-9));
    } catch (const GeometryError& e) {
        EXPECT_NE(
          std::string(e.what()).find("areas: area A (feature -1): the geometry operations gave"),
          std::string::npos)
          << e.what();
    }
}

TEST(Measurement, BowTieAreaIsRepairedAndCounted)
{
    MeasureRequest r = base({ "hedge" });
    r.areas = { area("bow", "POLYGON((0 0,100 100,100 0,0 100,0 0))") };
    r.sources = { { "hedges", {}, {} } };
    const MeasureResult res = measure(r);
    EXPECT_EQ(res.areas_report.repaired, 1u);
    EXPECT_NEAR(res.areas[0].area_ha * 1e4, 5000.0, 1e-6); // two triangles of 2500 m^2
}

TEST(Measurement, OverlappingAreasAreReported)
{
    MeasureRequest r = base({ "hedge" });
    r.areas = { area("A", square(0, 0, 100)),
                area("B", square(50, 0, 100)),
                area("C", square(150, 0, 100)) };
    r.sources = { { "hedges", {}, {} } };
    const MeasureResult res = measure(r);
    ASSERT_EQ(res.overlapping_areas.size(), 1u); // B and C only share an edge
    EXPECT_EQ(res.overlapping_areas[0], std::make_pair(std::string("A"), std::string("B")));
}

namespace {

/// A random landscape: many overlapping hedges, woods and trees over 4 areas.
MeasureRequest random_case(unsigned seed,
                           bool shuffle,
                           std::size_t tile_max,
                           std::size_t tile_max_vertices = 2000)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1000.0);
    MeasureRequest r = base({ "pond", "small_wood", "hedge", "solitary_tree" });
    r.tile_max_shapes = tile_max;
    r.tile_max_vertices = tile_max_vertices;
    r.areas = { area("1", square(0, 0, 500)),
                area("2", square(500, 0, 500)),
                area("3", square(0, 500, 500)),
                area("4", square(500, 500, 500)) };
    r.mask_groups = { "built" };
    r.masks = { { "yards", 0, {}, {} } };
    for (int i = 0; i < 30; ++i)
        r.masks[0].wkb.push_back(wkb(square(u(rng), u(rng), 20)));
    ElementSource lines{ "lines", {}, {} }, woods{ "woods", {}, 1.0 }, trees{ "trees", {}, {} };
    for (int i = 0; i < 300; ++i) {
        const double x = u(rng), y = u(rng);
        lines.features.push_back(feature("LINESTRING(" + std::to_string(x) + " " +
                                           std::to_string(y) + "," + std::to_string(x + 60) + " " +
                                           std::to_string(y + 15) + "," + std::to_string(x + 80) +
                                           " " + std::to_string(y + 70) + ")",
                                         2,
                                         1.5 + (i % 4),
                                         i));
    }
    for (int i = 0; i < 120; ++i)
        woods.features.push_back(
          feature(square(u(rng), u(rng), 30 + (i % 5) * 10), i % 7 == 0 ? 0 : 1, NAN, i));
    for (int i = 0; i < 300; ++i)
        trees.features.push_back(feature(
          "POINT(" + std::to_string(u(rng)) + " " + std::to_string(u(rng)) + ")", 3, 8.0, i));
    r.sources = { lines, woods, trees };
    if (shuffle) {
        std::mt19937 s(seed + 1);
        for (auto& src : r.sources)
            std::shuffle(src.features.begin(), src.features.end(), s);
        std::shuffle(r.masks[0].wkb.begin(), r.masks[0].wkb.end(), s);
    }
    return r;
}

void expect_identical(const MeasureResult& a, const MeasureResult& b)
{
    ASSERT_EQ(a.areas.size(), b.areas.size());
    for (std::size_t i = 0; i < a.areas.size(); ++i) {
        EXPECT_EQ(a.areas[i].element_ha, b.areas[i].element_ha) << "area " << i;
        EXPECT_EQ(a.areas[i].rural_ha, b.areas[i].rural_ha);
        EXPECT_EQ(a.areas[i].type_ha, b.areas[i].type_ha);
        EXPECT_EQ(a.areas[i].type_length_m, b.areas[i].type_length_m);
        EXPECT_EQ(a.areas[i].owned_wkb, b.areas[i].owned_wkb);
    }
}

} // namespace

TEST(Measurement, IdenticalForAnyThreadCount)
{
    MeasureResult one, eight;
    {
        tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
        one = measure(random_case(7, false, 4000));
    }
    {
        tbb::global_control c(tbb::global_control::max_allowed_parallelism, 8);
        eight = measure(random_case(7, false, 4000));
    }
    expect_identical(one, eight);
}

TEST(Measurement, IdenticalForAnyInputOrder)
{
    expect_identical(measure(random_case(11, false, 4000)), measure(random_case(11, true, 4000)));
}

void expect_tiles_agree(const MeasureResult& whole, const MeasureResult& tiled)
{
    for (std::size_t i = 0; i < whole.areas.size(); ++i) {
        EXPECT_NEAR(whole.areas[i].element_ha, tiled.areas[i].element_ha, 1e-9);
        for (std::size_t t = 0; t < whole.areas[i].type_ha.size(); ++t)
            EXPECT_NEAR(whole.areas[i].type_ha[t], tiled.areas[i].type_ha[t], 1e-9);
        EXPECT_NEAR(test::wkb_area(whole.areas[i].owned_wkb[2]),
                    test::wkb_area(tiled.areas[i].owned_wkb[2]),
                    1e-4);
    }
}

TEST(Measurement, TilesAgreeWithWholeAreas)
{
    // Tiling cuts the rural land into boxes; the sums must agree to round-off.
    expect_tiles_agree(measure(random_case(5, false, 100000, 1000000)),
                       measure(random_case(5, false, 20)));
}

TEST(Measurement, LandWithManyVerticesIsTiledAndAgrees)
{
    // The 30 yards cut holes into the rural land; a limit of 8 vertices splits every area with a
    // hole in its land down the quadtree, and the figures must not notice.
    const MeasureResult whole = measure(random_case(5, false, 100000, 1000000));
    const MeasureResult tiled = measure(random_case(5, false, 100000, 8));
    expect_tiles_agree(whole, tiled);
    MeasureResult one;
    {
        tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
        one = measure(random_case(5, false, 100000, 8));
    }
    expect_identical(one, tiled);
    // The owned geometry of each type is one valid MultiPolygon whose area is the figure.
    const geometry::GeosContext ctx;
    for (const AreaMeasure& a : tiled.areas)
        for (std::size_t t = 0; t < a.owned_wkb.size(); ++t) {
            if (a.owned_wkb[t].empty())
                continue;
            const geometry::GeomPtr g = geometry::from_wkb(ctx, a.owned_wkb[t]);
            EXPECT_TRUE(geometry::is_valid(ctx, g.get())) << a.id << " type " << t;
            EXPECT_NEAR(geometry::area(ctx, g.get()) / 1e4, a.type_ha[t], 1e-9);
        }
}
