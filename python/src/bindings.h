#pragma once
// Internal: the parts of the landel._landel module, each declared in its own file.

#include <pybind11/pybind11.h>

namespace landel::python {

void bind_errors(pybind11::module_& m);
void bind_run(pybind11::module_& m);
void bind_measure(pybind11::module_& m);
void bind_raster(pybind11::module_& m);
void bind_pieces(pybind11::module_& m);

} // namespace landel::python
