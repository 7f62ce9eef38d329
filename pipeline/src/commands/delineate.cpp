// `landel delineate`: only the areas of a config (overlay or catchments), written as a
// GeoPackage, without measuring.

#include "landel/pipeline/delineate.h"

#include "job/finish.h"
#include "job/frame.h"
#include "job/output_target.h"
#include "landel/geometry/ops.h"
#include "landel/io/qgis_styles.h"
#include "landel/io/table_writers.h"
#include "landel/pipeline/version.h"
#include "stages/inputs.h"
#include "stages/manifest.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace landel::pipeline {

namespace fs = std::filesystem;

RunOutcome delineate(const Config& config, const RunOptions& options)
{
    return detail::run_as_job(config, options, [&](RunLog& log) {
        if (config.areas.method == AreasMethod::Given)
            throw Error(config.where(config.areas.method_line ? config.areas.method_line : 1) +
                        ": areas.method = \"given\" delineates nothing; `landel delineate` is for "
                        "\"overlay\" and \"catchments\"");
        log.info(std::string("landel ") + version() + " delineate " + config.file.string());
        const detail::OutputTarget target = detail::output_target(config, options.out);
        const fs::path& out = target.path;
        const std::string& as_given = target.as_given;
        const io::Crs crs = detail::run_crs(config);
        StagedFolder folder(out, as_given, options.overwrite, detail::config_paths(config));
        detail::LoadedInputs inputs = detail::load_areas_only(config, crs, log, options.progress);

        Table areas;
        areas.columns = { { "area_id", ColumnKind::Text, 0, "Area id" },
                          { "area_name", ColumnKind::Text, 0, "Area name" },
                          { "class", ColumnKind::Text, 0, "Physical-geographic class" },
                          { "area_ha", ColumnKind::Real, 6, "Area (ha)" } };
        geometry::GeosContext ctx;
        double total_ha = 0.0;
        std::vector<const analysis::AreaFeature*> sorted;
        for (const analysis::AreaFeature& a : inputs.request.areas)
            sorted.push_back(&a);
        // The engine's order: classes, then running numbers (overlay); labels (catchments).
        for (const analysis::AreaFeature* a : sorted) {
            const double ha = geometry::area(ctx, geometry::from_wkb(ctx, a->wkb).get()) / 1e4;
            total_ha += ha;
            areas.rows.push_back({ a->id, a->name, a->cls, ha });
            areas.geometry_wkb.push_back(a->wkb);
        }
        {
            io::GeoPackageWriter gpkg(folder.path() / "areas.gpkg", crs);
            gpkg.add_layer("areas", "Delineated areas", areas);
            // QGIS opens the areas coloured by class (outlines in the class colour's shade).
            std::vector<std::string> classes;
            for (const analysis::AreaFeature* a : sorted)
                if (std::find(classes.begin(), classes.end(), a->cls) == classes.end())
                    classes.push_back(a->cls);
            std::sort(classes.begin(), classes.end());
            std::vector<std::pair<std::string, palette::Rgb>> entries;
            for (std::size_t k = 0; k < classes.size(); ++k)
                entries.push_back({ classes[k], palette::class_colour(k) });
            const io::LayerStyle style =
              io::categories_style("class", entries, "Delineated areas by class");
            gpkg.add_style("areas", "landel classes", io::to_qml(style), style.description);
            gpkg.close();
        }

        nlohmann::ordered_json j;
        j["landel_version"] = version();
        j["command"] = "delineate";
        j["config_path"] = fs::absolute(config.file).lexically_normal().string();
        j["method"] = to_string(config.areas.method);
        j["inputs"] = detail::inputs_json(inputs);
        j["notes"] = inputs.delineation_notes;
        j["outputs"] = { "areas.gpkg", "summary.json", "landel.log" };
        j["warnings"] = log.warnings();
        j["totals"] = { { "areas", sorted.size() }, { "area_ha", total_ha } };
        detail::write_summary(folder.path(), j.dump(2) + "\n");
        RunOutcome outcome;
        outcome.areas = sorted.size();
        return detail::finish_job(folder, log, options.progress, outcome);
    });
}

} // namespace landel::pipeline
