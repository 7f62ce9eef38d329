#pragma once
/// @file init.h
/// `landel init`: a commented config for a dataset read through a preset (docs/presets.md),
/// written only when it loads and its inputs open.

#include <filesystem>
#include <string>
#include <vector>

namespace landel::pipeline {

/// What `landel init` is given. Layers are "FILE" or "FILE:LAYER"; paths relative to the
/// working folder.
struct InitOptions
{
    std::string preset;         ///< a shipped preset's name or the path of a preset .toml
    std::filesystem::path data; ///< the download the preset reads
    std::string areas;          ///< the areas layer (required)
    std::string nnn;            ///< the NNN layer; empty: none (a warning in the config)
    std::string built_up;       ///< a built-up zone layer; empty: the preset's stand-in
    std::string id_field;       ///< the areas' id attribute; empty: the feature id
    std::string name_field;     ///< the areas' name attribute; empty: none
    std::filesystem::path out = "landel.toml";
    bool force = false; ///< overwrite @p out when it exists
};

struct InitOutcome
{
    std::filesystem::path file;        ///< the config written
    std::size_t element_sources = 0;   ///< [[elements]] sources the preset gives for it
    std::vector<std::string> warnings; ///< what the config leaves approximate or out
};

/// Writes the config @p options describe: the preset's options commented out with their
/// defaults, the rural-land definition explained, paths relative to the config's folder when
/// they share a folder below the root. The text is loaded as a config and its areas, NNN and
/// built-up layers opened first; then it is written beside @p options.out and renamed into
/// place, so a failure leaves nothing. Throws landel::Error with a one-line message; an
/// existing @p options.out without @p options.force is an error.
InitOutcome init_config(const InitOptions& options);

} // namespace landel::pipeline
