#pragma once
/// @file qgis_styles.h
/// QGIS styles for landel's output layers: QML documents for the GeoPackage `layer_styles`
/// table (QGIS loads them as the layers' default styles) and a QGIS project (`landel.qgs`)
/// that opens every output layer styled, with paths relative to the project.

#include "landel/core/box.h"
#include "landel/core/palette.h"
#include "landel/core/translation.h"
#include "landel/io/crs.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace landel::io {

/// A milestone as the areas' style shows it.
struct ShareThreshold
{
    int year = 0;
    double share_pct = 0.0; ///< e.g. 5 for 5%
};

/// The symbology of a layer (a QGIS renderer and, optionally, labels), without the document
/// around it.
struct LayerStyle
{
    std::string renderer_xml; ///< a <renderer-v2> element
    std::string labeling_xml; ///< a <labeling> element, or empty
    std::string geometry;     ///< "Polygon"
    std::string description;
    /// (field, alias): the names QGIS shows for the fields (attribute table, forms, identify).
    std::vector<std::pair<std::string, std::string>> aliases;
};

/// How opaque the areas' share classes are filled (of 255): enough to tell the classes apart,
/// light enough that the element colours drawn above them stay as they are in the legend.
inline constexpr int area_fill_alpha = 90;

/// Areas graduated by `share_pct`: breaks at 0, half the first milestone and every milestone
/// (5% and 10%: four classes, the last from the final milestone up), red to green at
/// area_fill_alpha with a grey outline, each class labelled with the milestone it meets;
/// labels "area name / share %". Legend words in the language of @p words (the description
/// stays English, like every style's).
LayerStyle areas_style(const std::vector<ShareThreshold>& milestones,
                       const Translation& words = Translation());

/// Elements categorised by `type`, one fixed colour per known type (hedges dark green, ponds
/// blue, ...; other types get a colour from a fixed palette by their position), one category
/// per type given, in that order.
LayerStyle elements_style(const std::vector<std::string>& types);

/// Polygons categorised by @p attribute: one (value, colour) per category, in that order,
/// labelled with the value (e.g. delineated areas by class).
LayerStyle categories_style(const std::string& attribute,
                            const std::vector<std::pair<std::string, palette::Rgb>>& categories,
                            const std::string& description);

/// The same, each category filled at @p fill_alpha and outlined in @p outline (default: its
/// own colour) @p outline_mm wide.
LayerStyle categories_style(const std::string& attribute,
                            const std::vector<std::pair<std::string, palette::Rgb>>& categories,
                            const std::string& description,
                            int fill_alpha,
                            std::optional<palette::Rgb> outline,
                            double outline_mm);

/// How opaque candidate sites are filled (of 255).
inline constexpr int candidate_fill_alpha = 140;

/// Candidate sites ([siting]) categorised by `type`: the type's colour half-transparent with an
/// orange outline, so that proposals stand apart from the elements that are there.
LayerStyle candidates_style(const std::vector<std::string>& types);

/// An outline without fill (the study area).
LayerStyle outline_style();

/// Every feature filled with @p fill and outlined thinly in @p outline (rural land, the layers
/// of change.gpkg).
LayerStyle fill_style(const palette::Rgb& fill,
                      const palette::Rgb& outline,
                      const std::string& description);

/// The style as a QML document (what `layer_styles.styleQML` and `.qml` files hold).
std::string to_qml(const LayerStyle& style);

/// A layer of the project.
struct ProjectLayer
{
    std::string name;     ///< shown in the layer panel
    std::string source;   ///< relative to the project, e.g. "./areas.gpkg|layername=areas"
    std::string provider; ///< "ogr" or "gdal"
    bool raster = false;
    std::string
      qml_path; ///< rasters: a .qml beside the file (the project embeds no style); may be empty
    LayerStyle style;    ///< vectors: the symbology
    bool visible = true; ///< checked in the layer panel (drawn when the project opens)
};

/// A QGIS 3 project (.qgs XML) with @p layers (first = top of the panel, drawn last), in
/// @p crs, paths relative to the project file, opening on @p view when it is not empty. Written
/// in the structure QGIS 3.22 writes, so that the layer tree resolves to the layers.
std::string qgis_project(const std::string& title,
                         const Crs& crs,
                         const std::vector<ProjectLayer>& layers,
                         const Box& view = Box());

} // namespace landel::io
