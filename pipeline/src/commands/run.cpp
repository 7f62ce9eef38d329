// `landel run`: config -> inputs -> measurement -> outputs + manifest.

#include "landel/pipeline/run.h"

#include "job/finish.h"
#include "job/frame.h"
#include "job/output_target.h"
#include "job/progress.h"
#include "job/stopwatch.h"
#include "landel/pipeline/version.h"
#include "stages/bid_stage.h"
#include "stages/dataset_checks.h"
#include "stages/inputs.h"
#include "stages/measurement.h"
#include "stages/monitoring_outputs.h"
#include "stages/run_outputs.h"

namespace landel::pipeline {

RunOutcome run(const Config& config, const RunOptions& options)
{
    return detail::run_as_job(config, options, [&](RunLog& log) {
        log.info(std::string("landel ") + version() + " run of " + config.file.string());
        const detail::OutputTarget target = detail::output_target(config, options.out);
        const io::Crs crs = detail::run_crs(config);
        StagedFolder folder(
          target.path, target.as_given, options.overwrite, detail::config_paths(config));

        detail::Stopwatch clock;
        std::vector<std::pair<std::string, double>> timings;
        // The bid's catalogue first: a bad cost file should fail before an hour of measuring.
        detail::BidSetup bid_setup = detail::load_bid_setup(config);
        // The earlier runs of [monitoring] too: a folder that is no run fails now.
        std::vector<detail::RunFolder> earlier = detail::read_earlier_runs(config, log);
        // as_of after the download's own date fails before anything is measured.
        const std::string download_date = detail::check_as_of(config, log);
        // Reading gets the first fifth of the progress bar, measuring the rest.
        detail::LoadedInputs inputs =
          detail::load_inputs(config,
                              crs,
                              log,
                              true,
                              detail::progress_slice(options.progress, 0.0, 0.2),
                              options.scope);
        inputs.download_date = download_date;
        timings.emplace_back("read", clock.lap());
        detail::warn_rural_definition(config, log);
        detail::check_coverage(config, crs, inputs, log);
        inputs.layer_cache.reset(); // the parsed layers are not needed any more
        timings.emplace_back("dataset_checks", clock.lap());
        analysis::MeasureResult result = detail::measure_loaded(
          config, inputs, detail::progress_slice(options.progress, 0.2, 1.0), timings);
        detail::MeasuredRun measured{ crs,
                                      std::move(inputs),
                                      std::move(result),
                                      std::move(bid_setup),
                                      std::move(timings),
                                      std::move(earlier) };
        const RunOutcome totals = detail::write_run(config, measured, folder, options, log);
        return detail::finish_job(folder, log, options.progress, totals);
    });
}

} // namespace landel::pipeline
