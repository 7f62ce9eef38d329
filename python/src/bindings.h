#pragma once
// Internal: the parts of the landel._landel module, each declared in its own file.

#include <pybind11/pybind11.h>

namespace landel::python {

/// landel.Error and its subclasses, translated from the C++ exceptions.
void bind_errors(pybind11::module_& m);

// The CLI's jobs (run, delineate, bid, render, compare, init; the pieces of a Dask run) and the
// config they read.
void bind_run(pybind11::module_& m);
void bind_pieces(pybind11::module_& m);
void bind_patch_pieces(pybind11::module_& m);
void bind_config(pybind11::module_& m);
void bind_init(pybind11::module_& m);

// The engine on data in memory: GeoDataFrames' WKB and numpy grids.
void bind_measure(pybind11::module_& m);
void bind_raster(pybind11::module_& m);

} // namespace landel::python
