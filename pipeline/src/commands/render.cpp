// `landel render`: maps and report again from a finished run's areas.gpkg, without measuring —
// e.g. with another [render] dpi or max_area_maps, or after `landel bid`.

#include "stages/bid_stage.h"
#include "stages/inputs.h"
#include "landel/pipeline/output_folder.h"
#include "landel/core/progress.h"
#include "landel/pipeline/run.h"
#include "stages/map_outputs.h"
#include "stages/from_run.h"

namespace landel::pipeline {

namespace fs = std::filesystem;

RunOutcome render(const Config& config, const fs::path& from, const RunOptions& options)
{
    RunLog log(options.log_file, options.on_warning, options.on_info);
    try {
        log.info(std::string("landel ") + version() + " render of " + config.file.string() + " from " +
                 from.string());
        const fs::path gpkg = detail::run_geopackage(from);
        StagedFolder folder = detail::from_run_folder(config, gpkg, options);
        const io::Crs crs = detail::run_crs(config);
        const detail::RunBid run = detail::bid_from_run(config, crs, gpkg, log);
        const analysis::MeasureResult& result = run.result;
        const detail::AreaBids& bids = run.bids;
        const std::vector<std::string> sources = detail::map_sources(config);
        detail::write_maps(folder.path(), config, crs, result, bids, sources);
        return detail::finish_job(folder, log, options.progress, detail::totals_of(result));
    } catch (...) {
        detail::rethrow_job_error(log, config, options);
    }
}

} // namespace landel::pipeline
