#include "landel/io/raster_source.h"

#include "gdal_errors.h"
#include "landel/io/error.h"

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <gdal_utils.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>

namespace landel::io {

namespace {

/// gdalwarp -of VRT into memory; null with the errors collected on failure.
GDALDatasetUniquePtr warp_to_vrt(GDALDataset* source, const std::vector<std::string>& args)
{
    std::vector<char*> argv;
    for (const std::string& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    GDALWarpAppOptions* options = GDALWarpAppOptionsNew(argv.data(), nullptr);
    if (!options)
        return nullptr;
    GDALDatasetH sources[] = { GDALDataset::ToHandle(source) };
    int usage_error = 0;
    GDALDatasetH out = GDALWarp("", nullptr, 1, sources, options, &usage_error);
    GDALWarpAppOptionsFree(options);
    return GDALDatasetUniquePtr(GDALDataset::FromHandle(out));
}

/// GDAL_NUM_THREADS for the calling thread while it lives, then its earlier value; nothing
/// for 1 thread (GDAL's default of decoding on the calling thread).
class DecodeThreads
{
public:
    explicit DecodeThreads(unsigned threads)
      : m_set(threads > 1)
    {
        if (!m_set)
            return;
        if (const char* old = CPLGetThreadLocalConfigOption("GDAL_NUM_THREADS", nullptr))
            m_old = old;
        CPLSetThreadLocalConfigOption("GDAL_NUM_THREADS", std::to_string(threads).c_str());
    }
    ~DecodeThreads()
    {
        if (m_set)
            CPLSetThreadLocalConfigOption("GDAL_NUM_THREADS", m_old ? m_old->c_str() : nullptr);
    }
    DecodeThreads(const DecodeThreads&) = delete;
    DecodeThreads& operator=(const DecodeThreads&) = delete;

private:
    bool m_set;
    std::optional<std::string> m_old;
};

std::string number(double v)
{
    std::ostringstream s;
    s.imbue(std::locale::classic());
    s.precision(17);
    s << v;
    return s.str();
}

} // namespace

struct RasterSource::Impl
{
    std::string label;
    std::string path;
    GDALDatasetUniquePtr file;   ///< the file as opened
    GDALDatasetUniquePtr warped; ///< a warped view of it, when asked for
    GDALRasterBand* band = nullptr;
    RasterInfo info;
    unsigned decode_threads = 1;

    std::string where() const { return label + " ('" + path + "')"; }
};

RasterSource::RasterSource(const std::filesystem::path& path,
                           const std::string& label,
                           const Crs& run_crs,
                           const RasterOptions& options)
  : m_impl(std::make_unique<Impl>())
{
    initialise_gdal();
    Impl& d = *m_impl;
    d.label = label;
    d.path = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw IoError(label + ": file not found: '" + d.path + "'");
    d.decode_threads = options.decode_threads;
    {
        const DecodeThreads decoding(d.decode_threads);
        GdalErrorCollector errors;
        d.file.reset(GDALDataset::Open(d.path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
        if (!d.file)
            throw IoError(label + ": cannot open '" + d.path + "' as a raster" +
                          (errors.failed() ? ": " + errors.failure() : std::string()));
    }
    if (d.file->GetRasterCount() < 1)
        throw IoError(d.where() + ": has no raster band");

    double gt[6];
    if (d.file->GetGeoTransform(gt) != CE_None)
        throw IoError(d.where() + ": has no geotransform (not georeferenced)");
    // GDAL 3.6 has no helper for this: terms 2 and 4 rotate or shear the grid.
    if (gt[2] != 0.0 || gt[4] != 0.0)
        throw IoError(d.where() + ": has a rotated geotransform; landel needs north-up rasters "
                                  "(warp it with gdalwarp first)");
    if (!(gt[1] > 0.0) || !(gt[5] < 0.0))
        throw IoError(d.where() + ": is not north-up (pixel size " + std::to_string(gt[1]) + " x " +
                      std::to_string(gt[5]) + ")");

    const OGRSpatialReference* srs = d.file->GetSpatialRef();
    if (srs && options.assume_crs)
        throw IoError(d.where() + ": has a CRS (" + Crs::from_srs(*srs).describe() +
                      "); assume_crs is only for sources without one");
    if (!srs && !options.assume_crs)
        throw IoError(d.where() + ": has no CRS; set assume_crs to the CRS its coordinates are in");
    const Crs crs =
      srs ? Crs::from_srs(*srs) : Crs::from_user_input(*options.assume_crs, label + ".assume_crs");
    d.info.crs = crs.describe();

    GDALDataset* dataset = d.file.get();
    if (!crs.same_as(run_crs)) {
        if (options.resample == Resample::None)
            throw IoError(d.where() + ": its CRS " + crs.describe() + " differs from run.crs " +
                          run_crs.describe() + "; reproject it, or set " + options.resample_hint +
                          " to let landel warp it");
        // Same cell size in the run CRS when both are in metres; otherwise the size GDAL
        // suggests. The origin is snapped to multiples of the cell size (-tap).
        GdalErrorCollector errors;
        const std::string target = run_crs.wkt();
        const char* method = options.resample == Resample::Bilinear ? "bilinear" : "near";
        std::vector<std::string> args{ "-of", "VRT", "-r", method, "-t_srs", target };
        if (!srs)
            args.insert(args.end(), { "-s_srs", crs.wkt() });
        double res = 0.0;
        if (crs.srs().IsProjected() && std::abs(crs.srs().GetLinearUnits() - 1.0) < 1e-12) {
            res = std::min(gt[1], -gt[5]);
        } else {
            GDALDatasetUniquePtr probe = warp_to_vrt(dataset, args);
            double pgt[6];
            if (!probe || probe->GetGeoTransform(pgt) != CE_None)
                throw IoError(d.where() + ": cannot be warped to run.crs" +
                              (errors.failed() ? ": " + errors.failure() : std::string()));
            res = std::min(pgt[1], -pgt[5]);
        }
        args.insert(args.end(), { "-tr", number(res), number(res), "-tap" });
        // The cell size stays about the same, so sample the source with an unscaled kernel: a
        // warped VRT otherwise estimates a scale per block from the rotated grid and widens the
        // bilinear kernel, smoothing a DEM by up to decimetres (a file warp does not).
        args.insert(args.end(), { "-wo", "XSCALE=1", "-wo", "YSCALE=1" });
        // Keep nodata as nodata: cells no source cell maps to are nodata too.
        if (d.file->GetRasterBand(1)->GetMaskFlags() & GMF_NODATA)
            args.insert(args.end(),
                        { "-dstnodata", number(d.file->GetRasterBand(1)->GetNoDataValue()) });
        else
            args.push_back("-dstalpha");
        d.warped = warp_to_vrt(dataset, args);
        if (!d.warped)
            throw IoError(d.where() + ": cannot be warped to run.crs" +
                          (errors.failed() ? ": " + errors.failure() : std::string()));
        dataset = d.warped.get();
        dataset->GetGeoTransform(gt);
        d.info.warped = true;
    }
    d.band = dataset->GetRasterBand(1);
    const double dx = gt[1], dy = -gt[5];
    const double cols = dataset->GetRasterXSize(), rows = dataset->GetRasterYSize();
    d.info.grid = Grid(Box{ gt[0], gt[3] - rows * dy, gt[0] + cols * dx, gt[3] }, dx, dy);

    int bx = 0, by = 0;
    // Blocks of the file, not of a warped view (whose blocks are the warper's).
    d.file->GetRasterBand(1)->GetBlockSize(&bx, &by);
    d.info.block_cols = d.info.warped ? 1 : std::size_t(bx);
    d.info.block_rows = d.info.warped ? 1 : std::size_t(by);
    d.info.all_valid = (d.band->GetMaskFlags() & GMF_ALL_VALID) != 0;
    char** files = d.file->GetFileList();
    for (char** f = files; f && *f; ++f)
        d.info.files.emplace_back(*f);
    CSLDestroy(files);
}

RasterSource::~RasterSource() = default;

const RasterInfo& RasterSource::info() const
{
    return m_impl->info;
}

namespace {

template<class T>
constexpr GDALDataType gdal_type();
template<>
constexpr GDALDataType gdal_type<std::int32_t>()
{
    return GDT_Int32;
}
template<>
constexpr GDALDataType gdal_type<float>()
{
    return GDT_Float32;
}

/// The mask of GDAL's nodata mask band (GDALNoDataMaskBand) for Float32 cells: a cell is
/// nodata when it equals the nodata value within 2 units of float rounding (GDAL's
/// ARE_REAL_EQUAL), or, for a NaN nodata value, when it is NaN. Tested against the mask band.
bool is_nodata(float z, float nodata)
{
    if (std::isnan(nodata))
        return std::isnan(z);
    return z == nodata ||
           std::abs(z - nodata) < std::numeric_limits<float>::epsilon() * std::abs(z + nodata) * 2;
}

/// Fills the mask of the @p cols x @p rows cells read into @p out at @p at (rows @p line
/// apart) from their values, when that is what GDAL's mask band would give: a Float32 band,
/// read as float, whose only mask is its nodata value. The mask band would decode every block
/// a second time, and a DEM larger than the block cache from the file again. Returns false,
/// touching nothing, otherwise.
template<class T>
bool mask_from_values(GDALRasterBand&, Raster<T>&, std::size_t, int, int, GSpacing)
{
    return false;
}

bool mask_from_values(GDALRasterBand& band,
                      Raster<float>& out,
                      std::size_t at,
                      int cols,
                      int rows,
                      GSpacing line)
{
    if (band.GetRasterDataType() != GDT_Float32 || band.GetMaskFlags() != GMF_NODATA)
        return false;
    const auto nodata = float(band.GetNoDataValue());
    for (int r = 0; r < rows; ++r) {
        const std::size_t row = at + std::size_t(r) * std::size_t(line);
        for (int c = 0; c < cols; ++c)
            out.mask()[row + std::size_t(c)] =
              is_nodata(out.values()[row + std::size_t(c)], nodata) ? 0 : 1;
    }
    return true;
}

} // namespace

template<class T>
Raster<T> RasterSource::read_window(const Grid& window)
{
    Impl& d = *m_impl;
    const Grid& g = d.info.grid;
    if (!window.compatible_with(g))
        throw IoError(d.where() + ": window is not aligned with the raster's cells");
    Raster<T> out(window, T(0));
    // The part of the window inside the raster, in raster and window cells.
    const long wc0 = std::lround((window.extent().xmin - g.extent().xmin) / g.dx());
    const long wr0 = std::lround((g.extent().ymax - window.extent().ymax) / g.dy());
    const long c0 = std::max(0L, wc0), r0 = std::max(0L, wr0);
    const long c1 = std::min(long(g.cols()), wc0 + long(window.cols()));
    const long r1 = std::min(long(g.rows()), wr0 + long(window.rows()));
    const bool whole =
      c0 == wc0 && r0 == wr0 && c1 - c0 == long(window.cols()) && r1 - r0 == long(window.rows());
    if (!whole || !d.info.all_valid)
        out.mask().assign(window.size(), 0);
    if (c0 >= c1 || r0 >= r1)
        return out; // wholly outside: every cell invalid

    const int cols = int(c1 - c0), rows = int(r1 - r0);
    const std::size_t at = std::size_t(r0 - wr0) * window.cols() + std::size_t(c0 - wc0);
    const GSpacing line = GSpacing(window.cols());
    GdalErrorCollector errors;
    const DecodeThreads decoding(d.decode_threads);
    if (d.band->RasterIO(GF_Read,
                         int(c0),
                         int(r0),
                         cols,
                         rows,
                         out.values().data() + at,
                         cols,
                         rows,
                         gdal_type<T>(),
                         sizeof(T),
                         line * GSpacing(sizeof(T))) != CE_None)
        throw IoError(d.where() + ": cannot read cells (" +
                      errors.failure("truncated or corrupt?") + ")");
    if (!out.mask().empty() && !mask_from_values(*d.band, out, at, cols, rows, line)) {
        if (d.info.all_valid) {
            for (int r = 0; r < rows; ++r)
                std::fill_n(out.mask().data() + at + std::size_t(r) * window.cols(), cols, 1);
        } else if (d.band->GetMaskBand()->RasterIO(GF_Read,
                                                   int(c0),
                                                   int(r0),
                                                   cols,
                                                   rows,
                                                   out.mask().data() + at,
                                                   cols,
                                                   rows,
                                                   GDT_Byte,
                                                   1,
                                                   line) != CE_None) {
            throw IoError(d.where() + ": cannot read the nodata mask (" + errors.failure() + ")");
        }
        // GDAL masks are 0 or 255; any non-zero is valid.
    }
    return out;
}

Raster<std::int32_t> RasterSource::read_classes(const Grid& window)
{
    return read_window<std::int32_t>(window);
}

Raster<float> RasterSource::read_values(const Grid& window)
{
    return read_window<float>(window);
}

void limit_block_cache(std::size_t bytes)
{
    initialise_gdal();
    if (CPLGetConfigOption("GDAL_CACHEMAX", nullptr))
        return;
    if (GDALGetCacheMax64() > GIntBig(bytes))
        GDALSetCacheMax64(GIntBig(bytes));
}

} // namespace landel::io
