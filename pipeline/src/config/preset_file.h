#pragma once
// Internal: a preset file (data/presets/*.toml, docs/presets.md) as read, strictly, before it
// is applied to a config: the dataset's layers, its options with defaults and sources, the
// element rows, the parts of the named rural-land definitions and the coverage check.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

/// A boolean or numeric choice the sources disagree on.
struct PresetOption
{
    std::string name;
    bool is_flag = false; ///< boolean; else a number
    bool flag = false;
    double number = 0.0;
    std::string about;
    std::string source;
    int line = 0; ///< of its table in the preset file: options keep the file's order
};

/// One layer of the dataset: its file in a zip or folder (with the GDAL schema template to
/// read it) and the names its layer may have in a vector dataset.
struct PresetLayer
{
    std::string id;
    std::string file;
    std::filesystem::path gfs; ///< resolved against the preset file's folder; may be empty
    std::vector<std::string> names;
    /// "polygons", "lines", "points" or "" (any): what a vector dataset's layer must hold
    /// (a GeoPackage made without the GFS template holds pand's label points).
    std::string geometry;
};

/// A number given as a figure or as the name of a numeric option.
struct PresetNumber
{
    std::optional<double> value;
    std::string option;
    bool given() const { return value || !option.empty(); }
};

struct PresetElementRow
{
    std::string id;
    std::string when; ///< a boolean option that must be true; empty: always
    std::string layer;
    std::string where;
    std::string type;
    PresetNumber width_m;
    PresetNumber max_patch_ha;
    std::string source;
    int line = 0;
};

/// A layer (with a filter) that makes up part of a rural-land definition.
struct PresetPart
{
    std::string layer;
    std::string where;
    std::string source;
};

struct Preset
{
    std::filesystem::path file;
    std::string name;
    std::string title;
    std::string crs;
    std::string signature; ///< a file every download of this dataset holds
    struct History
    {
        std::string object_begin, object_end, version_begin, version_end, published;
    } history;
    std::vector<PresetLayer> layers;
    std::vector<PresetOption> options;
    std::vector<PresetElementRow> elements;
    std::vector<std::string> type_order;
    std::vector<PresetPart> built_up;
    std::vector<PresetPart> roads;
    std::vector<PresetPart> water;
    /// [siting]: agricultural land standing in for parcels when [bid.potential] names no
    /// layer, and the land a free edge runs along that makes it a bank or a verge.
    std::vector<PresetPart> parcels;
    std::vector<PresetPart> banks;
    std::vector<PresetPart> verges;
    std::string large_woods_element; ///< the element row whose large patches are forest
    std::string large_woods_source;
    std::vector<std::string> coverage_layers;
    std::string coverage_where;
    double coverage_min_share = 0.99;

    const PresetLayer* layer(const std::string& id) const;
    const PresetOption* option(const std::string& name) const;
};

/// Reads and checks @p file. Throws ConfigError naming the preset file, its line and the key.
Preset read_preset(const std::filesystem::path& file);

/// The folder of the presets shipped with landel: $LANDEL_DATA_DIR/presets, else
/// <prefix>/share/landel/presets beside the installed binary, else the source tree's.
std::filesystem::path shipped_presets_dir();

/// The preset file a config names: a shipped preset's name ("bgt"), or a path to a .toml file
/// (relative to @p config_dir). Throws ConfigError with @p where in front when there is none.
std::filesystem::path find_preset(const std::string& name,
                                  const std::filesystem::path& config_dir,
                                  const std::string& where);

} // namespace landel::pipeline::detail
