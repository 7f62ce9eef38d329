#pragma once
/// @file report.h
/// report.html: one self-contained page to read results offline — summary figures, a
/// sortable table of the areas, the maps, and an interactive map of areas and elements
/// (Leaflet compiled into landel and inlined, images as data URIs, so the page requests
/// nothing beyond itself). A run's report has all of them; a comparison's (`landel compare`)
/// has no interactive map but cautions, charts of the share per year and further tables.

#include "landel/core/palette.h"
#include "landel/render/share_chart.h"

#include <string>
#include <utility>
#include <vector>

namespace landel::render {

struct ReportTable
{
    std::vector<std::string> headers;
    std::vector<bool> numeric; ///< per column: sort as numbers
    std::vector<std::vector<std::string>> rows;
};

struct Report
{
    std::string title;
    std::string subtitle; ///< e.g. "landel 0.3.0 · 2026-12-01 · EPSG:28992"
    std::vector<std::pair<std::string, std::string>> summary; ///< (label, value) cards
    /// Shown in a box under the summary: what a reader must know before trusting the figures.
    std::vector<std::string> cautions;
    /// A section of charts when not empty, under @c charts_heading with @c charts_intro.
    std::vector<ShareChart> charts;
    std::string charts_heading, charts_intro;
    std::string areas_heading = "Areas";
    ReportTable areas; ///< the table with id "areas"
    /// Further sortable tables after the areas: (heading, table).
    std::vector<std::pair<std::string, ReportTable>> tables;
    std::string overview_png;                                   ///< PNG bytes; empty: none
    std::vector<std::pair<std::string, std::string>> area_pngs; ///< (caption, PNG bytes)
    /// The interactive map; without it the page has neither Leaflet nor the data block.
    bool interactive_map = true;
    /// WGS 84 FeatureCollections: areas with properties id, name, share, fill (#rrggbb);
    /// elements with type and fill.
    std::string areas_geojson;
    std::string elements_geojson;
    std::vector<std::pair<std::string, palette::Rgb>> legend; ///< map legend entries
    /// Shown under the map, or in a section of their own when there is no map.
    std::vector<std::string> notes;
    /// The page's own words, in its language (an HTML language tag in @c language).
    struct Words
    {
        std::string language = "en";
        std::string summary = "Summary", map = "Map", notes = "Notes";
        std::string overview_map = "Overview map", area_maps = "Area maps";
        std::string sort_hint = "Click a column header to sort.";
    } words;
};

/// The whole page.
std::string report_html(const Report& report);

/// Base64 of @p bytes (RFC 4648), for data URIs.
std::string base64(const std::string& bytes);

} // namespace landel::render
