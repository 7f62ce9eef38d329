// landel.run: the whole job of `landel run`, from a TOML file or from TOML text (a dict
// serialised by the Python side), with the GIL released while it works; landel.delineate
// likewise, the job of `landel delineate`; landel.bid and
// landel.render likewise: the jobs of `landel bid` and `landel render` on an earlier run's
// output folder; landel.compare: the job of `landel compare` on earlier runs' output folders.
#include "bindings.h"
#include "job_call.h"

#include "landel/core/progress.h"
#include "landel/pipeline/bid.h"
#include "landel/pipeline/compare.h"
#include "landel/pipeline/config.h"
#include "landel/pipeline/delineate.h"
#include "landel/pipeline/render.h"
#include "landel/pipeline/run.h"

#include <pybind11/stl.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace py = pybind11;

namespace landel::python {

namespace {

using ConfigJob = pipeline::RunOutcome (*)(const pipeline::Config&, const pipeline::RunOptions&);

py::dict run_loaded(ConfigJob job,
                    const pipeline::Config& config,
                    std::optional<std::string> out,
                    bool overwrite,
                    int threads,
                    py::object progress)
{
    pipeline::RunOptions options = job_options(out, overwrite, threads);
    options.progress = python_progress(std::move(progress));
    return call_job(std::move(options),
                    [job, &config](const pipeline::RunOptions& o) { return job(config, o); });
}

/// <name>_file and <name>_text: a job on a whole config (run, delineate), from a file or TOML.
void bind_config_job(py::module_& m,
                     const std::string& name,
                     ConfigJob job,
                     pipeline::ConfigUse use,
                     const char* what)
{
    m.def((name + "_file").c_str(),
          [job, use](const std::string& path,
                     std::optional<std::string> out,
                     bool overwrite,
                     int threads,
                     py::object progress) {
              const pipeline::Config config = pipeline::load_config(path, use);
              return run_loaded(
                job, config, std::move(out), overwrite, threads, std::move(progress));
          },
          py::arg("path"),
          py::arg("out") = py::none(),
          py::arg("overwrite") = false,
          py::arg("threads") = 0,
          py::arg("progress") = py::none(),
          (std::string(what) + " the config file at `path` like `landel " + name +
           "`; returns the outcome as a dict.")
            .c_str());
    m.def((name + "_text").c_str(),
          [job, use](const std::string& toml,
                     const std::string& virtual_path,
                     std::optional<std::string> out,
                     bool overwrite,
                     int threads,
                     py::object progress) {
              const pipeline::Config config = pipeline::load_config_text(toml, virtual_path, use);
              return run_loaded(
                job, config, std::move(out), overwrite, threads, std::move(progress));
          },
          py::arg("toml"),
          py::arg("virtual_path"),
          py::arg("out") = py::none(),
          py::arg("overwrite") = false,
          py::arg("threads") = 0,
          py::arg("progress") = py::none(),
          (std::string("As ") + name +
           "_file, with the config given as TOML text; relative paths resolve against the "
           "folder of `virtual_path`, which also names the config in messages.")
            .c_str());
}

using FromRunJob = pipeline::RunOutcome (*)(const pipeline::Config&,
                                            const std::filesystem::path&,
                                            const pipeline::RunOptions&);

py::dict call_from_run(FromRunJob job,
                       const pipeline::Config& config,
                       const std::string& run_dir,
                       std::optional<std::string> out,
                       bool overwrite,
                       py::object progress)
{
    pipeline::RunOptions options = job_options(out, overwrite, 0);
    options.progress = python_progress(std::move(progress));
    return call_job(std::move(options), [job, &config, &run_dir](const pipeline::RunOptions& o) {
        return job(config, run_dir, o);
    });
}

void bind_from_run_job(py::module_& m, const std::string& name, FromRunJob job, const char* what)
{
    m.def((name + "_file").c_str(),
          [job](const std::string& path,
                const std::string& run_dir,
                std::optional<std::string> out,
                bool overwrite,
                py::object progress) {
              const pipeline::Config config = pipeline::load_config(path);
              return call_from_run(
                job, config, run_dir, std::move(out), overwrite, std::move(progress));
          },
          py::arg("path"),
          py::arg("run_dir"),
          py::arg("out") = py::none(),
          py::arg("overwrite") = false,
          py::arg("progress") = py::none(),
          (std::string("Makes ") + what + " of the run in `run_dir` again like `landel " + name +
           "`, with the config file at `path`; returns the outcome as a dict.")
            .c_str());
    m.def((name + "_text").c_str(),
          [job](const std::string& toml,
                const std::string& virtual_path,
                const std::string& run_dir,
                std::optional<std::string> out,
                bool overwrite,
                py::object progress) {
              const pipeline::Config config = pipeline::load_config_text(toml, virtual_path);
              return call_from_run(
                job, config, run_dir, std::move(out), overwrite, std::move(progress));
          },
          py::arg("toml"),
          py::arg("virtual_path"),
          py::arg("run_dir"),
          py::arg("out") = py::none(),
          py::arg("overwrite") = false,
          py::arg("progress") = py::none(),
          (std::string("As ") + name + "_file, with the config given as TOML text (see run_text).")
            .c_str());
}

py::dict compare_runs(const std::vector<std::string>& runs,
                      std::optional<std::string> out,
                      double tolerance_m,
                      std::optional<int> baseline_year,
                      const std::string& language,
                      bool overwrite,
                      int threads,
                      py::object progress)
{
    pipeline::RunOptions options = job_options(out, overwrite, threads);
    options.progress = python_progress(std::move(progress));
    pipeline::CompareOptions compare;
    compare.tolerance_m = tolerance_m;
    compare.baseline_year = baseline_year;
    compare.language = language;
    const std::vector<std::filesystem::path> folders(runs.begin(), runs.end());
    return call_job(std::move(options), [&folders, &compare](const pipeline::RunOptions& o) {
        return pipeline::compare(folders, compare, o);
    });
}

} // namespace

void bind_run(py::module_& m)
{
    bind_config_job(m, "run", &pipeline::run, pipeline::ConfigUse::Run, "Runs");
    bind_config_job(m,
                    "delineate",
                    &pipeline::delineate,
                    pipeline::ConfigUse::Delineate,
                    "Makes only the areas of");
    m.def("compare",
          &compare_runs,
          py::arg("runs"),
          py::arg("out") = py::none(),
          py::arg("tolerance_m") = 0.5,
          py::arg("baseline_year") = py::none(),
          py::arg("language") = "en",
          py::arg("overwrite") = false,
          py::arg("threads") = 0,
          py::arg("progress") = py::none(),
          "Compares the output folders `runs` of earlier runs like `landel compare`; returns the "
          "outcome as a dict.");
    bind_from_run_job(m, "bid", &pipeline::bid, "the area bid");
    bind_from_run_job(m, "render", &pipeline::render, "the maps and report.html");
}

} // namespace landel::python
