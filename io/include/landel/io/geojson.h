#pragma once
/// @file geojson.h
/// GeoJSON for web maps: geometries reprojected to WGS 84 (longitude, latitude), simplified.

#include "landel/io/crs.h"

#include <string>
#include <vector>

namespace landel::io {

/// A FeatureCollection of @p wkb (in @p crs) with @p properties_json (one JSON object text per
/// geometry, e.g. {"id":"G01"}). Each geometry is simplified with @p simplify_m (topology
/// preserved; 0: none) before it is reprojected; coordinates keep 6 decimals (about 0.1 m).
/// Empty geometries are left out. @throws IoError when the transformation cannot be made.
std::string geojson_wgs84(const std::vector<std::string>& wkb,
                          const std::vector<std::string>& properties_json,
                          const Crs& crs,
                          double simplify_m);

} // namespace landel::io
