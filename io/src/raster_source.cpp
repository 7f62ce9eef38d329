#include "landel/io/raster_source.h"

#include "gdal_errors.h"
#include "landel/io/error.h"

#include <gdal_priv.h>

#include <cmath>

namespace landel::io {

struct RasterSource::Impl
{
    std::string label;
    std::string path;
    GDALDatasetUniquePtr dataset;
    GDALRasterBand* band = nullptr;
    RasterInfo info;

    std::string where() const { return label + " ('" + path + "')"; }
};

RasterSource::RasterSource(const std::filesystem::path& path, const std::string& label,
                           const Crs& run_crs)
  : m_impl(std::make_unique<Impl>())
{
    initialise_gdal();
    Impl& d = *m_impl;
    d.label = label;
    d.path = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw IoError(label + ": file not found: '" + d.path + "'");
    {
        GdalErrorCollector errors;
        d.dataset.reset(GDALDataset::Open(d.path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
        if (!d.dataset)
            throw IoError(label + ": cannot open '" + d.path + "' as a raster" +
                          (errors.failed() ? ": " + errors.failure() : std::string()));
    }
    if (d.dataset->GetRasterCount() < 1)
        throw IoError(d.where() + ": has no raster band");
    d.band = d.dataset->GetRasterBand(1);

    double gt[6];
    if (d.dataset->GetGeoTransform(gt) != CE_None)
        throw IoError(d.where() + ": has no geotransform (not georeferenced)");
    // GDAL 3.6 has no helper for this: terms 2 and 4 rotate or shear the grid.
    if (gt[2] != 0.0 || gt[4] != 0.0)
        throw IoError(d.where() + ": has a rotated geotransform; landel needs north-up rasters "
                                  "(warp it with gdalwarp first)");
    if (!(gt[1] > 0.0) || !(gt[5] < 0.0))
        throw IoError(d.where() + ": is not north-up (pixel size " + std::to_string(gt[1]) +
                      " x " + std::to_string(gt[5]) + ")");
    const double dx = gt[1], dy = -gt[5];
    const double cols = d.dataset->GetRasterXSize(), rows = d.dataset->GetRasterYSize();
    d.info.grid = Grid(Box{ gt[0], gt[3] - rows * dy, gt[0] + cols * dx, gt[3] }, dx, dy);

    const OGRSpatialReference* srs = d.dataset->GetSpatialRef();
    if (!srs)
        throw IoError(d.where() + ": has no CRS");
    const Crs crs = Crs::from_srs(*srs);
    d.info.crs = crs.describe();
    if (!crs.same_as(run_crs))
        throw IoError(d.where() + ": its CRS " + crs.describe() + " differs from run.crs " +
                      run_crs.describe() + "; reproject it first (resample = \"nearest\" is planned)");

    int bx = 0, by = 0;
    d.band->GetBlockSize(&bx, &by);
    d.info.block_cols = std::size_t(bx);
    d.info.block_rows = std::size_t(by);
    d.info.all_valid = (d.band->GetMaskFlags() & GMF_ALL_VALID) != 0;
    char** files = d.dataset->GetFileList();
    for (char** f = files; f && *f; ++f)
        d.info.files.emplace_back(*f);
    CSLDestroy(files);
}

RasterSource::~RasterSource() = default;

const RasterInfo& RasterSource::info() const
{
    return m_impl->info;
}

Raster<std::int32_t> RasterSource::read_classes(const Grid& window)
{
    Impl& d = *m_impl;
    const Grid& g = d.info.grid;
    if (!window.compatible_with(g) || !g.extent().contains(window.extent()))
        throw IoError(d.where() + ": window is not an aligned part of the raster");
    const int col0 = int(std::llround((window.extent().xmin - g.extent().xmin) / g.dx()));
    const int row0 = int(std::llround((g.extent().ymax - window.extent().ymax) / g.dy()));
    const int cols = int(window.cols()), rows = int(window.rows());

    Raster<std::int32_t> out(window);
    GdalErrorCollector errors;
    if (d.band->RasterIO(GF_Read, col0, row0, cols, rows, out.values().data(), cols, rows,
                         GDT_Int32, 0, 0) != CE_None)
        throw IoError(d.where() + ": cannot read cells (" + errors.failure("truncated or corrupt?") +
                      ")");
    if (!d.info.all_valid) {
        out.mask().resize(window.size());
        if (d.band->GetMaskBand()->RasterIO(GF_Read, col0, row0, cols, rows, out.mask().data(),
                                            cols, rows, GDT_Byte, 0, 0) != CE_None)
            throw IoError(d.where() + ": cannot read the nodata mask (" + errors.failure() + ")");
    }
    return out;
}

} // namespace landel::io
