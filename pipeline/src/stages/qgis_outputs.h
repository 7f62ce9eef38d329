#pragma once
// Internal: QGIS-ready outputs — default styles in areas.gpkg and the landel.qgs project.

#include "landel/analysis/measurement/measurement.h"
#include "landel/core/box.h"
#include "landel/core/translation.h"
#include "landel/io/crs.h"
#include "landel/io/table_writers.h"
#include "landel/pipeline/config.h"

#include <filesystem>

namespace landel::pipeline::detail {

/// Stores the default styles of the `areas`, `elements`, `study_area` and, with
/// @p rural_land, `rural_land` layers; legend words in the language of @p words.
void style_area_layers(io::GeoPackageWriter& gpkg,
                       const Config& config,
                       bool rural_land,
                       const Translation& words);

/// Stores the default styles of change.gpkg's layers (landel compare): gained green, lost red,
/// reclassified amber, realigned grey; legend words in the language of @p words, and each
/// layer's field aliases.
void style_change_layers(io::GeoPackageWriter& gpkg, const Translation& words);

/// Stores the default styles of a batch's combined `areas` and `units` layers.
void style_batch_layers(io::GeoPackageWriter& gpkg, const Config& config);

/// What the project shows besides the areas, elements and study area.
struct ProjectContent
{
    bool rural_land = false; ///< areas.gpkg has a rural_land layer
    bool density = false;    ///< element_density.tif (and its .qml) was written
    bool candidates = false; ///< candidates.gpkg was written ([siting])
    Box view;                ///< the extent the project opens on (the study area)
};

/// The extent of the areas as measured: the view landel.qgs opens on.
Box areas_extent(const analysis::MeasureResult& result);

/// Writes @p dir/landel.qgs: study area, elements, areas and, unchecked, rural land and the
/// density raster with its .qml style (styled as in areas.gpkg); layer names and legend words
/// in the language of @p words; paths relative to @p dir.
void write_qgis_project(const std::filesystem::path& dir,
                        const Config& config,
                        const io::Crs& crs,
                        const ProjectContent& content,
                        const Translation& words);

} // namespace landel::pipeline::detail
