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

} // namespace

void style_area_layers(io::GeoPackageWriter& gpkg, const Config& config)
{
    const io::LayerStyle areas = areas_style(config);
    gpkg.add_style("areas", "landel share", io::to_qml(areas), areas.description);
    const io::LayerStyle elements = io::elements_style(config.type_order);
    gpkg.add_style("elements", "landel types", io::to_qml(elements), elements.description);
    const io::LayerStyle outline = io::outline_style();
    gpkg.add_style("study_area", "landel outline", io::to_qml(outline), outline.description);
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
