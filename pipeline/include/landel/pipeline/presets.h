#pragma once
/// @file presets.h
/// `landel presets`: the dataset presets shipped with landel (docs/presets.md), listed, and
/// one preset's file text, to read or to copy and change.

#include <filesystem>
#include <string>
#include <vector>

namespace landel::pipeline {

/// One shipped preset as its file names it.
struct PresetSummary
{
    std::string name;  ///< the file's stem: what `[dataset] preset = "…"` takes
    std::string title; ///< [preset] title
    std::filesystem::path file;
};

/// The presets shipped with landel, sorted by name; each file is read and checked. Throws
/// ConfigError naming a shipped preset file that does not read.
std::vector<PresetSummary> shipped_presets();

/// The text of the preset @p name_or_path names — a shipped preset's name ("bgt") or the path
/// of a preset .toml file — byte for byte as in its file, after the file is read and checked.
/// Throws ConfigError with a one-line message (an unknown name lists the shipped presets).
std::string preset_text(const std::string& name_or_path);

} // namespace landel::pipeline
