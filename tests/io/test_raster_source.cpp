#include "landel/analysis/measurement/cell_coverage.h"
#include "landel/analysis/measurement/zonal_classes.h"
#include "landel/geometry/ops.h"
#include "landel/io/error.h"
#include "landel/io/raster_source.h"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <vector>

using namespace landel;
namespace fs = std::filesystem;

namespace {

/// A 7 x 5 Byte GeoTIFF at (1000, 2000) with 10 m cells; value = (row * 7 + col) % 4, where
/// 0 is nodata. Optionally rotated or in another CRS.
fs::path make_tiff(const std::string& name, bool rotated = false, int epsg = 28992)
{
    io::initialise_gdal();
    const fs::path path = fs::temp_directory_path() / ("landel-" + name + ".tif");
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDatasetUniquePtr ds(drv->Create(path.string().c_str(), 7, 5, 1, GDT_Byte, nullptr));
    double gt[6] = { 1000, 10, rotated ? 0.5 : 0.0, 2000, 0.0, -10 };
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.importFromEPSG(epsg);
    ds->SetSpatialRef(&srs);
    std::vector<std::uint8_t> v(35);
    for (int i = 0; i < 35; ++i)
        v[std::size_t(i)] = std::uint8_t(i % 4);
    ds->GetRasterBand(1)->SetNoDataValue(0);
    if (ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, 7, 5, v.data(), 7, 5, GDT_Byte, 0, 0) !=
        CE_None)
        throw std::runtime_error("cannot write test raster");
    return path;
}

const io::Crs& rd()
{
    static const io::Crs crs = io::Crs::from_user_input("EPSG:28992", "test");
    return crs;
}

} // namespace

TEST(RasterSource, ReadsWindowsWithTheNodataMask)
{
    io::RasterSource src(make_tiff("plain"), "elements[1]", rd());
    const Grid& g = src.info().grid;
    EXPECT_EQ(g.cols(), 7u);
    EXPECT_EQ(g.rows(), 5u);
    EXPECT_DOUBLE_EQ(g.extent().ymin, 1950.0);
    EXPECT_FALSE(src.info().all_valid);

    const Grid window = g.crop(Box{ 1020, 1960, 1050, 1990 }); // cols 2..4, rows 1..3
    const Raster<std::int32_t> r = src.read_classes(window);
    ASSERT_EQ(r.cols(), 3u);
    ASSERT_EQ(r.rows(), 3u);
    for (std::size_t row = 0; row < 3; ++row)
        for (std::size_t col = 0; col < 3; ++col) {
            const int value = int(((row + 1) * 7 + col + 2) % 4);
            EXPECT_EQ(r(row, col), value);
            EXPECT_EQ(r.valid(row, col), value != 0);
        }
}

TEST(RasterSource, WindowsReachingBeyondTheRasterAreInvalidThere)
{
    io::RasterSource src(make_tiff("beyond"), "elements[1]", rd());
    const Grid& g = src.info().grid;                            // x 1000..1070, y 1950..2000
    const Grid window = g.cover(Box{ 1050, 1930, 1090, 2010 }); // 4 x 8 cells, half outside
    const Raster<std::int32_t> r = src.read_classes(window);
    ASSERT_EQ(r.cols(), 4u);
    ASSERT_EQ(r.rows(), 8u);
    for (std::size_t row = 0; row < 8; ++row)
        for (std::size_t col = 0; col < 4; ++col) {
            const long gr = long(row) - 1, gc = long(col) + 5; // raster row / column
            const bool inside = gr >= 0 && gr < 5 && gc < 7;
            const int value = inside ? int((gr * 7 + gc) % 4) : 0;
            EXPECT_EQ(r.valid(row, col), inside && value != 0) << row << " " << col;
            if (inside) {
                EXPECT_EQ(r(row, col), value);
            }
        }
    // Wholly outside: every cell invalid.
    const Raster<std::int32_t> away = src.read_classes(g.cover(Box{ 2000, 3000, 2010, 3010 }));
    for (std::uint8_t m : away.mask())
        EXPECT_EQ(m, 0);
}

TEST(RasterSource, ClassAreasEqualAnIndependentPerCellOverlay)
{
    io::RasterSource src(make_tiff("zonal"), "elements[1]", rd());
    const Raster<std::int32_t> r = src.read_classes(src.info().grid);
    geometry::GeosContext ctx;
    auto poly =
      geometry::from_wkt(ctx,
                         "POLYGON((1003 1953, 1066 1958, 1049 1997, 1012 1989, 1003 1953),"
                         "(1030 1970, 1040 1970, 1035 1980, 1030 1970))");
    const analysis::ClassAreas got =
      analysis::zonal_class_areas(analysis::coverage_fractions(ctx, poly.get(), r.grid()), r);

    // Independent: GEOS intersection of the polygon with every cell.
    std::map<std::int64_t, double> expected;
    double nodata = 0.0;
    for (std::size_t row = 0; row < r.rows(); ++row)
        for (std::size_t col = 0; col < r.cols(); ++col) {
            auto cell = geometry::box_polygon(ctx, r.grid().cell(row, col));
            const double a =
              geometry::area(ctx, geometry::intersection(ctx, poly.get(), cell.get()).get());
            if (a == 0.0)
                continue;
            if (r.valid(row, col))
                expected[r(row, col)] += a;
            else
                nodata += a;
        }
    ASSERT_EQ(got.by_class.size(), expected.size());
    for (const auto& [code, a] : expected)
        EXPECT_NEAR(got.by_class.at(code), a, 1e-9 * a) << "class " << code;
    EXPECT_NEAR(got.nodata, nodata, 1e-9 * nodata);
    EXPECT_NEAR(got.valid_total() + got.nodata, geometry::area(ctx, poly.get()), 1e-8);
}

TEST(RasterSource, RotatedRasterIsAnErrorNamingIt)
{
    try {
        io::RasterSource src(make_tiff("rotated", true), "elements[2]", rd());
        FAIL();
    } catch (const io::IoError& e) {
        EXPECT_NE(std::string(e.what()).find("rotated"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("landel-rotated.tif"), std::string::npos);
    }
}

TEST(RasterSource, OtherCrsIsAnErrorNamingBoth)
{
    try {
        io::RasterSource src(make_tiff("wgs", false, 4326), "elements[3]", rd());
        FAIL();
    } catch (const io::IoError& e) {
        EXPECT_NE(std::string(e.what()).find("EPSG:4326"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("EPSG:28992"), std::string::npos) << e.what();
    }
}

TEST(RasterSource, CorruptFileIsAnErrorNamingIt)
{
    const fs::path p = fs::temp_directory_path() / "landel-corrupt.tif";
    std::ofstream(p, std::ios::binary) << "II*\0this is not a tiff";
    EXPECT_THROW(io::RasterSource(p, "elements[4]", rd()), io::IoError);
}

namespace {

/// A one-row Float32 GeoTIFF holding @p values, with @p nodata as its nodata value.
fs::path make_float_tiff(const std::string& name, const std::vector<float>& values, double nodata)
{
    io::initialise_gdal();
    const fs::path path = fs::temp_directory_path() / ("landel-" + name + ".tif");
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
    const int n = int(values.size());
    GDALDatasetUniquePtr ds(drv->Create(path.string().c_str(), n, 1, 1, GDT_Float32, nullptr));
    double gt[6] = { 1000, 10, 0.0, 2000, 0.0, -10 };
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.importFromEPSG(28992);
    ds->SetSpatialRef(&srs);
    ds->GetRasterBand(1)->SetNoDataValue(nodata);
    std::vector<float> v = values;
    if (ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, n, 1, v.data(), n, 1, GDT_Float32, 0, 0) !=
        CE_None)
        throw std::runtime_error("cannot write test raster");
    return path;
}

/// GDAL's own nodata mask of a raster's first band: 1 valid, 0 nodata.
std::vector<std::uint8_t> gdal_mask(const fs::path& path)
{
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.string().c_str(), GDAL_OF_RASTER));
    GDALRasterBand* band = ds->GetRasterBand(1);
    const int w = band->GetXSize(), h = band->GetYSize();
    std::vector<std::uint8_t> m(std::size_t(w) * std::size_t(h));
    if (band->GetMaskBand()->RasterIO(GF_Read, 0, 0, w, h, m.data(), w, h, GDT_Byte, 0, 0) !=
        CE_None)
        throw std::runtime_error("cannot read the mask");
    for (std::uint8_t& v : m)
        v = v != 0;
    return m;
}

/// Values at and around @p nodata, a few units of float rounding away on either side, and
/// others.
std::vector<float> around(float nodata)
{
    std::vector<float> v{ 0.0f, 1.0f, -1.0f, 1e30f };
    if (std::isnan(nodata)) {
        v.push_back(nodata);
        v.push_back(std::numeric_limits<float>::infinity());
        return v;
    }
    v.push_back(nodata);
    for (float toward :
         { std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity() }) {
        float z = nodata;
        for (int step = 1; step <= 6; ++step) {
            z = std::nextafter(z, toward);
            v.push_back(z);
        }
    }
    v.push_back(std::nanf(""));
    return v;
}

} // namespace

TEST(RasterSource, Float32NodataIsWhatGdalsMaskBandSays)
{
    // landel tells Float32 nodata from the values it read instead of reading GDAL's mask band
    // (which decodes every block again); the two must agree on every value, also those a
    // rounding unit or two from the nodata value, which GDAL counts as nodata.
    int k = 0;
    for (double nodata : { -99.99, -9999.0, 0.0, 3.4028234663852886e38, double(std::nanf("")) }) {
        const std::vector<float> values = around(float(nodata));
        const fs::path path = make_float_tiff("nodata-" + std::to_string(k++), values, nodata);
        io::RasterSource src(path, "areas.dem", rd());
        const Raster<float> r = src.read_values(src.info().grid);
        const std::vector<std::uint8_t> expected = gdal_mask(path);
        ASSERT_EQ(r.mask().size(), expected.size());
        for (std::size_t i = 0; i < values.size(); ++i)
            EXPECT_EQ(int(r.mask()[i]), int(expected[i]))
              << "nodata " << nodata << ", value " << values[i];
        std::size_t nodata_cells = 0;
        for (std::uint8_t m : expected)
            nodata_cells += m == 0;
        EXPECT_GE(nodata_cells, 1u) << "nodata " << nodata;
    }
}

TEST(RasterSource, Float32NodataOfTheRealAhnIsWhatGdalsMaskBandSays)
{
    const fs::path dem = fs::path(LANDEL_SOURCE_DIR) /
                         "../shared/data/real/achterhoek-wrij-ahn/derived/dtm_5m_filled_m.tif";
    if (!fs::exists(dem))
        GTEST_SKIP() << "no real data at " << dem;
    io::RasterSource src(dem, "areas.dem", rd());
    const Raster<float> r = src.read_values(src.info().grid);
    std::vector<std::uint8_t> got = r.mask();
    EXPECT_EQ(got, gdal_mask(dem));
}
