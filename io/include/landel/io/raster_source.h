#pragma once
/// @file raster_source.h
/// Reading a categorical raster band window by window. GDAL 3.6 datasets are not
/// thread-safe: open one RasterSource per thread.

#include "landel/core/grid.h"
#include "landel/core/raster.h"
#include "landel/io/crs.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace landel::io {

struct RasterInfo
{
    Grid grid;                      ///< north-up, from the geotransform
    std::string crs;                ///< describe() of the raster's CRS
    std::size_t block_cols = 0;     ///< the file's natural block size (band 1)
    std::size_t block_rows = 0;
    bool all_valid = true;          ///< no nodata value, mask or alpha
    std::vector<std::string> files; ///< for checksums
};

class RasterSource
{
public:
    /// Opens band 1 read-only. Throws IoError naming @p label and the path when the file
    /// cannot be opened, its geotransform is rotated or south-up, it has no CRS, or its CRS
    /// is not equivalent to @p run_crs (message names both CRSs).
    RasterSource(const std::filesystem::path& path, const std::string& label, const Crs& run_crs);
    ~RasterSource();
    RasterSource(const RasterSource&) = delete;
    RasterSource& operator=(const RasterSource&) = delete;

    const RasterInfo& info() const;

    /// Reads @p window (cell-aligned with info().grid and inside it) as 32-bit integers, with
    /// the band's validity mask (GDAL mask band: nodata value, per-dataset mask or alpha).
    Raster<std::int32_t> read_classes(const Grid& window);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace landel::io
