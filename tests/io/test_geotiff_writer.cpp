#include "landel/io/error.h"
#include "landel/io/geotiff_writer.h"

#include <cpl_minixml.h>
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace landel;
namespace fs = std::filesystem;

namespace {

const io::Crs& rd()
{
    static const io::Crs crs = io::Crs::from_user_input("EPSG:28992", "test");
    return crs;
}

fs::path fresh_folder(const std::string& name)
{
    const fs::path dir = fs::temp_directory_path() / ("landel-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::vector<std::string> file_names(const fs::path& dir)
{
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// 700 x 520 cells of 25 m with their north-west corner at (150000, 413000): more than two
// tiles of 256 each way, so there are partial edge tiles and at least one overview level.
const Grid& test_grid()
{
    static const Grid grid(Box{ 150000.0, 400000.0, 167500.0, 413000.0 }, 25.0, 25.0);
    return grid;
}

float pattern(std::size_t row, std::size_t col)
{
    return float((row * 7 + col * 3) % 101) / 100.0f;
}

/// The pattern with three invalid spots: the first cell (so the first overview cell averages
/// three valid cells), a whole 2x2 block (so an overview cell is nodata), and the last cell.
Raster<float> masked_pattern()
{
    Raster<float> raster(test_grid());
    raster.mask().assign(raster.values().size(), 1);
    for (std::size_t row = 0; row < raster.rows(); ++row)
        for (std::size_t col = 0; col < raster.cols(); ++col)
            raster(row, col) = pattern(row, col);
    const auto invalidate = [&raster](std::size_t row, std::size_t col) {
        raster.mask()[row * raster.cols() + col] = 0;
        raster(row, col) = 0.5f; // garbage under the mask: must not reach the file
    };
    invalidate(0, 0);
    for (std::size_t row = 10; row < 12; ++row)
        for (std::size_t col = 20; col < 22; ++col)
            invalidate(row, col);
    invalidate(519, 699);
    return raster;
}

GDALDatasetUniquePtr open_raster(const fs::path& path)
{
    GDALDatasetUniquePtr dataset(
      GDALDataset::Open(path.string().c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!dataset)
        throw std::runtime_error("cannot reopen " + path.string());
    return dataset;
}

std::vector<float> read_band(GDALRasterBand* band)
{
    const int cols = band->GetXSize(), rows = band->GetYSize();
    std::vector<float> cells(std::size_t(cols) * std::size_t(rows));
    if (band->RasterIO(GF_Read, 0, 0, cols, rows, cells.data(), cols, rows, GDT_Float32, 0, 0) !=
        CE_None)
        throw std::runtime_error("cannot read the band back");
    return cells;
}

std::string metadata_item(GDALMajorObject& object, const char* key, const char* domain)
{
    const char* value = object.GetMetadataItem(key, domain);
    return value ? value : "";
}

std::string read_text(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// GDAL's own XML parser: no extra dependency, and it rejects mismatched or unclosed tags.
struct XmlDocument
{
    explicit XmlDocument(const std::string& text)
    {
        CPLPushErrorHandler(CPLQuietErrorHandler);
        root = CPLParseXMLString(text.c_str());
        CPLPopErrorHandler();
    }
    ~XmlDocument() { CPLDestroyXMLNode(root); }
    XmlDocument(const XmlDocument&) = delete;
    XmlDocument& operator=(const XmlDocument&) = delete;

    /// The top-level element named @p name (the DOCTYPE is a sibling before it).
    const CPLXMLNode* element(const char* name) const
    {
        for (const CPLXMLNode* node = root; node; node = node->psNext)
            if (node->eType == CXT_Element && std::string(node->pszValue) == name)
                return node;
        return nullptr;
    }

    CPLXMLNode* root = nullptr;
};

std::vector<const CPLXMLNode*> children_named(const CPLXMLNode* parent, const char* name)
{
    std::vector<const CPLXMLNode*> found;
    for (const CPLXMLNode* node = parent ? parent->psChild : nullptr; node; node = node->psNext)
        if (node->eType == CXT_Element && std::string(node->pszValue) == name)
            found.push_back(node);
    return found;
}

std::string attribute(const CPLXMLNode* node, const char* name)
{
    return CPLGetXMLValue(node, name, "");
}

} // namespace

TEST(GeoTiffWriter, WritesACloudOptimizedFloatGeoTiff)
{
    const fs::path dir = fresh_folder("geotiff-cog");
    const fs::path path = dir / "element_density.tif";
    const Raster<float> raster = masked_pattern();
    io::write_float_geotiff(path, raster, rd(), -1.0f, "element share of the cell");

    GDALDatasetUniquePtr dataset = open_raster(path);
    ASSERT_EQ(dataset->GetRasterXSize(), 700);
    ASSERT_EQ(dataset->GetRasterYSize(), 520);
    ASSERT_EQ(dataset->GetRasterCount(), 1);
    GDALRasterBand* band = dataset->GetRasterBand(1);
    EXPECT_EQ(band->GetRasterDataType(), GDT_Float32);
    EXPECT_STREQ(band->GetDescription(), "element share of the cell");

    double geotransform[6];
    ASSERT_EQ(dataset->GetGeoTransform(geotransform), CE_None);
    EXPECT_EQ(geotransform[0], 150000.0);
    EXPECT_EQ(geotransform[1], 25.0);
    EXPECT_EQ(geotransform[2], 0.0);
    EXPECT_EQ(geotransform[3], 413000.0);
    EXPECT_EQ(geotransform[4], 0.0);
    EXPECT_EQ(geotransform[5], -25.0);

    const OGRSpatialReference* srs = dataset->GetSpatialRef();
    ASSERT_NE(srs, nullptr);
    OGRSpatialReference amersfoort;
    amersfoort.importFromEPSG(28992);
    amersfoort.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    EXPECT_TRUE(srs->IsSame(&amersfoort));

    int has_nodata = 0;
    const double nodata = band->GetNoDataValue(&has_nodata);
    EXPECT_TRUE(has_nodata);
    EXPECT_EQ(nodata, -1.0);

    int block_cols = 0, block_rows = 0;
    band->GetBlockSize(&block_cols, &block_rows);
    EXPECT_EQ(block_cols, 256);
    EXPECT_EQ(block_rows, 256);
    EXPECT_EQ(metadata_item(*dataset, "COMPRESSION", "IMAGE_STRUCTURE"), "DEFLATE");
    EXPECT_EQ(metadata_item(*dataset, "PREDICTOR", "IMAGE_STRUCTURE"), "3");
    EXPECT_EQ(metadata_item(*dataset, "LAYOUT", "IMAGE_STRUCTURE"), "COG");

    // Lossless: every cell exactly as given, nodata exactly where the mask said invalid.
    const std::vector<float> cells = read_band(band);
    std::size_t nodata_cells = 0;
    for (std::size_t row = 0; row < raster.rows(); ++row)
        for (std::size_t col = 0; col < raster.cols(); ++col) {
            const float got = cells[row * raster.cols() + col];
            if (!raster.valid(row, col)) {
                ++nodata_cells;
                EXPECT_EQ(got, -1.0f) << "row " << row << " col " << col;
            } else if (got != pattern(row, col)) {
                ADD_FAILURE() << "row " << row << " col " << col << ": " << got;
            }
        }
    EXPECT_EQ(nodata_cells, 6u);

    // Overviews average the valid cells only: the first overview halves the grid exactly.
    ASSERT_GE(band->GetOverviewCount(), 1);
    GDALRasterBand* overview = band->GetOverview(0);
    ASSERT_EQ(overview->GetXSize(), 350);
    ASSERT_EQ(overview->GetYSize(), 260);
    int overview_block_cols = 0, overview_block_rows = 0;
    overview->GetBlockSize(&overview_block_cols, &overview_block_rows);
    EXPECT_EQ(overview_block_cols, 256);
    const std::vector<float> coarse = read_band(overview);
    const float three_valid = (pattern(0, 1) + pattern(1, 0) + pattern(1, 1)) / 3.0f;
    EXPECT_NEAR(coarse[0], three_valid, 1e-6);
    EXPECT_EQ(coarse[5 * 350 + 10], -1.0f); // the fully masked 2x2 block
    const float four_valid =
      (pattern(100, 200) + pattern(100, 201) + pattern(101, 200) + pattern(101, 201)) / 4.0f;
    EXPECT_NEAR(coarse[50 * 350 + 100], four_valid, 1e-6);

    dataset.reset();
    // No .aux.xml (PAM is off) and no temporary file (.partial, COG's overview scratch).
    EXPECT_EQ(file_names(dir), std::vector<std::string>{ "element_density.tif" });
}

TEST(GeoTiffWriter, ReplacesAnExistingFileAndWritesAnUnmaskedRasterAsIs)
{
    const fs::path dir = fresh_folder("geotiff-replace");
    const fs::path path = dir / "element_density.tif";
    io::write_float_geotiff(path, masked_pattern(), rd(), -1.0f, "first");

    Raster<float> second(test_grid(), 0.25f); // no mask: every cell valid
    second(3, 4) = 1.0f;
    io::write_float_geotiff(path, second, rd(), -9999.0f, "second");

    GDALDatasetUniquePtr dataset = open_raster(path);
    GDALRasterBand* band = dataset->GetRasterBand(1);
    EXPECT_STREQ(band->GetDescription(), "second");
    EXPECT_EQ(band->GetNoDataValue(), -9999.0);
    const std::vector<float> cells = read_band(band);
    EXPECT_EQ(cells[3 * 700 + 4], 1.0f);
    ASSERT_EQ(cells.size(), second.values().size());
    std::size_t differing = 0;
    for (std::size_t i = 0; i < cells.size(); ++i)
        differing += cells[i] != second.values()[i];
    EXPECT_EQ(differing, 0u);
    dataset.reset();
    EXPECT_EQ(file_names(dir), std::vector<std::string>{ "element_density.tif" });
}

TEST(GeoTiffWriter, UnwritablePathThrowsNamingIt)
{
    const fs::path dir = fresh_folder("geotiff-unwritable");
    const fs::path missing_folder = dir / "no-such-folder" / "element_density.tif";
    try {
        io::write_float_geotiff(missing_folder, masked_pattern(), rd(), -1.0f, "share");
        FAIL() << "expected an IoError";
    } catch (const io::IoError& e) {
        EXPECT_NE(std::string(e.what()).find(missing_folder.string()), std::string::npos)
          << e.what();
    }

    // GDAL succeeds but the final rename cannot replace a folder: the temporary goes away.
    const fs::path occupied = dir / "occupied.tif";
    fs::create_directories(occupied / "inside");
    try {
        io::write_float_geotiff(occupied, masked_pattern(), rd(), -1.0f, "share");
        FAIL() << "expected an IoError";
    } catch (const io::IoError& e) {
        EXPECT_NE(std::string(e.what()).find(occupied.string()), std::string::npos) << e.what();
    }
    EXPECT_EQ(file_names(dir), std::vector<std::string>{ "occupied.tif" });
}

TEST(ShareQml, IsAWellFormedQgisPseudocolorStyle)
{
    const fs::path dir = fresh_folder("share-qml");
    const fs::path path = dir / "element_density.qml";
    io::write_share_qml(path, 0.4);

    const std::string text = read_text(path);
    EXPECT_NE(text.find("<qgis"), std::string::npos);
    EXPECT_NE(text.find("colorrampshader"), std::string::npos);

    // The check has teeth: a mismatched tag does not parse.
    EXPECT_EQ(XmlDocument("<qgis><pipe></qgis>").root, nullptr);
    const XmlDocument document(text);
    ASSERT_NE(document.root, nullptr) << text;
    const CPLXMLNode* qgis = document.element("qgis");
    ASSERT_NE(qgis, nullptr);

    const CPLXMLNode* renderer = CPLGetXMLNode(qgis, "pipe.rasterrenderer");
    ASSERT_NE(renderer, nullptr);
    EXPECT_EQ(attribute(renderer, "type"), "singlebandpseudocolor");
    EXPECT_EQ(attribute(renderer, "band"), "1");
    EXPECT_EQ(attribute(renderer, "nodataColor"), ""); // nodata transparent
    EXPECT_EQ(attribute(renderer, "classificationMin"), "0");
    EXPECT_EQ(attribute(renderer, "classificationMax"), "0.4");

    const CPLXMLNode* shader = CPLGetXMLNode(renderer, "rastershader.colorrampshader");
    ASSERT_NE(shader, nullptr);
    EXPECT_EQ(attribute(shader, "colorRampType"), "INTERPOLATED");
    const std::vector<const CPLXMLNode*> items = children_named(shader, "item");
    ASSERT_GE(items.size(), 3u);
    EXPECT_EQ(attribute(items.front(), "value"), "0");
    EXPECT_EQ(attribute(items.front(), "label"), "0%");
    EXPECT_EQ(attribute(items.back(), "value"), "0.4");
    EXPECT_EQ(attribute(items.back(), "label"), "40%");
    double previous = -1.0;
    for (const CPLXMLNode* item : items) {
        const double value = std::stod(attribute(item, "value"));
        EXPECT_GT(value, previous); // QGIS interpolates between items in ascending order
        previous = value;
        EXPECT_EQ(attribute(item, "color").size(), 7u);
        EXPECT_EQ(attribute(item, "alpha"), "255");
    }
    // Pale at 0, dark green at the maximum.
    EXPECT_EQ(attribute(items.front(), "color").substr(1, 2), "ff");
    EXPECT_EQ(attribute(items.back(), "color").substr(1, 2), "00");

    EXPECT_EQ(file_names(dir), std::vector<std::string>{ "element_density.qml" });
}

TEST(ShareQml, NothingFoundGivesTheFullRampAndUnwritablePathThrows)
{
    const fs::path dir = fresh_folder("share-qml-empty");
    const fs::path path = dir / "element_density.qml";
    io::write_share_qml(path, 0.0);
    const XmlDocument document(read_text(path));
    ASSERT_NE(document.root, nullptr);
    const CPLXMLNode* shader =
      CPLGetXMLNode(document.element("qgis"), "pipe.rasterrenderer.rastershader.colorrampshader");
    const std::vector<const CPLXMLNode*> items = children_named(shader, "item");
    ASSERT_FALSE(items.empty());
    EXPECT_EQ(attribute(items.back(), "value"), "1");
    EXPECT_EQ(attribute(items.back(), "label"), "100%");

    const fs::path unwritable = dir / "no-such-folder" / "element_density.qml";
    try {
        io::write_share_qml(unwritable, 0.5);
        FAIL() << "expected an IoError";
    } catch (const io::IoError& e) {
        EXPECT_NE(std::string(e.what()).find(unwritable.string()), std::string::npos) << e.what();
    }
}
