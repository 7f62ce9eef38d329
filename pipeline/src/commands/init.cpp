// `landel init`: a config for a dataset read through a preset, loaded and its own layers
// opened before anything is written, then written beside its place and renamed into it.

#include "landel/pipeline/init.h"

#include "commands/init_text.h"
#include "config/preset_file.h"
#include "stages/inputs.h"

#include "landel/io/dataset_contents.h"
#include "landel/io/error.h"
#include "landel/io/vector_source.h"
#include "landel/pipeline/config.h"

#include <algorithm>
#include <fstream>

#include <unistd.h>

namespace landel::pipeline {

namespace fs = std::filesystem;

namespace {

/// A layer named on the command line as FILE or FILE:LAYER.
struct GivenLayer
{
    fs::path file;
    std::string layer;
};

/// @p path absolute, normalised, without a trailing separator.
fs::path plain(const fs::path& path)
{
    fs::path p = fs::absolute(path).lexically_normal();
    return p.filename().empty() && p.has_parent_path() && p != p.root_path() ? p.parent_path() : p;
}

/// @p file as a config in @p dir names it: relative when the two share a folder below the
/// root (a project folder moves as a whole), else absolute.
std::string written_path(const fs::path& file, const fs::path& dir)
{
    const fs::path f = plain(file), d = plain(dir);
    std::size_t common = 0;
    for (auto fi = f.begin(), di = d.begin(); fi != f.end() && di != d.end() && *fi == *di;
         ++fi, ++di)
        ++common;
    return common < 2 ? f.string() : f.lexically_relative(d).string();
}

std::string joined(const std::vector<std::string>& names)
{
    std::string out;
    for (const std::string& n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out;
}

/// The layer @p spec names after @p option: a vector dataset holding that layer, or holding
/// exactly one layer when none is named. A path that exists is a FILE even with a ':' in it.
GivenLayer checked_layer(const std::string& option, const std::string& spec)
{
    std::error_code ec;
    GivenLayer l{ spec, "" };
    const std::size_t colon = spec.rfind(':');
    if (!fs::exists(spec, ec) && colon != std::string::npos && colon > 0)
        l = { spec.substr(0, colon), spec.substr(colon + 1) };
    const io::DatasetContents c = io::inspect_dataset(l.file, option);
    const std::string path = "'" + l.file.string() + "'";
    if (c.kind != io::DatasetKind::Vector)
        throw ConfigError(option + ": " + path + " is " + io::to_string(c.kind) +
                          "; give a vector dataset (e.g. a GeoPackage) as FILE or FILE:LAYER");
    if (c.members.empty())
        throw ConfigError(option + ": " + path + " has no layers");
    if (!l.layer.empty() &&
        std::find(c.members.begin(), c.members.end(), l.layer) == c.members.end())
        throw ConfigError(option + ": " + path + " has no layer '" + l.layer +
                          "' (layers: " + joined(c.members) + ")");
    if (l.layer.empty() && c.members.size() > 1)
        throw ConfigError(option + ": " + path + " has " + std::to_string(c.members.size()) +
                          " layers (" + joined(c.members) + "); name one as FILE:LAYER");
    return l;
}

detail::WrittenLayer written_layer(const GivenLayer& l, const fs::path& dir)
{
    return { written_path(l.file, dir), l.layer };
}

/// The text loaded as the config @p file would be (the preset, the download and its layers
/// checked), and the layers the command line named opened with their fields and CRS.
Config checked_config(const std::string& text, const fs::path& file)
{
    Config cfg = load_config_text(text, file, ConfigUse::Run);
    const io::Crs crs = detail::run_crs(cfg);
    const AreaLayerConfig& areas = cfg.areas.layers.front();
    io::VectorRequest request = detail::vector_request(areas);
    for (const auto& [field, key] :
         { std::pair{ &areas.id_field, "id_field" }, std::pair{ &areas.name_field, "name_field" } })
        if (!field->empty()) {
            request.fields.push_back(*field);
            request.field_keys.emplace_back(key);
        }
    io::VectorSource{ request, crs };
    for (const std::optional<SourceConfig>* layer : { &cfg.rural.built_up, &cfg.rural.nnn })
        if (*layer)
            io::VectorSource{ detail::vector_request(**layer), crs };
    return cfg;
}

/// Writes @p text to a file beside @p file and renames it into place: a reader sees the old
/// file or the whole new one.
void write_whole(const std::string& text, const fs::path& file)
{
    const fs::path temp =
      file.parent_path() / ("." + file.filename().string() + ".init-" + std::to_string(getpid()));
    std::error_code ec;
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << text;
        out.close();
        if (!out) {
            fs::remove(temp, ec);
            throw io::IoError("cannot write '" + temp.string() + "'");
        }
    }
    fs::rename(temp, file, ec);
    if (ec) {
        const std::string why = ec.message();
        fs::remove(temp, ec);
        throw io::IoError("cannot write '" + file.string() + "': " + why);
    }
}

} // namespace

InitOutcome init_config(const InitOptions& o)
{
    const fs::path out = plain(o.out);
    const std::string given = "'" + o.out.string() + "'";
    std::error_code ec;
    if (fs::is_directory(out, ec))
        throw ConfigError("--out: " + given + " is a folder; name the config file to write");
    if (fs::exists(out, ec) && !o.force)
        throw ConfigError("--out: " + given + " exists; give --force to overwrite it");
    const fs::path dir = out.parent_path();
    if (!fs::is_directory(dir, ec))
        throw ConfigError("--out: folder not found: '" + dir.string() + "'");
    try {
        if (o.areas.empty())
            throw ConfigError("--areas is required: landel measures shares per area");
        const fs::path preset_file = detail::find_preset(o.preset, fs::path(), "--preset");
        const detail::Preset preset = detail::read_preset(preset_file);
        detail::InitText t;
        t.config_name = out.filename().string();
        t.run_name = plain(o.data).stem().string();
        t.preset = &preset;
        t.preset_ref =
          fs::path(o.preset).extension() == ".toml" ? written_path(preset_file, dir) : o.preset;
        t.data = written_path(o.data, dir);
        t.areas = written_layer(checked_layer("--areas", o.areas), dir);
        t.id_field = o.id_field;
        t.name_field = o.name_field;
        if (!o.nnn.empty())
            t.nnn = written_layer(checked_layer("--nnn", o.nnn), dir);
        if (!o.built_up.empty())
            t.built_up = written_layer(checked_layer("--built-up", o.built_up), dir);
        const std::string text = detail::init_config_text(t);
        const Config config = checked_config(text, out);
        write_whole(text, out);
        return { o.out, config.elements.size(), config.rural.warnings };
    } catch (const Error& e) {
        e.rethrow_with(std::string(e.what()) + " (" + given + " not written)");
        throw; // not reached: rethrow_with throws (a virtual call hides its [[noreturn]])
    }
}

} // namespace landel::pipeline
