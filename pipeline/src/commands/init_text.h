#pragma once
// Internal: the text `landel init` writes — a config reading a dataset through its preset,
// with every choice the user may want to make written out as a comment.

#include "config/preset_file.h"

#include <optional>
#include <string>

namespace landel::pipeline::detail {

/// A layer as the config names it.
struct WrittenLayer
{
    std::string path;  ///< relative to the config's folder, or absolute
    std::string layer; ///< empty: the file's only layer
};

struct InitText
{
    std::string config_name; ///< the config's file name, for the commands in its header
    std::string run_name;
    std::string preset_ref; ///< "bgt", or the preset file's path as the config names it
    const Preset* preset = nullptr;
    std::string data; ///< the download's path as the config names it
    WrittenLayer areas;
    std::string id_field, name_field;
    std::optional<WrittenLayer> nnn, built_up;
};

/// The config's TOML text. Every string is written as a TOML basic string (escaped).
std::string init_config_text(const InitText& t);

/// @p value as a TOML basic string: quoted, with '"', '\' and control characters escaped.
std::string toml_quoted(const std::string& value);

} // namespace landel::pipeline::detail
