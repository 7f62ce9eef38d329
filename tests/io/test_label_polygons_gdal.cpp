// analysis::label_polygons against the polygons of GDAL's Polygonize (8-connected, as landel
// used before it polygonized itself): per label the same land, to the square millimetre, on
// random labels and on the basins of the real Winterswijk AHN. GDAL keeps cells that meet at a
// corner in one polygon whose ring touches itself, which GEOS calls invalid; it is repaired
// (make_valid) before the comparison, and landel's own polygons must be valid as they are.

#include "landel/analysis/delineation/label_polygons.h"
#include "landel/analysis/hydrology/hydrology.h"
#include "landel/geometry/geos_context.h"
#include "landel/geometry/ops.h"
#include "landel/io/raster_source.h"

#include <gdal_alg.h>
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <map>
#include <random>

using namespace landel;
using geometry::GeomPtr;
using geometry::GeosContext;
namespace fs = std::filesystem;

namespace {

// Per label, the union of GDAL's polygons of it (each repaired when invalid).
std::map<std::int32_t, GeomPtr> gdal_polygons(const GeosContext& ctx, const Raster<std::int32_t>& r)
{
    GDALAllRegister();
    const Grid& g = r.grid();
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDatasetUniquePtr ds(mem->Create("", int(g.cols()), int(g.rows()), 2, GDT_Int32, nullptr));
    double gt[6] = { g.extent().xmin, g.dx(), 0.0, g.extent().ymax, 0.0, -g.dy() };
    ds->SetGeoTransform(gt);
    std::vector<std::int32_t> values = r.values(), keep(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        keep[i] = values[i] > 0 && (r.mask().empty() || r.mask()[i]);
    for (int b = 1; b <= 2; ++b)
        EXPECT_EQ(ds->GetRasterBand(b)->RasterIO(GF_Write,
                                                 0,
                                                 0,
                                                 int(g.cols()),
                                                 int(g.rows()),
                                                 b == 1 ? values.data() : keep.data(),
                                                 int(g.cols()),
                                                 int(g.rows()),
                                                 GDT_Int32,
                                                 0,
                                                 0),
                  CE_None);
    GDALDriver* memv = GetGDALDriverManager()->GetDriverByName("Memory");
    GDALDatasetUniquePtr vds(memv->Create("", 0, 0, 0, GDT_Unknown, nullptr));
    OGRLayer* layer = vds->CreateLayer("labels", nullptr, wkbPolygon, nullptr);
    OGRFieldDefn field("label", OFTInteger);
    layer->CreateField(&field);
    char* options[] = { const_cast<char*>("8CONNECTED=8"), nullptr };
    EXPECT_EQ(GDALPolygonize(ds->GetRasterBand(1),
                             ds->GetRasterBand(2),
                             OGRLayer::ToHandle(layer),
                             0,
                             options,
                             nullptr,
                             nullptr),
              CE_None);
    std::map<std::int32_t, std::vector<GeomPtr>> parts;
    layer->ResetReading();
    for (OGRFeatureUniquePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        std::string wkb(std::size_t(f->GetGeometryRef()->WkbSize()), '\0');
        f->GetGeometryRef()->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(wkb.data()));
        parts[f->GetFieldAsInteger(0)].push_back(geometry::polygonal_from_wkb(ctx, wkb));
    }
    std::map<std::int32_t, GeomPtr> out;
    for (auto& [label, ps] : parts) {
        std::vector<const GEOSGeometry*> refs;
        for (const GeomPtr& p : ps)
            refs.push_back(p.get());
        out[label] = geometry::union_of(ctx, refs);
    }
    return out;
}

// Every label's polygons equal GDAL's land (the largest symmetric difference, m², returned).
double largest_difference_from_gdal(const Raster<std::int32_t>& r, std::size_t& labels)
{
    GeosContext ctx;
    std::map<std::int32_t, GeomPtr> gdal = gdal_polygons(ctx, r);
    const std::vector<analysis::BasinPolygon> own = analysis::label_polygons(r);
    EXPECT_EQ(own.size(), gdal.size());
    labels = own.size();
    double largest = 0.0;
    for (const analysis::BasinPolygon& p : own) {
        const GeomPtr g = geometry::from_wkb(ctx, p.wkb);
        EXPECT_TRUE(geometry::is_valid(ctx, g.get())) << "label " << p.label;
        EXPECT_EQ(gdal.count(p.label), 1u) << "label " << p.label;
        if (!gdal.count(p.label))
            continue;
        const GEOSGeometry* other = gdal[p.label].get();
        const double d = geometry::area(ctx, geometry::difference(ctx, g.get(), other).get()) +
                         geometry::area(ctx, geometry::difference(ctx, other, g.get()).get());
        largest = std::max(largest, d);
        EXPECT_NEAR(geometry::area(ctx, g.get()), geometry::area(ctx, other), 1e-6)
          << "label " << p.label;
    }
    return largest;
}

} // namespace

TEST(LabelPolygonsVsGdal, RandomLabelsCoverWhatGdalPolygonizeCovers)
{
    std::mt19937 rng(3);
    for (int round = 0; round < 6; ++round) {
        const std::size_t rows = 20 + rng() % 60, cols = 20 + rng() % 60;
        const Grid g(
          Box{ 233000.0, 443000.0, 233000.0 + 5.0 * cols, 443000.0 + 5.0 * rows }, 5.0, 5.0);
        Raster<std::int32_t> r(g, 0);
        for (std::int32_t& v : r.values())
            v = std::int32_t(rng() % std::uint32_t(2 + round)); // 0 .. round + 1
        if (round % 2)
            for (std::size_t i = 1; i < r.values().size(); ++i)
                if (rng() % 4)
                    r.values()[i] = r.values()[i - 1]; // runs
        r.mask().assign(g.size(), 1);
        for (std::uint8_t& m : r.mask())
            m = rng() % 9 != 0;
        std::size_t labels = 0;
        EXPECT_LT(largest_difference_from_gdal(r, labels), 1e-6) << "round " << round;
        EXPECT_GE(labels, 1u);
    }
}

TEST(LabelPolygonsVsGdal, TheBasinsOfTheRealWinterswijkAhn)
{
    const fs::path dem = fs::path(LANDEL_SOURCE_DIR) /
                         "../shared/data/real/achterhoek-wrij-ahn/derived/dtm_5m_filled_m.tif";
    if (!fs::exists(dem))
        GTEST_SKIP() << "no real data at " << dem;
    const io::Crs crs = io::Crs::from_user_input("EPSG:28992", "test");
    io::RasterSource src(dem, "areas.dem", crs);
    namespace hy = analysis::hydrology;
    const Raster<std::uint8_t> dirs =
      hy::flow_directions(hy::fill_depressions(src.read_values(src.info().grid)));
    hy::Basins basins =
      hy::delineate_basins(dirs, hy::flow_accumulation(dirs), 20000.0, hy::BasinMode::Links);
    hy::merge_small_basins(basins, 800); // 2 ha of 5 m cells
    std::size_t labels = 0;
    EXPECT_LT(largest_difference_from_gdal(basins.labels, labels), 1e-6);
    EXPECT_GT(labels, 100u);
}
