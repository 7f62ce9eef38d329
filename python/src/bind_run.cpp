// landel.run: the whole job of `landel run`, from a TOML file or from TOML text (a dict
// serialised by the Python side), with the GIL released while it works.
#include "bindings.h"

#include "landel/core/progress.h"
#include "landel/pipeline/config.h"
#include "landel/pipeline/run.h"

#include <pybind11/stl.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <optional>

namespace py = pybind11;

namespace landel::python {

namespace {

/// A Python progress callable called from worker threads: the GIL is taken for the call.
Progress python_progress(py::object callback)
{
    if (callback.is_none())
        return {};
    auto shared = std::make_shared<py::object>(std::move(callback));
    return [shared](double fraction, std::string_view stage) {
        py::gil_scoped_acquire gil;
        const py::object answer = (*shared)(fraction, std::string(stage));
        return answer.is_none() || answer.cast<bool>();
    };
}

py::dict run_loaded(const pipeline::Config& config, std::optional<std::string> out, bool overwrite, int threads,
                    py::object progress)
{
    pipeline::RunOptions options;
    if (out)
        options.out = *out;
    options.overwrite = overwrite;
    options.threads = threads > 0 ? threads : tbb::info::default_concurrency();
    std::vector<std::string> warnings;
    options.on_warning = [&warnings](const std::string& w) { warnings.push_back(w); };
    options.progress = python_progress(std::move(progress));
    pipeline::RunOutcome outcome;
    {
        py::gil_scoped_release release;
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(options.threads));
        outcome = pipeline::run(config, options);
    }
    py::dict d;
    d["output"] = outcome.output.string();
    d["areas"] = outcome.areas;
    d["rural_ha"] = outcome.rural_ha;
    d["element_ha"] = outcome.element_ha;
    d["warnings"] = warnings;
    return d;
}

} // namespace

void bind_run(py::module_& m)
{
    m.def(
      "run_file",
      [](const std::string& path, std::optional<std::string> out, bool overwrite, int threads, py::object progress) {
          const pipeline::Config config = pipeline::load_config(path);
          return run_loaded(config, std::move(out), overwrite, threads, std::move(progress));
      },
      py::arg("path"), py::arg("out") = py::none(), py::arg("overwrite") = false, py::arg("threads") = 0,
      py::arg("progress") = py::none(),
      "Runs the config file at `path` like `landel run`; returns the outcome as a dict.");
    m.def(
      "run_text",
      [](const std::string& toml, const std::string& virtual_path, std::optional<std::string> out, bool overwrite,
         int threads, py::object progress) {
          const pipeline::Config config = pipeline::load_config_text(toml, virtual_path);
          return run_loaded(config, std::move(out), overwrite, threads, std::move(progress));
      },
      py::arg("toml"), py::arg("virtual_path"), py::arg("out") = py::none(), py::arg("overwrite") = false,
      py::arg("threads") = 0, py::arg("progress") = py::none(),
      "Runs a config given as TOML text; relative paths resolve against the folder of `virtual_path`, "
      "which also names the config in messages.");
}

} // namespace landel::python
