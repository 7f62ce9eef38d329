#pragma once
// Internal: how a failed job ends.

#include "landel/pipeline/config.h"
#include "landel/pipeline/job.h"
#include "landel/pipeline/run_log.h"

namespace landel::pipeline::detail {

/// The end of a failed job, called inside its catch: logs the error and rethrows it, with
/// the temporary folder in its message replaced by --out as given (output_named). The error
/// keeps its type (a ConfigError stays a ConfigError, an io::IoError an io::IoError), so that
/// callers such as the Python bindings can tell what went wrong.
[[noreturn]] void rethrow_job_error(RunLog& log, const Config& config, const RunOptions& options);

} // namespace landel::pipeline::detail
