#include "landel/io/qgis_styles.h"

#include "landel/core/escape.h"
#include "landel/core/palette.h"

#include <ogr_spatialref.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

namespace landel::io {

namespace {

using escape::markup;
using Rgb = palette::Rgb;

std::string rgba(const Rgb& c, int alpha = 255)
{
    return std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + "," +
           std::to_string(alpha);
}

std::string option(const std::string& name, const std::string& value)
{
    return "<Option type=\"QString\" name=\"" + name + "\" value=\"" + markup(value) + "\"/>";
}

/// A fill symbol: colour and its opacity (0 for no fill, 255 opaque), outline colour and
/// width (mm).
std::string fill_symbol(const std::string& name,
                        const Rgb& fill,
                        int fill_alpha,
                        const Rgb& outline,
                        double outline_mm)
{
    const bool filled = fill_alpha > 0;
    std::ostringstream s;
    s << "<symbol type=\"fill\" name=\"" << name
      << "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
      << "<layer class=\"SimpleFill\" enabled=\"1\" pass=\"0\" locked=\"0\"><Option type=\"Map\">"
      << option("color", rgba(fill, fill_alpha)) << option("outline_color", rgba(outline))
      << option("outline_style", "solid") << option("outline_width", std::to_string(outline_mm))
      << option("outline_width_unit", "MM") << option("style", filled ? "solid" : "no")
      << option("joinstyle", "bevel") << "</Option></layer></symbol>";
    return s.str();
}

/// @p text inside a single-quoted QGIS expression string.
std::string escape_sql_quotes(const std::string& text)
{
    std::string out;
    for (char c : text) {
        out += c;
        if (c == '\'')
            out += '\'';
    }
    return out;
}

std::string number(double v)
{
    std::ostringstream s; // QGIS reads '.' decimals whatever the locale
    s.imbue(std::locale::classic());
    s.precision(10);
    s << v;
    return s.str();
}

/// A project layer's id: QGIS keeps an id only when it is longer than ten characters
/// (QgsMapLayer::readLayerXml) and gives a shorter one a new id, which leaves the layer tree's
/// nodes pointing at nothing. Ids are derived from the position and source so that a project
/// is written byte for byte the same on every run.
std::string layer_id(const ProjectLayer& layer, std::size_t position)
{
    std::string id = "landel_layer_" + std::to_string(position) + "_";
    for (char c : layer.source)
        id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return id;
}

} // namespace

LayerStyle areas_style(const std::vector<ShareThreshold>& milestones, const Translation& words)
{
    // Breaks: 0, half the first milestone, then every milestone; the last class has no top.
    std::vector<double> edges{ 0.0 };
    std::vector<std::string> met{ "" };
    if (!milestones.empty()) {
        edges.push_back(milestones.front().share_pct / 2.0);
        met.push_back("");
        for (const ShareThreshold& m : milestones) {
            edges.push_back(m.share_pct);
            met.push_back(std::to_string(m.year) + " target met");
        }
    }
    const std::size_t classes = edges.size();
    std::ostringstream ranges, symbols;
    for (std::size_t k = 0; k < classes; ++k) {
        const double lower = edges[k];
        const double upper = k + 1 < classes ? edges[k + 1] : 100.0;
        std::string label;
        if (k == 0)
            label = "under " + number(upper) + " %";
        else if (k + 1 == classes)
            label = number(lower) + " % and more";
        else
            label = number(lower) + " - " + number(upper) + " %";
        if (!met[k].empty())
            label += ": " + met[k];
        ranges << "<range lower=\"" << number(lower) << "\" upper=\"" << number(upper)
               << "\" symbol=\"" << k << "\" label=\"" << markup(words(label))
               << "\" render=\"true\" uuid=\"{landel-share-" << k << "}\"/>";
        symbols << fill_symbol(
          std::to_string(k),
          palette::share_ramp(classes > 1 ? double(k) / double(classes - 1) : 1.0),
          area_fill_alpha,
          { 60, 60, 60 },
          0.26);
    }
    LayerStyle s;
    s.geometry = "Polygon";
    s.description =
      "Areas graduated by the element share of their rural land with the targets as breaks";
    s.renderer_xml =
      "<renderer-v2 type=\"graduatedSymbol\" attr=\"share_pct\" graduatedMethod=\"GraduatedColor\" "
      "symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\"><ranges>" +
      ranges.str() + "</ranges><symbols>" + symbols.str() +
      "</symbols><mode name=\"manual\"/><classificationMethod id=\"Fixed\"/></renderer-v2>";
    const std::string expression = "coalesce(nullif(\"area_name\", ''), \"area_id\") || '\n' || "
                                   "coalesce(format_number(\"share_pct\", 1) || ' %', '" +
                                   escape_sql_quotes(words("no rural land")) + "')";
    s.labeling_xml =
      "<labeling type=\"simple\"><settings calloutType=\"simple\"><text-style fieldName=\"" +
      markup(expression) +
      "\" isExpression=\"1\" fontSize=\"8\" fontSizeUnit=\"Point\" textColor=\"30,30,30,255\" "
      "fontWeight=\"50\" multilineHeight=\"1\"><text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" "
      "bufferSizeUnits=\"MM\" bufferColor=\"255,255,255,255\" bufferOpacity=\"0.8\"/></text-style>"
      "<text-format multilineAlign=\"1\"/><placement placement=\"1\" offsetType=\"0\"/>"
      "<rendering obstacle=\"1\" displayAll=\"0\" upsidedownLabels=\"0\"/></settings></labeling>";
    return s;
}

LayerStyle categories_style(const std::string& attribute,
                            const std::vector<std::pair<std::string, palette::Rgb>>& entries,
                            const std::string& description)
{
    return categories_style(attribute, entries, description, 255, std::nullopt, 0.1);
}

LayerStyle categories_style(const std::string& attribute,
                            const std::vector<std::pair<std::string, palette::Rgb>>& entries,
                            const std::string& description,
                            int fill_alpha,
                            std::optional<palette::Rgb> outline,
                            double outline_mm)
{
    std::ostringstream categories, symbols;
    for (std::size_t k = 0; k < entries.size(); ++k) {
        categories << "<category value=\"" << markup(entries[k].first) << "\" symbol=\"" << k
                   << "\" label=\"" << markup(entries[k].first)
                   << "\" render=\"true\" uuid=\"{landel-category-" << k << "}\"/>";
        symbols << fill_symbol(std::to_string(k),
                               entries[k].second,
                               fill_alpha,
                               outline.value_or(entries[k].second),
                               outline_mm);
    }
    LayerStyle s;
    s.geometry = "Polygon";
    s.description = description;
    s.renderer_xml = "<renderer-v2 type=\"categorizedSymbol\" attr=\"" + markup(attribute) +
                     "\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\"><categories>" +
                     categories.str() + "</categories><symbols>" + symbols.str() +
                     "</symbols></renderer-v2>";
    return s;
}

LayerStyle elements_style(const std::vector<std::string>& types)
{
    std::vector<std::pair<std::string, palette::Rgb>> entries;
    for (std::size_t k = 0; k < types.size(); ++k)
        entries.push_back({ types[k], palette::type_colour(types[k], k) });
    return categories_style("type", entries, "Element area owned per type: one colour per type");
}

LayerStyle candidates_style(const std::vector<std::string>& types)
{
    std::vector<std::pair<std::string, palette::Rgb>> entries;
    for (std::size_t k = 0; k < types.size(); ++k)
        entries.push_back({ types[k], palette::type_colour(types[k], k) });
    // Proposals, not elements: the type's colour half-transparent inside an orange outline.
    return categories_style("type",
                            entries,
                            "Candidate sites by the type they would hold",
                            candidate_fill_alpha,
                            palette::proposed_site,
                            0.5);
}

LayerStyle outline_style()
{
    LayerStyle s;
    s.geometry = "Polygon";
    s.description = "The study area as an outline";
    s.renderer_xml =
      "<renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">"
      "<symbols>" +
      fill_symbol("0", { 255, 255, 255 }, 0, { 40, 40, 40 }, 0.8) + "</symbols></renderer-v2>";
    return s;
}

LayerStyle fill_style(const Rgb& fill, const Rgb& outline, const std::string& description)
{
    LayerStyle s;
    s.geometry = "Polygon";
    s.description = description;
    s.renderer_xml =
      "<renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">"
      "<symbols>" +
      fill_symbol("0", fill, 255, outline, 0.1) + "</symbols></renderer-v2>";
    return s;
}

std::string to_qml(const LayerStyle& style)
{
    std::string aliases;
    for (std::size_t k = 0; k < style.aliases.size(); ++k)
        aliases += "<alias field=\"" + markup(style.aliases[k].first) + "\" index=\"" +
                   std::to_string(k) + "\" name=\"" + markup(style.aliases[k].second) + "\"/>";
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
           "<qgis version=\"3.22.16-Białowieża\" styleCategories=\"Symbology|Labeling" +
           std::string(aliases.empty() ? "" : "|Fields") + "\" labelsEnabled=\"" +
           std::string(style.labeling_xml.empty() ? "0" : "1") + "\">\n" + style.renderer_xml +
           "\n" + style.labeling_xml +
           (aliases.empty() ? std::string() : "\n<aliases>" + aliases + "</aliases>") +
           "\n<layerGeometryType>2</layerGeometryType>\n</qgis>\n";
}

std::string qgis_project(const std::string& title,
                         const Crs& crs,
                         const std::vector<ProjectLayer>& layers,
                         const Box& view)
{
    const OGRSpatialReference& srs = crs.srs();
    const char* auth = srs.GetAuthorityName(nullptr);
    const char* code = srs.GetAuthorityCode(nullptr);
    const std::string authid = auth && code ? std::string(auth) + ":" + code : std::string();
    const char* name = srs.GetName();
    std::ostringstream spatial;
    spatial << "<spatialrefsys><wkt>" << markup(crs.wkt()) << "</wkt><authid>" << markup(authid)
            << "</authid><description>" << markup(name ? name : "")
            << "</description></spatialrefsys>";

    std::vector<std::string> ids;
    for (std::size_t k = 0; k < layers.size(); ++k)
        ids.push_back(layer_id(layers[k], k));
    std::ostringstream tree, maplayers, order;
    for (std::size_t k = 0; k < layers.size(); ++k) {
        const ProjectLayer& l = layers[k];
        const std::string& id = ids[k];
        tree << "<layer-tree-layer id=\"" << id << "\" name=\"" << markup(l.name) << "\" source=\""
             << markup(l.source) << "\" providerKey=\"" << l.provider << "\" checked=\""
             << (l.visible ? "Qt::Checked" : "Qt::Unchecked")
             << "\" expanded=\"1\"><customproperties><Option/></customproperties>"
             << "</layer-tree-layer>";
        order << "<item>" << id << "</item>";
        maplayers << "<maplayer type=\"" << (l.raster ? "raster" : "vector") << "\""
                  << (l.raster ? "" : " geometry=\"Polygon\"") << " labelsEnabled=\""
                  << (l.style.labeling_xml.empty() ? "0" : "1") << "\"><id>" << id
                  << "</id><datasource>" << markup(l.source) << "</datasource><layername>"
                  << markup(l.name) << "</layername><srs>" << spatial.str() << "</srs><provider>"
                  << l.provider << "</provider>";
        if (!l.raster) {
            maplayers << l.style.renderer_xml << l.style.labeling_xml;
        } else if (!l.qml_path.empty()) {
            // A raster's symbology is the <pipe> of the .qml written beside it.
            std::ifstream in(l.qml_path);
            std::stringstream text;
            text << in.rdbuf();
            const std::string qml = text.str();
            const auto from = qml.find("<pipe>"), to = qml.find("</pipe>");
            if (from != std::string::npos && to != std::string::npos)
                maplayers << qml.substr(from, to + 7 - from);
        }
        maplayers << "</maplayer>";
    }
    std::ostringstream p;
    p << "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
      << "<qgis projectname=\"" << markup(title) << "\" version=\"3.22.16-Białowieża\">\n"
      << "<homePath path=\"\"/>\n"
      << "<title>" << markup(title) << "</title>\n"
      << "<projectCrs>" << spatial.str() << "</projectCrs>\n"
      << "<layer-tree-group><customproperties><Option/></customproperties>" << tree.str()
      << "<custom-order enabled=\"0\">" << order.str() << "</custom-order></layer-tree-group>\n";
    if (!view.empty()) {
        // The desktop's canvas opens on <mapcanvas>; ProjectViewSettings is the default view
        // other clients (QGIS server, PyQGIS) read.
        const std::string extent = "<xmin>" + number(view.xmin) + "</xmin><ymin>" +
                                   number(view.ymin) + "</ymin><xmax>" + number(view.xmax) +
                                   "</xmax><ymax>" + number(view.ymax) + "</ymax>";
        p << "<mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\"><units>meters</units>"
          << "<extent>" << extent << "</extent><rotation>0</rotation><destinationsrs>"
          << spatial.str() << "</destinationsrs><rendermaptile>0</rendermaptile></mapcanvas>\n";
        p << "<ProjectViewSettings UseProjectScales=\"0\" rotation=\"0\"><Scales/>"
          << "<DefaultViewExtent xmin=\"" << number(view.xmin) << "\" ymin=\"" << number(view.ymin)
          << "\" xmax=\"" << number(view.xmax) << "\" ymax=\"" << number(view.ymax) << "\">"
          << spatial.str() << "</DefaultViewExtent></ProjectViewSettings>\n";
    }
    p << "<projectlayers>" << maplayers.str() << "</projectlayers>\n"
      << "<layerorder>";
    for (const std::string& id : ids)
        p << "<layer id=\"" << id << "\"/>";
    p << "</layerorder>\n"
      << "<properties><Paths><Absolute type=\"bool\">false</Absolute></Paths></properties>\n"
      << "</qgis>\n";
    return p.str();
}

} // namespace landel::io
