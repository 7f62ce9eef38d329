#include "landel/render/report.h"

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

std::string html(const std::string& s)
{
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

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
    const std::string css(reinterpret_cast<const char*>(detail::leaflet_css), detail::leaflet_css_size);
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
img.map{max-width:100%;border:1px solid #ccc;background:#fff}
figure{margin:10px 0}figcaption{font-size:12px;color:#555}
.notes{font-size:12px;color:#555}
)css";

const char* page_js = R"js(
(function(){
  var map = L.map('map', {preferCanvas: true, attributionControl: false});
  var areas = L.geoJSON(AREAS, {style: function(f){return {color:'#333',weight:1,fillColor:f.properties.fill,fillOpacity:0.55};},
    onEachFeature: function(f, layer){var p=f.properties;
      layer.bindPopup('<b>'+p.id+' '+(p.name||'')+'</b><br>share of rural land: '+(p.share===null?'no rural land':p.share.toFixed(1)+' %'));}});
  var elements = L.geoJSON(ELEMENTS, {style: function(f){return {color:f.properties.fill,weight:1,fillColor:f.properties.fill,fillOpacity:0.9};}});
  areas.addTo(map); elements.addTo(map);
  var b = areas.getBounds(); if (b.isValid()) map.fitBounds(b); else map.setView([52.1, 5.3], 8);
  L.control.scale({imperial:false}).addTo(map);
  L.control.layers(null, {'Areas': areas, 'Landscape elements': elements}, {collapsed:false}).addTo(map);
  var legend = L.control({position:'bottomright'});
  legend.onAdd = function(){var d=L.DomUtil.create('div','legend');
    LEGEND.forEach(function(e){d.innerHTML+='<i style="background:'+e[1]+'"></i>'+e[0]+'<br>';});return d;};
  legend.addTo(map);
  // Sortable table: click a header; numbers sort as numbers.
  var table = document.getElementById('areas');
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
})();
)js";

} // namespace

std::string base64(const std::string& bytes)
{
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 | (unsigned char)bytes[i + 2];
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
    std::ostringstream p;
    p << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
         "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" << html(r.title)
      << "</title><style>" << leaflet_css() << page_css << "</style></head><body>\n";
    p << "<header><h1>" << html(r.title) << "</h1><p>" << html(r.subtitle) << "</p></header><main>\n";
    p << "<section><h2>Summary</h2><div class=\"cards\">";
    for (const auto& [label, value] : r.summary)
        p << "<div class=\"card\"><b>" << html(value) << "</b><span>" << html(label) << "</span></div>";
    p << "</div></section>\n";
    p << "<section><h2>Map</h2><div id=\"map\"></div>";
    for (const std::string& n : r.notes)
        p << "<p class=\"notes\">" << html(n) << "</p>";
    p << "</section>\n";
    p << "<section><h2>Areas</h2><p class=\"notes\">Click a column header to sort.</p><div class=\"scroll\">"
      << "<table id=\"areas\"><thead><tr>";
    for (std::size_t c = 0; c < r.areas.headers.size(); ++c)
        p << "<th data-numeric=\"" << (c < r.areas.numeric.size() && r.areas.numeric[c] ? 1 : 0) << "\">"
          << html(r.areas.headers[c]) << "</th>";
    p << "</tr></thead><tbody>";
    for (const auto& row : r.areas.rows) {
        p << "<tr>";
        for (std::size_t c = 0; c < row.size(); ++c) {
            const bool numeric = c < r.areas.numeric.size() && r.areas.numeric[c];
            const std::string& v = row[c];
            std::string cls = numeric ? "n" : "";
            if (v.rfind("met_", 0) == 0)
                cls = "met";
            else if (v.rfind("below_", 0) == 0)
                cls = "below";
            else if (v == "no_rural_land")
                cls = "none";
            p << "<td" << (cls.empty() ? "" : " class=\"" + cls + "\"") << ">" << html(v) << "</td>";
        }
        p << "</tr>";
    }
    p << "</tbody></table></div></section>\n";
    if (!r.overview_png.empty())
        p << "<section><h2>Overview map</h2><img class=\"map\" alt=\"overview map\" src=\"data:image/png;base64,"
          << base64(r.overview_png) << "\"></section>\n";
    if (!r.area_pngs.empty()) {
        p << "<section><h2>Area maps</h2>";
        for (const auto& [caption, png] : r.area_pngs)
            p << "<figure><img class=\"map\" alt=\"" << html(caption) << "\" src=\"data:image/png;base64,"
              << base64(png) << "\"><figcaption>" << html(caption) << "</figcaption></figure>";
        p << "</section>\n";
    }
    p << "</main>\n<script>" << leaflet_js() << "</script>\n<script>var AREAS = " << script_safe(r.areas_geojson)
      << ";\nvar ELEMENTS = " << script_safe(r.elements_geojson) << ";\nvar LEGEND = [";
    for (std::size_t k = 0; k < r.legend.size(); ++k) {
        std::string label = r.legend[k].first;
        label = std::regex_replace(label, std::regex("[\\\\\"]"), "");
        p << (k ? "," : "") << "[\"" << script_safe(html(label)) << "\",\"" << hex(r.legend[k].second) << "\"]";
    }
    p << "];\n" << page_js << "</script>\n</body></html>\n";
    return p.str();
}

} // namespace landel::render
