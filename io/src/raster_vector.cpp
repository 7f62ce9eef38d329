#include "landel/io/raster_vector.h"

#include "gdal_errors.h"
#include "landel/io/error.h"

#include <gdal_alg.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

namespace landel::io {

namespace {

/// A MEM dataset of one band over @p grid (no copy of the cells when @p data is given).
GDALDatasetUniquePtr memory_dataset(const Grid& grid, GDALDataType type)
{
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDatasetUniquePtr ds(mem->Create("", int(grid.cols()), int(grid.rows()), 1, type, nullptr));
    if (!ds)
        throw IoError("cannot create an in-memory raster of " + std::to_string(grid.cols()) +
                      " x " + std::to_string(grid.rows()) + " cells");
    double gt[6] = { grid.extent().xmin, grid.dx(), 0.0, grid.extent().ymax, 0.0, -grid.dy() };
    ds->SetGeoTransform(gt);
    return ds;
}

} // namespace

std::vector<std::pair<std::int32_t, std::string>> polygonize_labels(
  const Raster<std::int32_t>& labels)
{
    initialise_gdal();
    const Grid& grid = labels.grid();
    GDALDatasetUniquePtr ds = memory_dataset(grid, GDT_Int32);
    GDALRasterBand* band = ds->GetRasterBand(1);
    std::vector<std::int32_t> values = labels.values();
    if (!labels.mask().empty())
        for (std::size_t i = 0; i < values.size(); ++i)
            if (!labels.mask()[i])
                values[i] = 0;
    GdalErrorCollector errors;
    if (band->RasterIO(GF_Write,
                       0,
                       0,
                       int(grid.cols()),
                       int(grid.rows()),
                       values.data(),
                       int(grid.cols()),
                       int(grid.rows()),
                       GDT_Int32,
                       0,
                       0) != CE_None)
        throw IoError("polygonizing labels: " + errors.failure());
    // Cells labelled 0 are masked out, so they make no polygons.
    GDALDatasetUniquePtr mask = memory_dataset(grid, GDT_Byte);
    std::vector<std::uint8_t> keep(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        keep[i] = values[i] > 0 ? 1 : 0;
    if (mask->GetRasterBand(1)->RasterIO(GF_Write,
                                         0,
                                         0,
                                         int(grid.cols()),
                                         int(grid.rows()),
                                         keep.data(),
                                         int(grid.cols()),
                                         int(grid.rows()),
                                         GDT_Byte,
                                         0,
                                         0) != CE_None)
        throw IoError("polygonizing labels: " + errors.failure());

    GDALDriver* memv = GetGDALDriverManager()->GetDriverByName("Memory");
    GDALDatasetUniquePtr vds(memv->Create("", 0, 0, 0, GDT_Unknown, nullptr));
    OGRLayer* layer = vds->CreateLayer("labels", nullptr, wkbPolygon, nullptr);
    OGRFieldDefn field("label", OFTInteger);
    layer->CreateField(&field);
    char* options[] = { const_cast<char*>("8CONNECTED=8"), nullptr };
    if (GDALPolygonize(
          band, mask->GetRasterBand(1), OGRLayer::ToHandle(layer), 0, options, nullptr, nullptr) !=
        CE_None)
        throw IoError("polygonizing labels: " + errors.failure());

    std::vector<std::pair<std::int32_t, std::string>> out;
    layer->ResetReading();
    for (OGRFeatureUniquePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g)
            continue;
        std::string wkb(std::size_t(g->WkbSize()), '\0');
        g->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(wkb.data()), wkbVariantIso);
        out.emplace_back(f->GetFieldAsInteger(0), std::move(wkb));
    }
    return out;
}

std::vector<std::uint8_t> rasterize_touched(const Grid& grid, const std::vector<std::string>& wkb)
{
    initialise_gdal();
    GDALDatasetUniquePtr ds = memory_dataset(grid, GDT_Byte);
    std::vector<std::unique_ptr<OGRGeometry>> owned;
    std::vector<OGRGeometryH> geoms;
    for (const std::string& w : wkb) {
        OGRGeometry* g = nullptr;
        if (OGRGeometryFactory::createFromWkb(w.data(), nullptr, &g, w.size()) != OGRERR_NONE || !g)
            throw IoError("rasterizing: a geometry cannot be read");
        owned.emplace_back(g);
        geoms.push_back(OGRGeometry::ToHandle(g));
    }
    std::vector<double> burn(geoms.size(), 1.0);
    int band = 1;
    char* options[] = { const_cast<char*>("ALL_TOUCHED=TRUE"), nullptr };
    GdalErrorCollector errors;
    if (!geoms.empty() && GDALRasterizeGeometries(GDALDataset::ToHandle(ds.get()),
                                                  1,
                                                  &band,
                                                  int(geoms.size()),
                                                  geoms.data(),
                                                  nullptr,
                                                  nullptr,
                                                  burn.data(),
                                                  options,
                                                  nullptr,
                                                  nullptr) != CE_None)
        throw IoError("rasterizing: " + errors.failure());
    std::vector<std::uint8_t> out(grid.size());
    if (ds->GetRasterBand(1)->RasterIO(GF_Read,
                                       0,
                                       0,
                                       int(grid.cols()),
                                       int(grid.rows()),
                                       out.data(),
                                       int(grid.cols()),
                                       int(grid.rows()),
                                       GDT_Byte,
                                       0,
                                       0) != CE_None)
        throw IoError("rasterizing: " + errors.failure());
    return out;
}

} // namespace landel::io
