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
