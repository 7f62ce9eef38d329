// `landel bid`: the area bid again, from a finished run's areas.gpkg, without measuring —
// for new costs, mixes, regions, potential or milestones.

#include "stages/bid_stage.h"
#include "stages/from_run.h"
#include "stages/inputs.h"
#include "stages/manifest.h"
#include "stages/qgis_outputs.h"
#include "landel/pipeline/output_folder.h"
#include "landel/core/progress.h"
#include "landel/pipeline/run.h"

#include <nlohmann/json.hpp>

#include <map>

namespace landel::pipeline {

namespace fs = std::filesystem;

RunOutcome bid(const Config& config, const fs::path& from, const RunOptions& options)
{
    RunLog log(options.log_file, options.on_warning, options.on_info);
    try {
        log.info(std::string("landel ") + version() + " bid of " + config.file.string() + " from " +
                 from.string());
        const fs::path gpkg = detail::run_geopackage(from);
        StagedFolder folder = detail::from_run_folder(config, gpkg, options);
        const io::Crs crs = detail::run_crs(config);
        detail::RunBid run = detail::bid_from_run(config, crs, gpkg, log);
        analysis::MeasureResult& result = run.result;
        const detail::AreaBids& bids = run.bids;
        const detail::BidSetup& setup = run.setup;
        detail::LoadedInputs& inputs = run.inputs;
        const std::vector<int>& type_kinds = run.type_kinds;
        std::vector<std::string> outputs =
          detail::write_area_outputs(folder.path(), config, crs, result, type_kinds, setup, bids);
        detail::write_qgis_project(folder.path(), config, crs, false);
        outputs.insert(outputs.end(), { "landel.qgs", "summary.json", "landel.log" });

        nlohmann::ordered_json j;
        j["landel_version"] = version();
        j["command"] = "bid";
        j["config_path"] = fs::absolute(config.file).lexically_normal().string();
        j["from"] = fs::absolute(from).lexically_normal().string();
        j["inputs"] = detail::inputs_json(inputs);
        j["outputs"] = outputs;
        j["warnings"] = log.warnings();
        const RunOutcome totals = detail::totals_of(result);
        j["totals"] = { { "areas", totals.areas }, { "rural_ha", totals.rural_ha },
                        { "element_ha", totals.element_ha } };
        detail::write_summary(folder.path(), j.dump(2) + "\n");
        return detail::finish_job(folder, log, options.progress, totals);
    } catch (...) {
        detail::rethrow_job_error(log, config, options);
    }
}

} // namespace landel::pipeline
