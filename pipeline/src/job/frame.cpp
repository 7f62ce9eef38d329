#include "job/frame.h"

#include "job/errors.h"

namespace landel::pipeline::detail {

RunOutcome run_as_job(const Config& config, const RunOptions& options, const JobWork& work)
{
    RunLog log(options.log_file, options.on_warning, options.on_info);
    try {
        return work(log);
    } catch (...) {
        rethrow_job_error(log, config, options);
    }
}

} // namespace landel::pipeline::detail
