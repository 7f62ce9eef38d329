// landel.run: the whole job of `landel run`, from a TOML file or from TOML text (a dict
// serialised by the Python side), with the GIL released while it works.
#include "bindings.h"
#include "job_call.h"

#include "landel/core/progress.h"
#include "landel/pipeline/config.h"
#include "landel/pipeline/run.h"

#include <pybind11/stl.h>

#include <optional>

namespace py = pybind11;

namespace landel::python {

namespace {

py::dict run_loaded(const pipeline::Config& config, std::optional<std::string> out, bool overwrite, int threads,
                    py::object progress)
{
    pipeline::RunOptions options = job_options(out, overwrite, threads);
    options.progress = python_progress(std::move(progress));
    return call_job(std::move(options),
                    [&config](const pipeline::RunOptions& o) { return pipeline::run(config, o); });
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
