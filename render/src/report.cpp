#include "landel/render/report.h"

#include "landel/core/escape.h"
#include "landel/core/sha256.h"

#include <array>
#include <cstdio>
#include <regex>
#include <sstream>

namespace landel::render {

namespace detail {
extern const unsigned char leaflet_js[];
extern const std::size_t leaflet_js_size;
extern const unsigned char leaflet_css[];
extern const std::size_t leaflet_css_size;
} // namespace detail

namespace {

using escape::markup;

std::string hex(const palette::Rgb& c)
{
    char text[8];
    std::snprintf(text, sizeof text, "#%02x%02x%02x", c.r, c.g, c.b);
    return text;
}

/// Text that goes inside a <script> element: nothing may close it early.
std::string script_safe(std::string s)
{
    for (std::size_t at = s.find("</"); at != std::string::npos; at = s.find("</", at + 3))
        s.replace(at, 2, "<\\/");
    return s;
}

/// JSON for a <script type="application/json"> block, which the page reads with JSON.parse:
/// '<', '>' and '&' (which could end the element or open a comment) and U+2028/U+2029 become
/// \u escapes. Valid JSON has them only inside strings, where the escape is the same text.
std::string script_json(const std::string& json)
{
    std::string out;
    out.reserve(json.size());
    for (std::size_t i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (c == '<')
            out += "\\u003c";
        else if (c == '>')
            out += "\\u003e";
        else if (c == '&')
            out += "\\u0026";
        else if (c == '\xe2' && (json.compare(i + 1, 2, "\x80\xa8") == 0 ||
                                 json.compare(i + 1, 2, "\x80\xa9") == 0)) {
            out += json[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

/// A CSP source allowing exactly the inline element whose text is @p text.
std::string csp_hash(const std::string& text)
{
    const std::array<unsigned char, 32> digest = sha256(text);
    return "'sha256-" + base64(std::string(digest.begin(), digest.end())) + "'";
}

/// Leaflet as shipped, made fully offline: no source-map reference (devtools would fetch it)
/// and no image URLs in its CSS (the page uses neither markers nor the layers control).
std::string leaflet_js()
{
    std::string js(reinterpret_cast<const char*>(detail::leaflet_js), detail::leaflet_js_size);
    js = std::regex_replace(js, std::regex("//# sourceMappingURL=[^\\n]*"), "");
    return script_safe(js);
}

std::string leaflet_css()
{
    const std::string css(reinterpret_cast<const char*>(detail::leaflet_css),
                          detail::leaflet_css_size);
    return std::regex_replace(css, std::regex("url\\([^)]*\\)"), "none");
}

const char* page_css = R"css(
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:0;color:#222;background:#fafaf7}
header{padding:18px 28px;background:#2f5d3a;color:#fff}
header h1{margin:0;font-size:24px}header p{margin:4px 0 0;opacity:.85;font-size:13px}
main{padding:16px 28px}
section{margin:18px 0}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{background:#fff;border:1px solid #ddd;border-radius:4px;padding:8px 12px;min-width:150px}
.card b{display:block;font-size:18px}.card span{font-size:12px;color:#555}
#map{height:520px;border:1px solid #bbb;background:#fff}
.legend{background:#fff;padding:6px 8px;font-size:12px;line-height:18px;border:1px solid #bbb}
.legend i{display:inline-block;width:14px;height:10px;margin-right:6px;border:1px solid #555}
table{border-collapse:collapse;font-size:12px;background:#fff}
th,td{border:1px solid #ddd;padding:3px 6px;white-space:nowrap}
th{background:#eef2ee;cursor:pointer;position:sticky;top:0}th:hover{background:#dde6dd}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.scroll{max-height:520px;overflow:auto;border:1px solid #ccc}
.met{background:#c6efce}.below{background:#ffeb9c}.none{background:#ededed}
.track{background:#ddebf7}
.cautions{background:#fff4e5;border-left:4px solid #e08a00;padding:6px 14px;font-size:13px}
.charts{display:flex;flex-wrap:wrap;gap:12px}
figure.chart{background:#fff;border:1px solid #ddd;padding:6px;margin:0}
img.map{max-width:100%;border:1px solid #ccc;background:#fff}
figure{margin:10px 0}figcaption{font-size:12px;color:#555}
.notes{font-size:12px;color:#555}
)css";

// The data comes from the JSON block and enters the page only as text nodes (textContent,
// createTextNode), never as markup: an area named "<img onerror=...>" shows as those characters.
const char* map_js = R"js(
(function(){
  var data = JSON.parse(document.getElementById('landel-data').textContent);
  var map = L.map('map', {preferCanvas: true, attributionControl: false});
  function popup(p){
    var d = document.createDocumentFragment(), b = document.createElement('b');
    b.textContent = p.id + ' ' + (p.name || '');
    d.appendChild(b); d.appendChild(document.createElement('br'));
    d.appendChild(document.createTextNode('share of rural land: ' +
      (p.share === null ? 'no rural land' : p.share.toFixed(1) + ' %')));
    return d;
  }
  var areas = L.geoJSON(data.areas, {style: function(f){return {color:'#333',weight:1,fillColor:f.properties.fill,fillOpacity:0.55};},
    onEachFeature: function(f, layer){layer.bindPopup(function(){return popup(f.properties);});}});
  var elements = L.geoJSON(data.elements, {style: function(f){return {color:f.properties.fill,weight:1,fillColor:f.properties.fill,fillOpacity:0.9};}});
  areas.addTo(map); elements.addTo(map);
  var b = areas.getBounds(); if (b.isValid()) map.fitBounds(b); else map.setView([52.1, 5.3], 8);
  L.control.scale({imperial:false}).addTo(map);
  L.control.layers(null, {'Areas': areas, 'Landscape elements': elements}, {collapsed:false}).addTo(map);
  var legend = L.control({position:'bottomright'});
  legend.onAdd = function(){var d=L.DomUtil.create('div','legend');
    data.legend.forEach(function(e){L.DomUtil.create('i','',d).style.background=e[1];
      d.appendChild(document.createTextNode(e[0]));L.DomUtil.create('br','',d);});return d;};
  legend.addTo(map);
})();
)js";

// Sortable tables: click a header; numbers sort as numbers. Rows are moved, never rewritten.
const char* table_js = R"js(
(function(){
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function(table){
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function(th, col){
      th.addEventListener('click', function(){
        var asc = th.getAttribute('data-sort') !== 'asc';
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function(c){c.removeAttribute('data-sort');});
        th.setAttribute('data-sort', asc ? 'asc' : 'desc');
        var numeric = th.getAttribute('data-numeric') === '1';
        var rows = Array.prototype.slice.call(table.tBodies[0].rows);
        rows.sort(function(a, b){
          var x = a.cells[col].getAttribute('data-v') || a.cells[col].textContent;
          var y = b.cells[col].getAttribute('data-v') || b.cells[col].textContent;
          if (numeric) { x = x === '' ? -Infinity : parseFloat(x); y = y === '' ? -Infinity : parseFloat(y); }
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        rows.forEach(function(r){table.tBodies[0].appendChild(r);});
      });
    });
  });
})();
)js";

/// The class of a status cell: a run's met_* / below_* / no_rural_land, a comparison's met /
/// on_track / behind; numbers right-aligned.
std::string cell_class(const std::string& v, bool numeric)
{
    if (v == "met" || v.rfind("met_", 0) == 0)
        return "met";
    if (v == "behind" || v.rfind("below_", 0) == 0)
        return "below";
    if (v == "on_track")
        return "track";
    if (v == "no_rural_land")
        return "none";
    return numeric ? "n" : "";
}

void table_html(std::ostringstream& p, const ReportTable& t, const std::string& id)
{
    p << "<div class=\"scroll\"><table class=\"sortable\""
      << (id.empty() ? "" : " id=\"" + id + "\"") << "><thead><tr>";
    for (std::size_t c = 0; c < t.headers.size(); ++c)
        p << "<th data-numeric=\"" << (c < t.numeric.size() && t.numeric[c] ? 1 : 0) << "\">"
          << markup(t.headers[c]) << "</th>";
    p << "</tr></thead><tbody>";
    for (const auto& row : t.rows) {
        p << "<tr>";
        for (std::size_t c = 0; c < row.size(); ++c) {
            const std::string cls = cell_class(row[c], c < t.numeric.size() && t.numeric[c]);
            p << "<td" << (cls.empty() ? "" : " class=\"" + cls + "\"") << ">" << markup(row[c])
              << "</td>";
        }
        p << "</tr>";
    }
    p << "</tbody></table></div>";
}

void charts_html(std::ostringstream& p, const Report& r)
{
    p << "<section><h2>" << markup(r.charts_heading) << "</h2>";
    if (!r.charts_intro.empty())
        p << "<p class=\"notes\">" << markup(r.charts_intro) << "</p>";
    p << "<div class=\"charts\">";
    for (const ShareChart& c : r.charts)
        p << "<figure class=\"chart\">" << share_chart_svg(c) << "<figcaption>" << markup(c.title)
          << "</figcaption></figure>";
    p << "</div></section>\n";
}

void pictures_html(std::ostringstream& p, const Report& r)
{
    if (!r.overview_png.empty())
        p << "<section><h2>" << markup(r.words.overview_map) << "</h2><img class=\"map\" alt=\""
          << markup(r.words.overview_map) << "\" src=\"data:image/png;base64,"
          << base64(r.overview_png) << "\"></section>\n";
    if (!r.area_pngs.empty()) {
        p << "<section><h2>" << markup(r.words.area_maps) << "</h2>";
        for (const auto& [caption, png] : r.area_pngs)
            p << "<figure><img class=\"map\" alt=\"" << markup(caption)
              << "\" src=\"data:image/png;base64," << base64(png) << "\"><figcaption>"
              << markup(caption) << "</figcaption></figure>";
        p << "</section>\n";
    }
}

/// The data block the map script reads: one JSON object that is never run. The legend's
/// colours are ours (#rrggbb).
std::string map_data(const Report& r)
{
    const std::string no_features = "{\"type\":\"FeatureCollection\",\"features\":[]}";
    const auto or_none = [&](const std::string& geojson) {
        return geojson.empty() ? no_features : geojson;
    };
    std::string json = "{\"areas\":" + or_none(r.areas_geojson) +
                       ",\"elements\":" + or_none(r.elements_geojson) + ",\"legend\":[";
    for (std::size_t k = 0; k < r.legend.size(); ++k)
        json += (k ? ",[" : "[") + escape::json_string(r.legend[k].first) + ",\"" +
                hex(r.legend[k].second) + "\"]";
    return json + "]}";
}

} // namespace

std::string base64(const std::string& bytes)
{
    static const char* alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 |
                           (unsigned char)bytes[i + 2];
        out += alphabet[v >> 18 & 63];
        out += alphabet[v >> 12 & 63];
        out += alphabet[v >> 6 & 63];
        out += alphabet[v & 63];
    }
    if (i < bytes.size()) {
        unsigned v = (unsigned char)bytes[i] << 16;
        if (i + 1 < bytes.size())
            v |= (unsigned char)bytes[i + 1] << 8;
        out += alphabet[v >> 18 & 63];
        out += alphabet[v >> 12 & 63];
        out += i + 1 < bytes.size() ? alphabet[v >> 6 & 63] : '=';
        out += '=';
    }
    return out;
}

std::string report_html(const Report& r)
{
    const std::string leaflet = r.interactive_map ? leaflet_js() : std::string();
    const std::string style = (r.interactive_map ? leaflet_css() : std::string()) + page_css;
    // The page runs its own scripts and applies its own style sheet, recognised by their
    // hashes, and nothing else: no inline handler, no injected <script>, no remote resource.
    const std::string scripts =
      r.interactive_map ? csp_hash(leaflet) + " " + csp_hash(map_js) + " " + csp_hash(table_js)
                        : csp_hash(table_js);
    std::ostringstream p;
    p << "<!DOCTYPE html>\n<html lang=\"" << markup(r.words.language)
      << "\"><head><meta charset=\"utf-8\">"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src "
         "data:; "
      << "style-src " << csp_hash(style) << "; script-src " << scripts
      << "; base-uri 'none'; form-action 'none'\">"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
      << markup(r.title) << "</title><style>" << style << "</style></head><body>\n";
    p << "<header><h1>" << markup(r.title) << "</h1><p>" << markup(r.subtitle)
      << "</p></header><main>\n";
    p << "<section><h2>" << markup(r.words.summary) << "</h2><div class=\"cards\">";
    for (const auto& [label, value] : r.summary)
        p << "<div class=\"card\"><b>" << markup(value) << "</b><span>" << markup(label)
          << "</span></div>";
    p << "</div>";
    if (!r.cautions.empty()) {
        p << "<div class=\"cautions\">";
        for (const std::string& c : r.cautions)
            p << "<p class=\"caution\">" << markup(c) << "</p>";
        p << "</div>";
    }
    p << "</section>\n";
    if (!r.charts.empty())
        charts_html(p, r);
    if (r.interactive_map) {
        p << "<section><h2>" << markup(r.words.map) << "</h2><div id=\"map\"></div>";
        for (const std::string& n : r.notes)
            p << "<p class=\"notes\">" << markup(n) << "</p>";
        p << "</section>\n";
    }
    p << "<section><h2>" << markup(r.areas_heading) << "</h2><p class=\"notes\">"
      << markup(r.words.sort_hint) << "</p>";
    table_html(p, r.areas, "areas");
    p << "</section>\n";
    for (const auto& [heading, table] : r.tables) {
        p << "<section><h2>" << markup(heading) << "</h2>";
        table_html(p, table, "");
        p << "</section>\n";
    }
    pictures_html(p, r);
    if (!r.interactive_map && !r.notes.empty()) {
        p << "<section><h2>" << markup(r.words.notes) << "</h2>";
        for (const std::string& n : r.notes)
            p << "<p class=\"notes\">" << markup(n) << "</p>";
        p << "</section>\n";
    }
    p << "</main>\n";
    if (r.interactive_map)
        p << "<script type=\"application/json\" id=\"landel-data\">" << script_json(map_data(r))
          << "</script>\n<script>" << leaflet << "</script>\n<script>" << map_js << "</script>\n";
    p << "<script>" << table_js << "</script>\n</body></html>\n";
    return p.str();
}

} // namespace landel::render
