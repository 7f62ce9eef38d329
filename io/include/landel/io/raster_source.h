#pragma once
/// @file raster_source.h
/// Reading a categorical raster band window by window. GDAL 3.6 datasets are not
/// thread-safe: open one RasterSource per thread.

#include "landel/core/grid.h"
#include "landel/core/raster.h"
#include "landel/core/resample.h"
#include "landel/io/crs.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace landel::io {

struct RasterOptions
{
    /// The CRS of a raster that carries none (an error when it carries one).
    std::optional<std::string> assume_crs;
    /// A raster in another CRS than the run is warped (nearest neighbour for classes,
    /// bilinear for elevation models) onto a grid of the same cell size in the run CRS, its
    /// origin snapped to multiples of the cell size; with None it is an error naming both CRSs.
    Resample resample = Resample::None;
    /// How the config asks for a warp, for the error message.
    std::string resample_hint = "resample = \"nearest\"";
    /// Threads GDAL may use to decode the blocks of one read (GDAL_NUM_THREADS; GeoTIFF
    /// honours it): for one large read with nothing else running, as a DEM's whole read.
    /// 1 decodes on the calling thread, as when windows are read in parallel.
    unsigned decode_threads = 1;
};

struct RasterInfo
{
    Grid grid;                  ///< north-up, in the run CRS (after warping)
    std::string crs;            ///< describe() of the raster's own CRS
    std::size_t block_cols = 0; ///< the file's natural block size (band 1)
    std::size_t block_rows = 0;
    bool all_valid = true;          ///< no nodata value, mask or alpha
    bool warped = false;            ///< read through a nearest-neighbour warp
    std::vector<std::string> files; ///< for checksums
};

class RasterSource
{
public:
    /// Opens band 1 read-only. Throws IoError naming @p label and the path when the file
    /// cannot be opened, its geotransform is rotated or south-up, it has no CRS (and no
    /// assume_crs), or its CRS is not equivalent to @p run_crs and no warp was asked for
    /// (message names both CRSs).
    RasterSource(const std::filesystem::path& path,
                 const std::string& label,
                 const Crs& run_crs,
                 const RasterOptions& options = {});
    ~RasterSource();
    RasterSource(const RasterSource&) = delete;
    RasterSource& operator=(const RasterSource&) = delete;

    const RasterInfo& info() const;

    /// Reads @p window (cell-aligned with info().grid; it may reach beyond the raster, whose
    /// cells there are invalid) as 32-bit integers, with the band's validity mask (GDAL mask
    /// band: nodata value, per-dataset mask or alpha).
    Raster<std::int32_t> read_classes(const Grid& window);

    /// Reads @p window (as read_classes) as 32-bit floats: elevations and other measures.
    Raster<float> read_values(const Grid& window);

private:
    template<class T>
    Raster<T> read_window(const Grid& window);

    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// Caps GDAL's block cache at @p bytes unless the user set GDAL_CACHEMAX: landel reads each
/// block once, in order, so a large cache only adds to peak memory.
void limit_block_cache(std::size_t bytes);

} // namespace landel::io
