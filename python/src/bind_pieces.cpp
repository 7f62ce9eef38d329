// A run in pieces (pipeline/pieces.h), for landel.dask: plan, measure one piece, merge.
#include "bindings.h"
#include "job_call.h"
#include "piece_args.h"

#include "landel/pipeline/config.h"
#include "landel/pipeline/pieces.h"

#include <pybind11/stl.h>
#include <tbb/global_control.h>

#include <optional>

namespace py = pybind11;

namespace landel::python {

void bind_pieces(py::module_& m)
{
    m.def(
      "areas_are_made",
      [](const std::string& toml, const std::string& path) {
          return config_of(toml, path).areas.method != pipeline::AreasMethod::Given;
      },
      py::arg("toml"),
      py::arg("path"),
      "Whether the config's areas are made (overlay, catchments) rather than given; checks the "
      "config.");
    m.def(
      "delineate_for_pieces",
      [](const std::string& toml, const std::string& path, int threads) {
          const pipeline::Config config = config_of(toml, path);
          std::string bytes;
          {
              py::gil_scoped_release release;
              tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                        static_cast<std::size_t>(threads_or_all(threads)));
              bytes = pipeline::delineate_for_pieces(config);
          }
          return py::bytes(bytes);
      },
      py::arg("toml"),
      py::arg("path"),
      py::arg("threads") = 0,
      "Delineates the areas of an overlay or catchments config once for every piece (bytes; "
      "empty for given areas).");
    m.def(
      "plan_pieces",
      [](const std::string& toml,
         const std::string& path,
         std::size_t pieces,
         const py::bytes& delineated) {
          const pipeline::Config config = config_of(toml, path);
          const std::string areas = delineated;
          py::gil_scoped_release release;
          return pipeline::plan_pieces(config, pieces, areas);
      },
      py::arg("toml"),
      py::arg("path"),
      py::arg("pieces"),
      py::arg("delineated") = py::bytes(),
      "Groups the config's areas (or those of delineate_for_pieces) into up to `pieces` pieces "
      "of nearby areas (lists of area positions).");
    m.def(
      "index_sources",
      [](const std::string& toml,
         const std::string& path,
         std::optional<std::string> out,
         bool verify) {
          const pipeline::Config config = config_of(toml, path);
          std::vector<pipeline::LayerCopy> copies;
          {
              py::gil_scoped_release release;
              copies =
                pipeline::index_sources(config, pipeline::copies_folder(config, out), verify);
          }
          py::list list;
          for (const pipeline::LayerCopy& c : copies)
              list.append(dict_of(c));
          return list;
      },
      py::arg("toml"),
      py::arg("path"),
      py::arg("out") = py::none(),
      py::arg("verify") = false,
      "Copies the layers without a spatial index that the pieces read into indexed GeoPackages "
      "in .landel-cache beside the output; returns the copies (dicts).");
    m.def(
      "measure_piece",
      [](const std::string& toml,
         const std::string& path,
         const std::vector<std::size_t>& areas,
         int threads,
         const std::vector<py::dict>& copies,
         const py::bytes& patches,
         const py::bytes& delineated) {
          const pipeline::Config config = config_of(toml, path);
          const std::vector<pipeline::LayerCopy> read_from = copies_of(copies);
          const std::string judged = patches;
          const std::string made = delineated;
          std::string bytes;
          {
              py::gil_scoped_release release;
              tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                        static_cast<std::size_t>(threads_or_all(threads)));
              bytes = pipeline::measure_piece(config, areas, {}, read_from, judged, made);
          }
          return py::bytes(bytes);
      },
      py::arg("toml"),
      py::arg("path"),
      py::arg("areas"),
      py::arg("threads") = 0,
      py::arg("copies") = std::vector<py::dict>{},
      py::arg("patches") = py::bytes(),
      py::arg("delineated") = py::bytes(),
      "Measures the areas of one piece (reading the sources that have one from their copy, "
      "taking the patches judged by judge_patches and the areas of delineate_for_pieces); "
      "returns the partial result (bytes).");
    m.def(
      "judge_patches",
      [](const std::string& toml,
         const std::string& path,
         const std::vector<py::dict>& copies,
         int threads) {
          const pipeline::Config config = config_of(toml, path);
          const std::vector<pipeline::LayerCopy> read_from = copies_of(copies);
          std::string bytes;
          {
              py::gil_scoped_release release;
              tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                        static_cast<std::size_t>(threads_or_all(threads)));
              bytes = pipeline::judge_patches(config, read_from);
          }
          return py::bytes(bytes);
      },
      py::arg("toml"),
      py::arg("path"),
      py::arg("copies") = std::vector<py::dict>{},
      py::arg("threads") = 0,
      "Judges the patches of the sources with max_patch_ha / min_patch_ha once, on the whole "
      "sources, for every piece (bytes; empty when no source has a patch rule).");
    m.def(
      "merge_pieces",
      [](const std::string& toml,
         const std::string& path,
         const std::vector<py::bytes>& partials,
         std::optional<std::string> out,
         bool overwrite,
         int threads,
         const std::vector<py::dict>& copies) {
          const pipeline::Config config = config_of(toml, path);
          std::vector<std::string> parts(partials.begin(), partials.end());
          const std::vector<pipeline::LayerCopy> read_from = copies_of(copies);
          return call_job(job_options(out, overwrite, threads), [&](const pipeline::RunOptions& o) {
              return pipeline::merge_pieces(config, parts, o, read_from);
          });
      },
      py::arg("toml"),
      py::arg("path"),
      py::arg("partials"),
      py::arg("out") = py::none(),
      py::arg("overwrite") = false,
      py::arg("threads") = 0,
      py::arg("copies") = std::vector<py::dict>{},
      "Merges the partial results of every piece and writes the run's outputs.");
}

} // namespace landel::python
