// A run in pieces (pipeline/pieces.h), for landel.dask: plan, measure one piece, merge.
#include "bindings.h"
#include "job_call.h"

#include "landel/pipeline/config.h"
#include "landel/pipeline/pieces.h"

#include <pybind11/stl.h>
#include <tbb/global_control.h>

#include <optional>

namespace py = pybind11;

namespace landel::python {

namespace {

pipeline::Config config_of(const std::string& toml, const std::string& path)
{
    return pipeline::load_config_text(toml, path);
}

} // namespace

void bind_pieces(py::module_& m)
{
    m.def(
      "plan_pieces",
      [](const std::string& toml, const std::string& path, std::size_t pieces) {
          const pipeline::Config config = config_of(toml, path);
          py::gil_scoped_release release;
          return pipeline::plan_pieces(config, pieces);
      },
      py::arg("toml"),
      py::arg("path"),
      py::arg("pieces"),
      "Groups the config's areas into up to `pieces` pieces of nearby areas (lists of area "
      "positions).");
    m.def(
      "measure_piece",
      [](const std::string& toml,
         const std::string& path,
         const std::vector<std::size_t>& areas,
         int threads) {
          const pipeline::Config config = config_of(toml, path);
          std::string bytes;
          {
              py::gil_scoped_release release;
              tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                        static_cast<std::size_t>(threads_or_all(threads)));
              bytes = pipeline::measure_piece(config, areas);
          }
          return py::bytes(bytes);
      },
      py::arg("toml"),
      py::arg("path"),
      py::arg("areas"),
      py::arg("threads") = 0,
      "Measures the areas of one piece; returns the partial result (bytes).");
    m.def(
      "merge_pieces",
      [](const std::string& toml,
         const std::string& path,
         const std::vector<py::bytes>& partials,
         std::optional<std::string> out,
         bool overwrite,
         int threads) {
          const pipeline::Config config = config_of(toml, path);
          std::vector<std::string> parts(partials.begin(), partials.end());
          return call_job(job_options(out, overwrite, threads), [&](const pipeline::RunOptions& o) {
              return pipeline::merge_pieces(config, parts, o);
          });
      },
      py::arg("toml"),
      py::arg("path"),
      py::arg("partials"),
      py::arg("out") = py::none(),
      py::arg("overwrite") = false,
      py::arg("threads") = 0,
      "Merges the partial results of every piece and writes the run's outputs.");
}

} // namespace landel::python
