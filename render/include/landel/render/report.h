#pragma once
/// @file report.h
/// report.html: one self-contained page to read a run's results offline — summary figures, a
/// sortable table of the areas with their targets and bid, the maps, and an interactive map of
/// areas and elements (Leaflet compiled into landel and inlined, images as data URIs, so the
/// page requests nothing beyond itself).

#include "landel/core/palette.h"

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
    ReportTable areas;
    std::string overview_png;                                   ///< PNG bytes; empty: none
    std::vector<std::pair<std::string, std::string>> area_pngs; ///< (caption, PNG bytes)
    /// WGS 84 FeatureCollections: areas with properties id, name, share, fill (#rrggbb);
    /// elements with type and fill.
    std::string areas_geojson;
    std::string elements_geojson;
    std::vector<std::pair<std::string, palette::Rgb>> legend; ///< map legend entries
    std::vector<std::string> notes;                           ///< shown under the map
};

/// The whole page.
std::string report_html(const Report& report);

/// Base64 of @p bytes (RFC 4648), for data URIs.
std::string base64(const std::string& bytes);

} // namespace landel::render
