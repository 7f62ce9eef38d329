#include "stages/qgis_outputs.h"

#include "landel/core/error.h"
#include "landel/io/qgis_styles.h"

#include <fstream>

namespace landel::pipeline::detail {

namespace {

io::LayerStyle areas_style(const Config& config)
{
    std::vector<io::ShareThreshold> thresholds;
    for (const auto& m : config.milestones)
        thresholds.push_back({ m.year, 100.0 * m.share });
    return io::areas_style(thresholds);
}

io::LayerStyle rural_land_style()
{
    return io::fill_style(palette::rural_land,
                          { 190, 180, 130 },
                          "Rural land per area (the area minus the vector masks)");
}

} // namespace

void style_area_layers(io::GeoPackageWriter& gpkg, const Config& config, bool rural_land)
{
    // Each style carries its layer's field aliases: QGIS shows them (GDAL 3.6 keeps none).
    const auto add = [&](const std::string& layer, const std::string& name, io::LayerStyle s) {
        s.aliases = gpkg.aliases(layer);
        gpkg.add_style(layer, name, io::to_qml(s), s.description);
    };
    add("areas", "landel share", areas_style(config));
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
    const io::LayerStyle areas = areas_style(config);
    gpkg.add_style("areas", "landel share", io::to_qml(areas), areas.description);
    const io::LayerStyle outline = io::outline_style();
    gpkg.add_style("units", "landel outline", io::to_qml(outline), outline.description);
}

void write_qgis_project(const std::filesystem::path& dir,
                        const Config& config,
                        const io::Crs& crs,
                        bool with_rural_land,
                        bool with_density)
{
    std::vector<io::ProjectLayer> layers;
    layers.push_back(
      { "Study area", "./areas.gpkg|layername=study_area", "ogr", false, "", io::outline_style() });
    layers.push_back({ "Areas: element share",
                       "./areas.gpkg|layername=areas",
                       "ogr",
                       false,
                       "",
                       areas_style(config) });
    layers.push_back({ "Landscape elements",
                       "./areas.gpkg|layername=elements",
                       "ogr",
                       false,
                       "",
                       io::elements_style(config.type_order) });
    if (with_rural_land)
        layers.push_back({ "Rural land",
                           "./areas.gpkg|layername=rural_land",
                           "ogr",
                           false,
                           "",
                           rural_land_style() });
    if (with_density)
        layers.push_back({ "Element density",
                           "./element_density.tif",
                           "gdal",
                           true,
                           (dir / "element_density.qml").string(),
                           {} });
    const std::string title = "landel" + (config.name.empty() ? std::string() : ": " + config.name);
    std::ofstream out(dir / "landel.qgs");
    out << io::qgis_project(title, crs, layers);
    if (!out)
        throw Error("cannot write '" + (dir / "landel.qgs").string() + "'");
}

} // namespace landel::pipeline::detail
