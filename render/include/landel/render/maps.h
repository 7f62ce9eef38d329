#pragma once
/// @file maps.h
/// Printed maps with cairo: an overview of the areas coloured by a value in classes (a run's
/// element share against the targets; the change of that share between years), and a map per
/// area with its elements by type, layers of fixed colour over them (the land gained and lost
/// between years) and its figures, as PNG (300 dpi) and PDF (a multi-page atlas, the overview
/// first). Pages are A4 landscape (A3 for the overview on request) with title, legend, scale
/// bar, north arrow, date and sources.

#include "landel/core/palette.h"
#include "landel/render/class_legend.h"

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace landel::render {

struct MapArea
{
    std::string id;
    std::string name;
    std::string wkb; ///< polygonal, in the map CRS (metres)
    /// The value the overview colours it by (MapDocument::classes), in the unit of
    /// MapWording::value_unit: its element share in percent on a run's maps. Empty: no value
    /// (no rural land).
    std::optional<double> share_pct;
    /// The side panel of its page: (label, value) lines, e.g. ("Share of rural land", "6.8 %").
    std::vector<std::pair<std::string, std::string>> figures;
    /// Its owned element geometry per type (index into MapDocument::types; "" for none).
    std::vector<std::string> elements_wkb;
    /// Per MapDocument::layers, its polygonal geometry in that layer, in any number of pieces.
    std::vector<std::vector<std::string>> layers_wkb;
};

/// A layer the area pages draw in one fixed colour over the elements, with its own legend
/// entry: e.g. the land gained between two years, in palette::gained.
struct FixedLayer
{
    std::string label;
    palette::Rgb colour;
};

/// The words of the pages; the defaults are those of a run's maps.
struct MapWording
{
    std::string overview_heading = "landscape elements per area"; ///< after "title: "
    std::string overview_subtitle = "Share of each area's rural land covered by green-blue "
                                    "landscape elements, against the targets";
    std::string legend_heading = "Element share of rural land";
    std::string no_value = "no rural land"; ///< the legend entry and label of an area without
    std::string value_unit = " %";          ///< after an area's value in its label
    bool value_signed = false;              ///< labels show "+" before positive values
    int value_decimals = 1;
    std::string denominator_prefix = "Rural land: ";          ///< before MapDocument::denominator
    std::string area_subtitle = "landscape elements by type"; ///< after "title: "
    std::string types_heading = "Element types";
    std::string layers_heading;                    ///< above the legend of MapDocument::layers
    std::string data_heading = "Data";             ///< the footer's sources
    std::string figures_heading = "Figures";       ///< an area page's side panel
    std::string no_elements = "none in this area"; ///< the type legend of an empty area
};

struct MapDocument
{
    std::string title;                ///< e.g. "Voorbeeldpolder"
    std::string date;                 ///< printed in the footer
    std::string generator;            ///< e.g. "landel 0.3.0", printed in the footer
    std::string crs;                  ///< e.g. "EPSG:28992 (Amersfoort / RD New)"
    std::vector<std::string> sources; ///< data sources for the footer
    /// What rural land is, printed under the share legend: "the area excluding built-up area
    /// and NNN (aanvalsplan)". Empty: nothing printed.
    std::string denominator;
    std::vector<ShareClass> classes;
    std::vector<std::string> types; ///< element types, for the legend and colours
    /// The legend's words for the types, same order; empty: the types themselves.
    std::vector<std::string> type_labels;
    /// The opacity of the elements on the area pages: below 1 they are drawn lightly, as
    /// context for the layers.
    double element_alpha = 1.0;
    /// Drawn over the elements of the area pages, the last first so that the first lies on
    /// top; legend entries in this order.
    std::vector<FixedLayer> layers;
    std::string study_area_wkb; ///< "" : no outline of a study area
    std::vector<MapArea> areas;
    MapWording wording;
};

/// Page sizes in millimetres.
struct Page
{
    double width_mm = 297.0;
    double height_mm = 210.0;
};
inline constexpr Page a4_landscape{ 297.0, 210.0 };
inline constexpr Page a3_landscape{ 420.0, 297.0 };

/// Writes the overview as a PNG at @p dpi. @throws Error naming the path when cairo fails.
void write_overview_png(const std::filesystem::path& path,
                        const MapDocument& doc,
                        Page page = a4_landscape,
                        double dpi = 300.0);

/// Writes the map of area @p index as a PNG at @p dpi.
void write_area_png(const std::filesystem::path& path,
                    const MapDocument& doc,
                    std::size_t index,
                    Page page = a4_landscape,
                    double dpi = 300.0);

/// The overview or the map of area @p index (npos: the overview) as PNG bytes, for pages
/// that embed their images.
std::string map_png_bytes(const MapDocument& doc, std::size_t index, Page page, double dpi);
inline constexpr std::size_t overview = static_cast<std::size_t>(-1);

/// Writes a PDF: the overview, then the pages of the first @p area_pages areas.
void write_atlas_pdf(const std::filesystem::path& path,
                     const MapDocument& doc,
                     std::size_t area_pages,
                     Page page = a4_landscape);

} // namespace landel::render
