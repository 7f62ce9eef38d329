#pragma once
/// @file maps.h
/// Printed maps of a run with cairo: an overview of the areas coloured by their element share
/// against the targets, and a map per area with its elements by type and its figures, as PNG
/// (300 dpi) and PDF (a multi-page atlas, the overview first). Pages are A4 landscape (A3 for
/// the overview on request) with title, legend, scale bar, north arrow, date and sources.

#include "landel/core/palette.h"

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace landel::render {

/// One class of the share legend: [lower, upper) percent.
struct ShareClass
{
    double lower = 0.0;
    double upper = 0.0;
    std::string label;
    palette::Rgb colour;
};

struct MapArea
{
    std::string id;
    std::string name;
    std::string wkb;                 ///< polygonal, in the map CRS (metres)
    std::optional<double> share_pct; ///< empty: no rural land
    /// The side panel of its page: (label, value) lines, e.g. ("Share of rural land", "6.8 %").
    std::vector<std::pair<std::string, std::string>> figures;
    /// Its owned element geometry per type (index into MapDocument::types; "" for none).
    std::vector<std::string> elements_wkb;
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
    std::string study_area_wkb;
    std::vector<MapArea> areas;
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
