// `landel bid`: the area bid again, from a finished run's areas.gpkg, without measuring —
// for new costs, mixes, regions, potential or milestones.

#include "landel/pipeline/bid.h"

#include "commands/from_run_job.h"
#include "job/finish.h"
#include "landel/pipeline/version.h"
#include "stages/candidate_tables.h"
#include "stages/manifest.h"
#include "stages/milestone_totals.h"
#include "stages/qgis_outputs.h"
#include "stages/result_tables.h"

#include <nlohmann/json.hpp>

namespace landel::pipeline {

namespace fs = std::filesystem;

namespace {

/// The bid's outputs: the area tables, the QGIS project and summary.json.
RunOutcome write_bid(const Config& config,
                     const fs::path& from,
                     StagedFolder& folder,
                     const io::Crs& crs,
                     detail::RunBid& run,
                     RunLog& log)
{
    detail::ProjectContent project; // before the geometry moves out
    project.rural_land = detail::rural_land_known(run.result);
    project.view = detail::areas_extent(run.result);
    std::vector<std::string> outputs = detail::write_area_outputs(
      folder.path(), config, crs, run.result, run.type_kinds, run.setup, run.bids);
    const std::vector<std::string> candidates =
      detail::write_candidates(folder.path(), config, crs, run.result, run.bids);
    outputs.insert(outputs.end(), candidates.begin(), candidates.end());
    project.candidates = !candidates.empty();
    detail::write_qgis_project(folder.path(), config, crs, project, *run.bids.words);
    outputs.insert(outputs.end(), { "landel.qgs", "summary.json", "landel.log" });

    nlohmann::ordered_json j;
    j["landel_version"] = version();
    j["command"] = "bid";
    j["config_path"] = fs::absolute(config.file).lexically_normal().string();
    j["from"] = fs::absolute(from).lexically_normal().string();
    j["inputs"] = detail::inputs_json(run.inputs);
    j["outputs"] = outputs;
    j["warnings"] = log.warnings();
    const RunOutcome totals = detail::totals_of(run.result);
    j["totals"] = { { "areas", totals.areas },
                    { "rural_ha", totals.rural_ha },
                    { "element_ha", totals.element_ha },
                    { "milestones", detail::milestone_totals_json(config, run.bids) } };
    detail::write_summary(folder.path(), j.dump(2) + "\n");
    return totals;
}

} // namespace

RunOutcome bid(const Config& config, const fs::path& from, const RunOptions& options)
{
    const auto work =
      [&](StagedFolder& folder, const io::Crs& crs, detail::RunBid& run, RunLog& log) {
          return write_bid(config, from, folder, crs, run, log);
      };
    return detail::from_run_job("bid", config, from, options, work);
}

} // namespace landel::pipeline
