// `landel render`: maps and report again from a finished run's areas.gpkg, without measuring —
// e.g. with another [render] dpi or max_area_maps, or after `landel bid`.

#include "bid_stage.h"
#include "inputs.h"
#include "landel/pipeline/output_folder.h"
#include "landel/core/progress.h"
#include "landel/pipeline/run.h"
#include "map_outputs.h"
#include "measurement_reader.h"

namespace landel::pipeline {

namespace fs = std::filesystem;

RunOutcome render(const Config& config, const fs::path& from, const RunOptions& options)
{
    RunLog log(options.log_file, options.on_warning);
    try {
        log.info(std::string("landel ") + version() + " render of " + config.file.string() + " from " +
                 from.string());
        const fs::path gpkg = from / "areas.gpkg";
        if (!fs::is_regular_file(gpkg))
            throw Error("--from '" + from.string() + "': no areas.gpkg (give the output folder of a landel run)");
        if (!options.out)
            throw Error("no output folder: give --out");
        std::vector<fs::path> inputs_used = detail::config_paths(config);
        inputs_used.push_back(gpkg);
        StagedFolder folder(*options.out, options.out->string(), options.overwrite, inputs_used);
        const io::Crs crs = detail::run_crs(config);
        const detail::BidSetup setup = detail::load_bid_setup(config);
        std::vector<int> type_kinds;
        const analysis::MeasureResult result = detail::read_measurement(config, gpkg, type_kinds);
        detail::LoadedInputs inputs;
        const std::vector<std::string> regions = detail::area_regions(config, crs, result, inputs);
        const std::vector<double> free_edges = detail::area_free_edges(config, crs, result, inputs);
        const detail::AreaBids bids = detail::compute_bids(config, setup, result, regions, free_edges, log);
        const std::vector<std::string> sources = detail::map_sources(config);
        detail::write_maps(folder.path(), config, crs, result, bids, sources);
        RunOutcome outcome;
        outcome.output = folder.final_path();
        outcome.areas = result.areas.size();
        for (const auto& a : result.areas) {
            outcome.rural_ha += a.rural_ha;
            outcome.element_ha += a.element_ha;
        }
        outcome.warnings = log.warnings().size();
        detail::finish_job(folder, log, options.progress);
        return outcome;
    } catch (const std::exception& e) {
        log.error(e.what());
        throw;
    }
}

} // namespace landel::pipeline
