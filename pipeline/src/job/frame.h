#pragma once
// Internal: the frame every job that writes an output folder runs in.

#include "landel/pipeline/config.h"
#include "landel/pipeline/job.h"
#include "landel/pipeline/run_log.h"

#include <functional>

namespace landel::pipeline::detail {

/// What a job does inside its frame, writing to its log; it ends with finish_job.
using JobWork = std::function<RunOutcome(RunLog& log)>;

/// Runs @p work with the job's log (streamed to --log, warnings and info lines to the
/// caller's sinks in @p options); a failure is logged and rethrown with the output folder
/// named as the user gave it (rethrow_job_error).
RunOutcome run_as_job(const Config& config, const RunOptions& options, const JobWork& work);

} // namespace landel::pipeline::detail
