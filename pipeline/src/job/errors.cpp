#include "job/errors.h"

#include "job/output_target.h"
#include "landel/core/error.h"
#include "landel/core/progress.h"

namespace landel::pipeline::detail {

void rethrow_job_error(RunLog& log, const Config& config, const RunOptions& options)
{
    try {
        throw;
    } catch (const Cancelled&) {
        log.error("stopped");
        throw;
    } catch (const std::exception& e) {
        const std::string message = output_named(e.what(), config, options);
        log.error(message);
        if (message == e.what())
            throw;
        if (const auto* error = dynamic_cast<const Error*>(&e))
            error->rethrow_with(message); // keeps its type: ConfigError, io::IoError...
        throw Error(message);
    }
}

} // namespace landel::pipeline::detail
