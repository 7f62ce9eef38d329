// `landel render`: maps and report again from a finished run's areas.gpkg, without measuring —
// e.g. with another [render] dpi or max_area_maps, or after `landel bid`.

#include "landel/pipeline/render.h"

#include "commands/from_run_job.h"
#include "job/finish.h"
#include "stages/map_outputs.h"

namespace landel::pipeline {

RunOutcome render(const Config& config,
                  const std::filesystem::path& from,
                  const RunOptions& options)
{
    const auto work = [&](StagedFolder& folder, const io::Crs& crs, detail::RunBid& run, RunLog&) {
        const std::vector<std::string> sources = detail::map_sources(config);
        detail::write_maps(folder.path(), config, crs, run.result, run.bids, sources);
        return detail::totals_of(run.result);
    };
    return detail::from_run_job("render", config, from, options, work);
}

} // namespace landel::pipeline
