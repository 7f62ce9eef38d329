// The patches of a run in pieces judged in parts (pipeline/patch_pieces.h), for landel.dask:
// tiles, each tile's parts, the plan, each group's clusters, the verdicts.
#include "bindings.h"
#include "job_call.h"
#include "piece_args.h"

#include "landel/pipeline/patch_pieces.h"

#include <pybind11/stl.h>
#include <tbb/global_control.h>

#include <array>

namespace py = pybind11;

namespace landel::python {

namespace {

/// Runs @p work without the GIL on at most @p threads engine threads (0: all).
template<class Work>
std::string on_threads(int threads, Work&& work)
{
    py::gil_scoped_release release;
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(threads_or_all(threads)));
    return work();
}

} // namespace

void bind_patch_pieces(py::module_& m)
{
    m.def(
      "plan_patch_tiles",
      [](const std::string& toml,
         const std::string& path,
         std::size_t per_side,
         const std::vector<py::dict>& copies) {
          const pipeline::Config config = config_of(toml, path);
          const std::vector<pipeline::LayerCopy> read_from = copies_of(copies);
          std::vector<Box> tiles;
          {
              py::gil_scoped_release release;
              tiles = pipeline::plan_patch_tiles(config, per_side, read_from);
          }
          std::vector<std::array<double, 4>> out;
          for (const Box& b : tiles)
              out.push_back({ b.xmin, b.ymin, b.xmax, b.ymax });
          return out;
      },
      py::arg("toml"),
      py::arg("path"),
      py::arg("per_side"),
      py::arg("copies") = std::vector<py::dict>{},
      "per_side x per_side tiles (xmin, ymin, xmax, ymax) over the sources with a patch rule; "
      "empty when there are none.");
    m.def(
      "patch_tile",
      [](const std::string& toml,
         const std::string& path,
         const std::array<double, 4>& tile,
         const std::vector<py::dict>& copies,
         int threads) {
          const pipeline::Config config = config_of(toml, path);
          const std::vector<pipeline::LayerCopy> read_from = copies_of(copies);
          return py::bytes(on_threads(threads, [&] {
              return pipeline::patch_tile(
                config, Box{ tile[0], tile[1], tile[2], tile[3] }, read_from);
          }));
      },
      py::arg("toml"),
      py::arg("path"),
      py::arg("tile"),
      py::arg("copies") = std::vector<py::dict>{},
      py::arg("threads") = 0,
      "The polygon parts of the patch sources' features near one tile (bytes).");
    m.def(
      "plan_patch_clusters",
      [](const std::vector<py::bytes>& tiles, std::size_t groups) {
          const std::vector<std::string> read(tiles.begin(), tiles.end());
          pipeline::PatchClusterPlan plan;
          {
              py::gil_scoped_release release;
              plan = pipeline::plan_patch_clusters(read, groups);
          }
          py::dict d;
          d["plan"] = py::bytes(plan.plan);
          py::list list;
          for (const std::string& g : plan.groups)
              list.append(py::bytes(g));
          d["groups"] = list;
          d["parts"] = plan.parts;
          d["clustered"] = plan.clustered;
          d["tile_features"] = plan.tile_features;
          d["group_parts"] = plan.group_parts;
          return d;
      },
      py::arg("tiles"),
      py::arg("groups"),
      "The plan from every tile's parts: a dict with the plan (bytes), the groups of clusters "
      "to judge (bytes each), the number of parts and of parts in clusters of several, the "
      "features each tile read and the parts of each group.");
    m.def(
      "judge_patch_group",
      [](const std::string& toml,
         const std::string& path,
         const py::bytes& group,
         const std::vector<py::dict>& copies,
         int threads) {
          const pipeline::Config config = config_of(toml, path);
          const std::vector<pipeline::LayerCopy> read_from = copies_of(copies);
          const std::string read = group;
          return py::bytes(on_threads(
            threads, [&] { return pipeline::judge_patch_group(config, read, read_from); }));
      },
      py::arg("toml"),
      py::arg("path"),
      py::arg("group"),
      py::arg("copies") = std::vector<py::dict>{},
      py::arg("threads") = 0,
      "Judges one group's clusters of parts (bytes).");
    m.def(
      "patch_verdicts",
      [](const py::bytes& plan, const std::vector<py::bytes>& judged) {
          const std::string read_plan = plan;
          const std::vector<std::string> read(judged.begin(), judged.end());
          std::string bytes;
          {
              py::gil_scoped_release release;
              bytes = pipeline::patch_verdicts(read_plan, read);
          }
          return py::bytes(bytes);
      },
      py::arg("plan"),
      py::arg("judged"),
      "The judgement from the plan and its groups' verdicts: the bytes judge_patches gives.");
}

} // namespace landel::python
