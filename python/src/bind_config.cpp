// The config rules the Python side needs before a job: read by the config loader, so that
// landel never has a second reading of a TOML file.
#include "bindings.h"

#include "landel/pipeline/config.h"

#include <pybind11/stl.h>

#include <optional>

namespace py = pybind11;

namespace landel::python {

void bind_config(py::module_& m)
{
    m.def(
      "config_names_output",
      [](const std::string& path, const std::optional<std::string>& toml) {
          // A config that does not load names nothing: the job reports it with its message.
          try {
              const pipeline::Config config =
                toml ? pipeline::load_config_text(*toml, path) : pipeline::load_config(path);
              return !config.output.empty();
          } catch (const pipeline::ConfigError&) {
              return false;
          }
      },
      py::arg("path"),
      py::arg("toml") = py::none(),
      "Whether the config file at `path` (or the TOML text `toml` standing for it) gives "
      "run.output.");
}

} // namespace landel::python
