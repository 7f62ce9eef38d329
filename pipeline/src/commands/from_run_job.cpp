#include "commands/from_run_job.h"

#include "job/finish.h"
#include "job/frame.h"
#include "job/output_target.h"
#include "landel/pipeline/version.h"
#include "stages/inputs.h"

namespace landel::pipeline::detail {

namespace fs = std::filesystem;

RunOutcome from_run_job(const char* command,
                        const Config& config,
                        const fs::path& from,
                        const RunOptions& options,
                        const FromRunWork& work)
{
    return run_as_job(config, options, [&](RunLog& log) {
        log.info(std::string("landel ") + version() + " " + command + " of " +
                 config.file.string() + " from " + from.string());
        const fs::path gpkg = run_geopackage(from);
        StagedFolder folder = from_run_folder(config, gpkg, options);
        const io::Crs crs = run_crs(config);
        RunBid run = bid_from_run(config, crs, gpkg, log);
        const RunOutcome totals = work(folder, crs, run, log);
        return finish_job(folder, log, options.progress, totals);
    });
}

} // namespace landel::pipeline::detail
