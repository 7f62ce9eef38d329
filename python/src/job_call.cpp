#include "job_call.h"

#include <pybind11/stl.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <memory>
#include <vector>

namespace py = pybind11;

namespace landel::python {

int threads_or_all(int threads)
{
    return threads > 0 ? threads : tbb::info::default_concurrency();
}

Progress python_progress(py::object callback)
{
    if (callback.is_none())
        return {};
    // Shared, so that copies of the Progress keep the callable alive; freed with the GIL.
    auto shared =
      std::shared_ptr<py::object>(new py::object(std::move(callback)), [](py::object* o) {
          py::gil_scoped_acquire gil;
          delete o;
      });
    return [shared](double fraction, std::string_view stage) {
        py::gil_scoped_acquire gil;
        const py::object answer = (*shared)(fraction, std::string(stage));
        return answer.is_none() || answer.cast<bool>();
    };
}

Progress stoppable(Progress progress, const std::atomic<bool>& stop)
{
    return [progress = std::move(progress), &stop](double fraction, std::string_view stage) {
        if (stop)
            return false;
        return !progress || progress(fraction, stage);
    };
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
    const pipeline::RunOutcome outcome = interruptible([&](const std::atomic<bool>& stop) {
        pipeline::RunOptions o = options;
        o.progress = stoppable(options.progress, stop);
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(o.threads));
        return job(o);
    });
    py::dict d;
    d["output"] = outcome.output.string();
    d["areas"] = outcome.areas;
    d["rural_ha"] = outcome.rural_ha;
    d["element_ha"] = outcome.element_ha;
    d["warnings"] = warnings;
    return d;
}

} // namespace landel::python
