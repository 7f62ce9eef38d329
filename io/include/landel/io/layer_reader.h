#pragma once
/// @file layer_reader.h
/// Reading a whole attribute table back (e.g. the `areas` layer of an earlier run's
/// areas.gpkg, for `landel bid`).

#include "landel/core/table.h"

#include <filesystem>
#include <string>

namespace landel::io {

/// Every field and feature of @p layer in @p path, in feature order: String fields become Text
/// columns, Integer/Integer64 Integer, Real Real (6 decimals); NULL fields empty cells; the
/// geometry as ISO WKB (empty for none). Column aliases are the fields' alternative names.
/// @throws IoError naming the path and layer when either cannot be read.
Table read_layer_table(const std::filesystem::path& path, const std::string& layer);

} // namespace landel::io
