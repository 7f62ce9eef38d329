#pragma once
// Internal: QGIS-ready outputs — default styles in areas.gpkg and the landel.qgs project.

#include "landel/io/crs.h"
#include "landel/io/table_writers.h"
#include "landel/pipeline/config.h"

#include <filesystem>

#include "landel/core/translation.h"

namespace landel::pipeline::detail {

/// Stores the default styles of the `areas`, `elements`, `study_area` and, with
/// @p rural_land, `rural_land` layers.
void style_area_layers(io::GeoPackageWriter& gpkg, const Config& config, bool rural_land);

/// Stores the default styles of change.gpkg's layers (landel compare): gained green, lost red,
/// reclassified amber, realigned grey; legend words in the language of @p words, and each
/// layer's field aliases.
void style_change_layers(io::GeoPackageWriter& gpkg, const Translation& words);

/// Stores the default styles of a batch's combined `areas` and `units` layers.
void style_batch_layers(io::GeoPackageWriter& gpkg, const Config& config);

/// Writes @p dir/landel.qgs: areas, elements, study area, rural land when @p with_rural_land
/// (styled as in areas.gpkg) and, when @p with_density, element_density.tif with its .qml
/// style; paths relative to @p dir.
void write_qgis_project(const std::filesystem::path& dir,
                        const Config& config,
                        const io::Crs& crs,
                        bool with_rural_land,
                        bool with_density);

} // namespace landel::pipeline::detail
