#pragma once
// Internal: the arguments of a run in pieces as Python gives them (bind_pieces.cpp,
// bind_patch_pieces.cpp): the config's text and path, and the copies as dicts.

#include "landel/pipeline/config.h"
#include "landel/pipeline/pieces.h"

#include <pybind11/pybind11.h>

#include <string>
#include <vector>

namespace landel::python {

namespace py = pybind11;

inline pipeline::Config config_of(const std::string& toml, const std::string& path)
{
    return pipeline::load_config_text(toml, path);
}

/// A copy as Python sees it: a dict of plain values, so that Dask can send it to a worker.
inline py::dict dict_of(const pipeline::LayerCopy& c)
{
    py::dict d;
    d["source"] = c.source;
    d["label"] = c.label;
    d["copy"] = c.copy.string();
    d["files"] = c.files;
    d["reused"] = c.reused;
    return d;
}

inline std::vector<pipeline::LayerCopy> copies_of(const std::vector<py::dict>& dicts)
{
    std::vector<pipeline::LayerCopy> out;
    for (const py::dict& d : dicts)
        out.push_back({ d["source"].cast<std::string>(),
                        d["label"].cast<std::string>(),
                        d["copy"].cast<std::string>(),
                        d["files"].cast<std::vector<std::string>>(),
                        d["reused"].cast<bool>() });
    return out;
}

} // namespace landel::python
