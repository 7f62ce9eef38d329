// landel.init_config: the job of `landel init`, a commented config for a dataset read through
// a preset (a BGT download from PDOK), written only when its inputs open.
#include "bindings.h"

#include "landel/pipeline/init.h"

#include <pybind11/stl.h>

#include <string>

namespace py = pybind11;

namespace landel::python {

void bind_init(py::module_& m)
{
    m.def(
      "init_config",
      [](const std::string& preset,
         const std::string& data,
         const std::string& areas,
         const std::string& out,
         const std::string& nnn,
         const std::string& built_up,
         const std::string& id_field,
         const std::string& name_field,
         bool force) {
          pipeline::InitOptions options;
          options.preset = preset;
          options.data = data;
          options.areas = areas;
          options.out = out;
          options.nnn = nnn;
          options.built_up = built_up;
          options.id_field = id_field;
          options.name_field = name_field;
          options.force = force;
          pipeline::InitOutcome outcome;
          {
              py::gil_scoped_release release; // opening a national download takes a while
              outcome = pipeline::init_config(options);
          }
          py::dict d;
          d["file"] = outcome.file.string();
          d["element_sources"] = outcome.element_sources;
          d["warnings"] = outcome.warnings;
          return d;
      },
      py::arg("preset"),
      py::arg("data"),
      py::arg("areas"),
      py::arg("out"),
      py::arg("nnn") = "",
      py::arg("built_up") = "",
      py::arg("id_field") = "",
      py::arg("name_field") = "",
      py::arg("force") = false,
      "Writes the config `landel init` writes for the download `data` read through `preset`; "
      "returns {file, element_sources, warnings}.");
}

} // namespace landel::python
