#include "commands/batch_units.h"

#include "landel/core/error.h"
#include "landel/io/table_writers.h"
#include "landel/io/vector_source.h"
#include "landel/pipeline/version.h"
#include "stages/bid_stage.h"
#include "stages/inputs.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace landel::pipeline::detail {

namespace fs = std::filesystem;

namespace {

/// A folder name for a unit: the name itself where it can be one (Dutch names with accents
/// stay readable); path separators, characters Windows refuses and control characters
/// become '_', and leading dots or spaces are dropped.
std::string folder_name(const std::string& name)
{
    std::string out;
    for (unsigned char c : name)
        out += (c < 0x20 || std::string_view("/\\:*?\"<>|").find(char(c)) != std::string_view::npos)
                 ? '_'
                 : char(c);
    const std::size_t start = out.find_first_not_of(". ");
    out = start == std::string::npos ? std::string() : out.substr(start);
    while (!out.empty() && (out.back() == ' ' || out.back() == '.'))
        out.pop_back();
    return out;
}

std::string quote_identifier(const std::string& name)
{
    std::string out = "\"";
    for (char c : name)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string quote_literal(const std::string& value)
{
    std::string out = "'";
    for (char c : value)
        out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

/// Checksums of files, each read once per batch however many units name it.
class FileHashes
{
public:
    /// "<path> <sha256>" lines of @p path and its sidecars (files in the same folder with
    /// the same stem: a shapefile's .dbf, .shx, .prj, .cpg; a GeoTIFF's .aux.xml), or of
    /// every file below @p path when it is a folder (FileGDB).
    std::string lines(const fs::path& path)
    {
        std::error_code ec;
        const fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
        std::vector<fs::path> files;
        if (fs::is_directory(p, ec)) {
            for (const auto& e : fs::recursive_directory_iterator(p, ec))
                if (e.is_regular_file())
                    files.push_back(e.path());
        } else {
            files.push_back(p);
            for (const auto& e : fs::directory_iterator(p.parent_path(), ec))
                if (e.path() != p && e.is_regular_file() && e.path().stem() == p.stem())
                    files.push_back(e.path());
        }
        std::sort(files.begin(), files.end());
        std::string out;
        for (const fs::path& f : files) {
            auto it = m_cache.find(f);
            if (it == m_cache.end())
                it = m_cache.emplace(f, fs::exists(f, ec) ? io::sha256_file(f) : "missing").first;
            out += f.string() + " " + it->second + "\n";
        }
        return out;
    }

private:
    std::map<fs::path, std::string> m_cache;
};

std::string fingerprint(const Config& config, const std::string& selection, FileHashes& hashes)
{
    std::ostringstream text;
    text << "landel " << version() << "\n" << selection << "\n";
    std::vector<fs::path> inputs = config_paths(config);
    // The catalogue and mixes a run uses by default are inputs too.
    const BidSetup setup = load_bid_setup(config);
    inputs.push_back(setup.catalogue_path);
    inputs.push_back(setup.mixes_path);
    std::set<std::string> seen;
    for (const fs::path& input : inputs)
        if (seen.insert(fs::absolute(input).lexically_normal().string()).second)
            text << hashes.lines(input);
    return io::sha256_text(text.str());
}

std::vector<PlannedUnit> units_of_template(const BatchOptions& options, FileHashes& hashes)
{
    const BatchUnits& u = *options.units;
    if (options.configs.size() != 1)
        throw Error("--units needs exactly one config (the template); got " +
                    std::to_string(options.configs.size()));
    const Config base = load_config(options.configs.front());
    if (base.monitoring)
        throw Error("--units: the template '" + options.configs.front().string() +
                    "' has [monitoring], whose earlier runs are of other areas than each unit's; "
                    "compare the units' folders with landel compare");
    if (u.name_field.empty())
        throw Error("--units '" + u.path.string() +
                    "': give --unit-field, the field naming each unit");

    io::VectorRequest request;
    request.label = "--units '" + u.path.string() + "'";
    request.path = u.path;
    request.layer = u.layer;
    request.where = u.where;
    request.fields = { u.name_field };
    request.field_keys = { "--unit-field" };
    io::VectorSource source(request, run_crs(base));
    const bool numeric = source.info().field_is_number.front();
    const std::vector<io::VectorFeature> features = source.read();
    if (features.empty())
        throw Error(request.label + " layer '" + source.info().layer + "': selects no units");

    const std::string template_text = hashes.lines(options.configs.front());
    const std::string units_text = hashes.lines(u.path);
    std::map<std::string, std::string> folders; // folder -> unit name
    std::vector<PlannedUnit> units;
    for (const io::VectorFeature& f : features) {
        const io::FieldValue& v = f.fields.front();
        if (v.null || v.text.empty())
            throw Error(request.label + ": feature " + std::to_string(f.fid) +
                        " has no value in --unit-field '" + u.name_field + "'");
        PlannedUnit unit;
        unit.name = v.text;
        unit.folder = folder_name(v.text);
        if (unit.folder.empty())
            throw Error(request.label + ": the unit name '" + v.text + "' (feature " +
                        std::to_string(f.fid) + ") makes no folder name");
        const auto [it, fresh] = folders.emplace(unit.folder, unit.name);
        if (!fresh)
            throw Error(request.label + ": units '" + it->second + "' and '" + unit.name +
                        "' (feature " + std::to_string(f.fid) + ") would share the folder '" +
                        unit.folder + "'; --unit-field must name each unit once");

        // The unit is selected again by its name when the run reads its study area.
        const std::string match =
          quote_identifier(u.name_field) + " = " + (numeric ? v.text : quote_literal(v.text));
        SourceConfig study;
        study.key = "unit";
        study.path = u.path;
        study.layer = source.info().layer;
        study.where = u.where.empty() ? match : "(" + u.where + ") AND " + match;
        study.label = "unit '" + unit.name + "' ('" + u.path.filename().string() + "')";
        unit.config = base;
        unit.config.study_area = study;
        unit.scope.outside_study_left_out = true;
        unit.scope.unit_min_part_ha = u.min_part_ha;
        unit.config.name = base.name.empty() ? unit.name : base.name + " – " + unit.name;
        unit.config.output.clear();
        const std::string selection = "template\n" + template_text + "units " + study.layer + " " +
                                      study.where + " min_part_ha " +
                                      std::to_string(u.min_part_ha) + "\n" + units_text;
        unit.fingerprint = fingerprint(unit.config, selection, hashes);
        units.push_back(std::move(unit));
    }
    return units;
}

std::vector<PlannedUnit> units_of_configs(const BatchOptions& options, FileHashes& hashes)
{
    if (options.configs.empty())
        throw Error("no config given");
    std::map<std::string, fs::path> folders;
    std::vector<PlannedUnit> units;
    for (const fs::path& file : options.configs) {
        PlannedUnit unit;
        unit.config = load_config(file);
        unit.folder = folder_name(file.stem().string());
        unit.name = unit.config.name.empty() ? unit.folder : unit.config.name;
        const auto [it, fresh] = folders.emplace(unit.folder, file);
        if (!fresh)
            throw Error("configs '" + it->second.string() + "' and '" + file.string() +
                        "' would share the unit folder '" + unit.folder + "'; rename one");
        unit.config.output.clear();
        unit.fingerprint = fingerprint(unit.config, "config\n", hashes);
        units.push_back(std::move(unit));
    }
    return units;
}

} // namespace

std::vector<PlannedUnit> plan_units(const BatchOptions& options)
{
    FileHashes hashes;
    return options.units ? units_of_template(options, hashes) : units_of_configs(options, hashes);
}

std::vector<fs::path> batch_inputs(const BatchOptions& options,
                                   const std::vector<PlannedUnit>& units)
{
    std::vector<fs::path> inputs = options.configs;
    if (options.units)
        inputs.push_back(options.units->path);
    for (const PlannedUnit& unit : units) {
        const std::vector<fs::path> paths = config_paths(unit.config);
        inputs.insert(inputs.end(), paths.begin(), paths.end());
    }
    return inputs;
}

} // namespace landel::pipeline::detail
