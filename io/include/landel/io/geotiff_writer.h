#pragma once
/// @file geotiff_writer.h
/// Writing a Float32 raster as a Cloud-Optimized GeoTIFF, and a QGIS style to show it.

#include "landel/core/raster.h"
#include "landel/io/crs.h"

#include <filesystem>
#include <string>

namespace landel::io {

/// Writes a single-band Float32 GeoTIFF that QGIS opens quickly: Cloud-Optimized layout
/// (GDAL's COG driver), 256x256 tiles, DEFLATE with the floating-point predictor, internal
/// overviews (AVERAGE, nodata respected), the CRS and the grid's geotransform, the nodata value,
/// and a band description. Cells the raster's mask marks invalid are written as @p nodata.
/// Writes @p path atomically (a temporary name beside it, then rename, replacing an existing
/// file); throws IoError naming the path on failure.
void write_float_geotiff(const std::filesystem::path& path,
                         const Raster<float>& raster,
                         const Crs& crs,
                         float nodata,
                         const std::string& band_description);

/// Writes a QGIS layer style (.qml) for a share raster 0..max_share: a singleband pseudocolor
/// ramp (white/pale yellow at 0 through greens to dark green at max_share; labels in percent),
/// nodata transparent. A @p max_share that is not positive (nothing found anywhere) gives the
/// full 0..1 ramp. Written atomically like write_float_geotiff; throws IoError naming the path.
void write_share_qml(const std::filesystem::path& path, double max_share);

} // namespace landel::io
