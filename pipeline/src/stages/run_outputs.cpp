#include "stages/run_outputs.h"

#include "job/finish.h"
#include "job/stopwatch.h"
#include "landel/io/geotiff_writer.h"
#include "stages/candidate_tables.h"
#include "stages/candidates_stage.h"
#include "stages/manifest.h"
#include "stages/map_outputs.h"
#include "stages/milestone_totals.h"
#include "stages/monitoring_outputs.h"
#include "stages/output_language.h"
#include "stages/qgis_outputs.h"
#include "stages/result_tables.h"

#include <algorithm>

namespace landel::pipeline::detail {

RunOutcome write_run(const Config& config,
                     MeasuredRun& run,
                     StagedFolder& folder,
                     const RunOptions& options,
                     RunLog& log)
{
    const io::Crs& crs = run.crs;
    LoadedInputs& inputs = run.inputs;
    analysis::MeasureResult& result = run.result;
    const BidSetup& bid_setup = run.bid_setup;
    std::vector<std::pair<std::string, double>>& timings = run.timings;
    Stopwatch clock;
    for (const std::string& w : inputs.warped_rasters)
        log.warning(w);
    for (const std::string& w : result.warnings)
        log.warning(w);
    for (const std::string& n : result.raster_notes)
        log.info(n);

    const AreaContext context = area_context(config, crs, result, inputs);
    std::vector<std::string> parcels = potential_parcels(config, crs, inputs);
    std::vector<double> measured_m = area_free_edges(config, result, parcels);
    const double context_s = clock.lap();
    // The candidate edges are found before the bid (they cap its line types), timed as siting.
    const SitingEdges edges =
      siting_edges(config, crs, result, bid_setup, std::move(parcels), inputs, log);
    const double edges_s = clock.lap();
    const FreeEdges free_edges = free_edges_of(std::move(measured_m), edges);
    std::optional<AreaPledges> pledges =
      area_pledges(config, crs, result, bid_setup.catalogue, inputs, log);
    AreaBids bids =
      compute_bids(config, bid_setup, result, context, free_edges, std::move(pledges), log);
    timings.emplace_back("bid", context_s + clock.lap());
    site_elements(config, result, bid_setup, edges, bids);
    if (config.siting)
        timings.emplace_back("siting", edges_s + clock.lap());
    inputs.files.push_back(bid_setup.catalogue_path);
    inputs.files.push_back(bid_setup.mixes_path);
    inputs.files.push_back(bid_setup.land_values_path);

    const std::vector<std::string> sources = map_sources(config);
    const std::vector<std::string> maps =
      write_maps(folder.path(), config, crs, result, bids, sources);
    ProjectContent project; // before the geometry moves out
    project.rural_land = rural_land_known(result);
    project.view = areas_extent(result);
    project.density = !result.density.grid().empty();
    timings.emplace_back("maps", clock.lap());
    std::vector<std::string> outputs =
      write_area_outputs(folder.path(), config, crs, result, inputs.type_kinds, bid_setup, bids);
    outputs.insert(outputs.end(), maps.begin(), maps.end());
    const std::vector<std::string> candidates =
      write_candidates(folder.path(), config, crs, result, bids);
    outputs.insert(outputs.end(), candidates.begin(), candidates.end());
    project.candidates = !candidates.empty();
    if (!result.density.grid().empty()) {
        io::write_float_geotiff(folder.path() / "element_density.tif",
                                result.density,
                                crs,
                                -1.0f,
                                "element share of each cell (element m2 / cell m2)");
        double top = 0.0;
        for (float v : result.density.values())
            top = std::max(top, double(v));
        // A ramp up to twice the 10% target, or to the highest share when that is lower.
        io::write_share_qml(folder.path() / "element_density.qml",
                            std::min(0.2, top > 0 ? top : 0.2));
        outputs.insert(outputs.end(), { "element_density.tif", "element_density.qml" });
    }
    write_qgis_project(folder.path(), config, crs, project, *bids.words);
    log_untranslated(*bids.words, log);
    outputs.insert(outputs.end(), { "landel.qgs", "summary.json", "landel.log" });
    timings.emplace_back("write", clock.lap());
    const MonitoringOutputs monitoring = write_monitoring(
      config, std::move(run.earlier_runs), folder.path(), folder.final_path(), log);
    outputs.insert(outputs.end(), monitoring.files.begin(), monitoring.files.end());
    if (config.monitoring)
        timings.emplace_back("monitoring", clock.lap());

    ManifestContext manifest{ config,
                              inputs,
                              result,
                              log.warnings(),
                              timings,
                              options.threads,
                              outputs,
                              options.batch ? &*options.batch : nullptr,
                              &options.scope,
                              monitoring.summary,
                              milestone_totals_json(config, bids) };
    write_summary(folder.path(), manifest_json(manifest));

    log.info("measured " + std::to_string(result.areas.size()) + " areas; writing " +
             folder.final_path().string());
    return totals_of(result);
}

} // namespace landel::pipeline::detail
