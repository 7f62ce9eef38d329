#pragma once
// Internal: what `landel bid` and `landel render` share — a job that reads an earlier run's
// output folder instead of measuring.

#include "landel/io/crs.h"
#include "landel/pipeline/config.h"
#include "landel/pipeline/job.h"
#include "landel/pipeline/run_log.h"
#include "landel/pipeline/staged_folder.h"
#include "stages/bid_from_run.h"

#include <filesystem>
#include <functional>

namespace landel::pipeline::detail {

/// What a job on an earlier run does once the run is read back: writes its outputs into
/// the staged folder and returns the outcome's totals.
using FromRunWork =
  std::function<RunOutcome(StagedFolder& folder, const io::Crs& crs, RunBid& run, RunLog& log)>;

/// The job `landel <command>` on the run in @p from: logs its start, stages --out, reads the
/// run's measurement back and makes its bid again (bid_from_run), does @p work, and finishes
/// the job; a failure is logged and rethrown as every job's is.
RunOutcome from_run_job(const char* command,
                        const Config& config,
                        const std::filesystem::path& from,
                        const RunOptions& options,
                        const FromRunWork& work);

} // namespace landel::pipeline::detail
