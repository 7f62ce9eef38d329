#pragma once
// Internal: `[dataset]` — a download read through a preset. Reading it finds the preset,
// checks the download is of the preset's kind and holds its layers, resolves the options, and
// adds the preset's element rows to the config as [[elements]] sources filtered to the state
// of the registry on `as_of` (or its current objects).

#include "config/preset_file.h"
#include "config/section.h"

#include "landel/io/dataset_contents.h"

#include <algorithm>

namespace landel::pipeline::detail {

/// A download with its preset: what the rural-land definitions read from it too.
struct DatasetReading
{
    Preset preset; ///< options hold the values used (the config's or the defaults)
    io::DatasetContents contents;
    std::string history_where; ///< the filter selecting the versions valid on as_of
    /// Layers whose file holds no feature (a download writes every class's file): their rows
    /// and parts read nothing, and GDAL cannot open such a file, so they are left out.
    std::vector<std::string> empty_layers;
    bool empty(const std::string& layer) const
    {
        return std::find(empty_layers.begin(), empty_layers.end(), layer) != empty_layers.end();
    }

    /// Which versions a source reads: those valid on as_of (the history filter), or all.
    enum class Versions
    {
        OnAsOf,
        All
    };

    /// A source reading @p layer (a preset layer id) with @p where and, unless @p versions
    /// is All, the history filter. @throws ConfigError when the download lacks the layer.
    SourceConfig source(const Config& cfg,
                        const std::string& layer,
                        const std::string& where,
                        const std::string& key,
                        Versions versions = Versions::OnAsOf) const;
    /// The member (file in a zip or folder) or GeoPackage layer holding preset layer
    /// @p layer; empty when the download has none.
    std::string holder(const std::string& layer) const;
    double number(const PresetNumber& n) const;
};

/// Reads the [dataset] table @p s into cfg.dataset and appends the preset's element sources to
/// cfg.elements. Throws ConfigError / IoError naming the key, the preset or the download.
DatasetReading read_dataset(Config& cfg, Section& s);

/// "YYYY-MM-DD" when @p text is a real date in that form; else nothing.
std::optional<std::string> iso_date(const std::string& text);

} // namespace landel::pipeline::detail
