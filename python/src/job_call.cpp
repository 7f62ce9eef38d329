#include "job_call.h"

#include <pybind11/stl.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <vector>

namespace py = pybind11;

namespace landel::python {

int threads_or_all(int threads)
{
    return threads > 0 ? threads : tbb::info::default_concurrency();
}

pipeline::RunOptions job_options(const std::optional<std::string>& out, bool overwrite, int threads)
{
    pipeline::RunOptions options;
    if (out)
        options.out = *out;
    options.overwrite = overwrite;
    options.threads = threads_or_all(threads);
    return options;
}

py::dict call_job(pipeline::RunOptions options,
                  const std::function<pipeline::RunOutcome(const pipeline::RunOptions&)>& job)
{
    // Worker threads must not call into Python: warnings are gathered and returned.
    std::vector<std::string> warnings;
    options.on_warning = [&warnings](const std::string& w) { warnings.push_back(w); };
    pipeline::RunOutcome outcome;
    {
        py::gil_scoped_release release;
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(options.threads));
        outcome = job(options);
    }
    py::dict d;
    d["output"] = outcome.output.string();
    d["areas"] = outcome.areas;
    d["rural_ha"] = outcome.rural_ha;
    d["element_ha"] = outcome.element_ha;
    d["warnings"] = warnings;
    return d;
}

} // namespace landel::python
