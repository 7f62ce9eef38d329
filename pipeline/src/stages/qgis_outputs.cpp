#include "stages/qgis_outputs.h"

#include "landel/core/error.h"
#include "landel/geometry/ops.h"
#include "landel/io/qgis_styles.h"

#include <fstream>

namespace landel::pipeline::detail {

namespace {

io::LayerStyle areas_style(const Config& config, const Translation& words)
{
    std::vector<io::ShareThreshold> thresholds;
    for (const auto& m : config.milestones)
        thresholds.push_back({ m.year, 100.0 * m.share });
    return io::areas_style(thresholds, words);
}

io::LayerStyle rural_land_style()
{
    return io::fill_style(palette::rural_land,
                          { 190, 180, 130 },
                          "Rural land per area (the area minus the vector masks)");
}

/// A style with its description in the language of @p words.
io::LayerStyle described(io::LayerStyle style, const Translation& words)
{
    style.description = words(style.description);
    return style;
}

} // namespace

void style_area_layers(io::GeoPackageWriter& gpkg,
                       const Config& config,
                       bool rural_land,
                       const Translation& words)
{
    // Each style carries its layer's field aliases: QGIS shows them (GDAL 3.6 keeps none).
    const auto add = [&](const std::string& layer, const std::string& name, io::LayerStyle s) {
        s = described(std::move(s), words);
        s.aliases = gpkg.aliases(layer);
        gpkg.add_style(layer, name, io::to_qml(s), s.description);
    };
    add("areas", "landel share", areas_style(config, words));
    add("elements", "landel types", io::elements_style(config.type_order));
    add("study_area", "landel outline", io::outline_style());
    if (rural_land)
        add("rural_land", "landel rural land", rural_land_style());
}

void style_change_layers(io::GeoPackageWriter& gpkg, const Translation& words)
{
    const std::pair<const char*, io::LayerStyle> layers[] = {
        { "gained", io::fill_style(palette::gained, palette::gained, words("New element land")) },
        { "lost", io::fill_style(palette::lost, palette::lost, words("Element land lost")) },
        { "reclassified",
          io::fill_style(
            palette::reclassified, palette::reclassified, words("Element land of another type")) },
        { "realigned",
          io::fill_style(
            palette::realigned, palette::realigned, words("Redigitising noise, not change")) },
    };
    for (auto [layer, style] : layers) {
        style.aliases = gpkg.aliases(layer);
        gpkg.add_style(layer, std::string("landel ") + layer, io::to_qml(style), style.description);
    }
}

void style_batch_layers(io::GeoPackageWriter& gpkg, const Config& config)
{
    const io::LayerStyle areas = areas_style(config, Translation());
    gpkg.add_style("areas", "landel share", io::to_qml(areas), areas.description);
    const io::LayerStyle outline = io::outline_style();
    gpkg.add_style("units", "landel outline", io::to_qml(outline), outline.description);
}

Box areas_extent(const analysis::MeasureResult& result)
{
    geometry::GeosContext ctx;
    Box all;
    for (const analysis::AreaMeasure& area : result.areas)
        if (!area.geometry_wkb.empty())
            all.expand(geometry::envelope(ctx, geometry::from_wkb(ctx, area.geometry_wkb).get()));
    return all;
}

void write_qgis_project(const std::filesystem::path& dir,
                        const Config& config,
                        const io::Crs& crs,
                        const ProjectContent& content,
                        const Translation& words)
{
    // Top of the panel first, drawn last: the study area's outline and the elements above the
    // areas' half-transparent share classes, so that no element is hidden. Rural land and the
    // density raster would cover the areas' colours; they are in the panel, unchecked.
    std::vector<io::ProjectLayer> layers;
    const auto add = [&](const char* name, const std::string& table, io::LayerStyle style) {
        layers.push_back(
          { words(name), "./areas.gpkg|layername=" + table, "ogr", false, "", std::move(style) });
    };
    add("Study area", "study_area", io::outline_style());
    if (content.candidates) {
        // The chosen stretches drawn; every candidate in the panel, unchecked.
        layers.push_back({ words("Chosen sites"),
                           "./candidates.gpkg|layername=sites",
                           "ogr",
                           false,
                           "",
                           io::candidates_style(config.type_order) });
        layers.push_back({ words("Candidate sites"),
                           "./candidates.gpkg|layername=candidates",
                           "ogr",
                           false,
                           "",
                           io::candidates_style(config.type_order) });
        layers.back().visible = false;
    }
    add("Landscape elements", "elements", io::elements_style(config.type_order));
    add("Areas: element share", "areas", areas_style(config, words));
    if (content.rural_land) {
        add("Rural land", "rural_land", rural_land_style());
        layers.back().visible = false;
    }
    if (content.density) {
        io::ProjectLayer density{ words("Element density"),
                                  "./element_density.tif",
                                  "gdal",
                                  true,
                                  (dir / "element_density.qml").string(),
                                  {} };
        density.visible = false;
        layers.push_back(std::move(density));
    }
    const std::string title = "landel" + (config.name.empty() ? std::string() : ": " + config.name);
    std::ofstream out(dir / "landel.qgs");
    out << io::qgis_project(title, crs, layers, content.view);
    if (!out)
        throw Error("cannot write '" + (dir / "landel.qgs").string() + "'");
}

} // namespace landel::pipeline::detail
