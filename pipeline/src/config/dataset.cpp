#include "config/dataset.h"

#include <cstdio>

namespace landel::pipeline::detail {

namespace {

bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in(int y, int m)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/// The day after @p date (YYYY-MM-DD).
std::string next_day(const std::string& date)
{
    int y = std::stoi(date.substr(0, 4)), m = std::stoi(date.substr(5, 2)),
        d = std::stoi(date.substr(8, 2));
    if (++d > days_in(y, m)) {
        d = 1;
        if (++m > 12) {
            m = 1;
            ++y;
        }
    }
    char out[40];
    std::snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
    return out;
}

std::string quoted(const std::string& field)
{
    return "\"" + field + "\"";
}

/// The versions valid at the end of day @p as_of: the object alive (created on or before it,
/// not terminated by then) and this version registered on or before it and not ended by then.
/// Registration times are date-times: "before the next day" keeps the whole day of D, and the
/// comparison is plain text, which every SQL dialect does alike on ISO dates.
std::string history_filter(const Preset::History& h, const std::optional<std::string>& as_of)
{
    if (h.version_end.empty())
        return "";
    if (!as_of)
        return quoted(h.version_end) + " IS NULL";
    const std::string d = "'" + *as_of + "'", d1 = "'" + next_day(*as_of) + "'";
    return quoted(h.object_begin) + " <= " + d + " AND (" + quoted(h.object_end) + " IS NULL OR " +
           quoted(h.object_end) + " > " + d + ") AND " + quoted(h.version_begin) + " < " + d1 +
           " AND (" + quoted(h.version_end) + " IS NULL OR " + quoted(h.version_end) + " >= " + d1 +
           ")";
}

std::optional<std::string> read_as_of(Section& s)
{
    const toml::node* n = s.node("as_of");
    if (!n)
        return std::nullopt;
    std::string text;
    if (const auto* date = n->as_date()) { // as_of = 2018-01-01 (a TOML date)
        char buf[40];
        std::snprintf(buf,
                      sizeof buf,
                      "%04d-%02d-%02d",
                      int(date->get().year),
                      int(date->get().month),
                      int(date->get().day));
        text = buf;
    } else if (n->is_string()) {
        text = *n->value<std::string>();
    } else {
        s.fail(n, "dataset.as_of must be a date \"YYYY-MM-DD\", not " + std::string(kind_of(*n)));
    }
    const auto date = iso_date(text);
    if (!date)
        s.fail(n, "dataset.as_of must be a date \"YYYY-MM-DD\", got \"" + text + "\"");
    return date;
}

/// The config's [dataset.options] over the preset's defaults: unknown names and values of the
/// wrong kind are errors listing what the preset offers.
void apply_options(Section& s, Preset& p, DatasetConfig& d)
{
    if (const toml::table* t = s.table("options")) {
        for (auto&& [k, v] : *t) {
            const std::string name(k.str());
            PresetOption* o = nullptr;
            for (PresetOption& c : p.options)
                if (c.name == name)
                    o = &c;
            if (!o) {
                std::string list;
                for (const PresetOption& c : p.options)
                    list += (list.empty() ? "" : ", ") + c.name;
                s.fail(&v,
                       "dataset.options: preset '" + p.name + "' has no option '" + name +
                         "' (options: " + list + ")");
            }
            if (o->is_flag) {
                if (!v.is_boolean())
                    s.fail(&v, "dataset.options." + name + " must be true or false");
                o->flag = *v.value<bool>();
            } else {
                if (!v.is_number())
                    s.fail(&v, "dataset.options." + name + " must be a number");
                const double x = *v.value<double>();
                if (!(x > 0.0) || !std::isfinite(x))
                    s.fail(&v, "dataset.options." + name + " must be > 0");
                o->number = x;
            }
        }
    }
    for (const PresetOption& o : p.options) {
        std::ostringstream text;
        if (o.is_flag)
            text << (o.flag ? "true" : "false");
        else
            text << o.number;
        d.options.emplace_back(o.name, text.str());
    }
}

/// The download must be of a kind the preset reads and be the dataset it is for.
void check_download(const DatasetReading& r, const DatasetConfig& d, const std::string& where)
{
    const io::DatasetKind kind = r.contents.kind;
    const std::string path = "'" + d.path.string() + "'";
    if (kind == io::DatasetKind::Raster || kind == io::DatasetKind::Other)
        throw ConfigError(where + ": preset '" + r.preset.name + "' reads " + r.preset.title +
                          "; " + path + " is " + io::to_string(kind));
    if ((kind == io::DatasetKind::Archive || kind == io::DatasetKind::Folder) &&
        !r.preset.signature.empty()) {
        for (const std::string& m : r.contents.members)
            if (fs::path(m).filename() == r.preset.signature)
                return;
        throw ConfigError(where + ": " + path + " is not a " + r.preset.name +
                          " download: it holds no " + r.preset.signature);
    }
}

/// In a zip or folder every class has its file, with features or not; the empty ones are
/// noted and left out (GDAL does not open them).
void find_empty_layers(DatasetReading& r, DatasetConfig& d)
{
    if (r.contents.kind == io::DatasetKind::Vector)
        return;
    for (const PresetLayer& l : r.preset.layers)
        for (const std::string& m : r.contents.members)
            if (fs::path(m).filename() == l.file) {
                const fs::path path = r.contents.kind == io::DatasetKind::Archive
                                        ? io::archive_member(d.path, m)
                                        : d.path / m;
                if (!io::gml_holds_features(path)) {
                    r.empty_layers.push_back(l.id);
                    d.notes.push_back("dataset: " + l.file + " holds no feature; layer " + l.id +
                                      " reads nothing");
                }
            }
}

/// A vector dataset's layer must hold the geometry the preset reads from it.
void check_geometry(const PresetLayer& layer,
                    const io::DatasetContents& contents,
                    const std::string& name,
                    const std::string& where)
{
    const auto it = contents.kinds.find(name);
    if (layer.geometry.empty() || it == contents.kinds.end() || it->second == 0)
        return;
    const int wanted = layer.geometry == "polygons" ? io::kind_polygons
                       : layer.geometry == "lines"  ? io::kind_lines
                                                    : io::kind_points;
    if ((it->second & wanted) == 0)
        throw ConfigError(where + " layer " + name + " holds no " + layer.geometry + " (" +
                          layer.id +
                          " needs them; a GeoPackage converted without the "
                          "preset's GFS template holds the wrong geometry: docs/presets.md)");
}

} // namespace

std::optional<std::string> iso_date(const std::string& text)
{
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    for (std::size_t i : { 0, 1, 2, 3, 5, 6, 8, 9 })
        if (text[i] < '0' || text[i] > '9')
            return std::nullopt;
    const int y = std::stoi(text.substr(0, 4)), m = std::stoi(text.substr(5, 2)),
              d = std::stoi(text.substr(8, 2));
    if (y < 1800 || m < 1 || m > 12 || d < 1 || d > days_in(y, m))
        return std::nullopt;
    return text;
}

std::string DatasetReading::holder(const std::string& layer_id) const
{
    const PresetLayer& layer = *preset.layer(layer_id);
    if (contents.kind != io::DatasetKind::Vector) {
        std::string member;
        for (const std::string& m : contents.members)
            if (fs::path(m).filename() == layer.file)
                member = m;
        return member;
    }
    // A GeoPackage: the first of the layer's names it holds.
    for (const std::string& name : layer.names)
        for (const std::string& m : contents.members)
            if (m == name)
                return m;
    return {};
}

SourceConfig DatasetReading::source(const Config& cfg,
                                    const std::string& layer_id,
                                    const std::string& where,
                                    const std::string& key,
                                    Versions versions) const
{
    const PresetLayer& layer = *preset.layer(layer_id);
    const DatasetConfig& d = *cfg.dataset;
    SourceConfig src;
    src.key = key;
    src.line = d.line;
    src.label = cfg.where(d.line) + ": " + key;
    const std::string held = holder(layer_id);
    if (contents.kind != io::DatasetKind::Vector) {
        if (held.empty())
            throw ConfigError(cfg.where(d.line) + ": '" + d.path.string() + "' holds no " +
                              layer.file + " (" + preset.name + " layer " + layer.id + ")");
        src.path = contents.kind == io::DatasetKind::Archive ? io::archive_member(d.path, held)
                                                             : d.path / held;
        if (!layer.gfs.empty())
            src.open_options.push_back("GFS_TEMPLATE=" + layer.gfs.string());
    } else {
        if (held.empty()) {
            std::string names;
            for (const std::string& n : layer.names)
                names += (names.empty() ? "" : ", ") + n;
            throw ConfigError(cfg.where(d.line) + ": '" + d.path.string() + "' has no layer for " +
                              preset.name + " layer " + layer.id + " (looked for " + names + ")");
        }
        src.path = d.path;
        src.layer = held;
        check_geometry(
          layer, contents, src.layer, cfg.where(d.line) + ": '" + d.path.string() + "'");
    }
    std::string filter = where;
    if (versions == Versions::OnAsOf && !history_where.empty())
        filter = filter.empty() ? history_where : "(" + filter + ") AND " + history_where;
    src.where = filter;
    return src;
}

double DatasetReading::number(const PresetNumber& n) const
{
    return n.value ? *n.value : preset.option(n.option)->number;
}

DatasetReading read_dataset(Config& cfg, Section& s)
{
    DatasetConfig d;
    d.line = s.line();
    d.preset = s.text("preset").value_or("");
    if (d.preset.empty())
        s.fail(nullptr, "dataset.preset is required (e.g. \"bgt\")");
    const auto path = s.text("path");
    if (!path || path->empty())
        s.fail(nullptr, "dataset.path is required (the download: zip, folder or GeoPackage)");
    d.path = fs::path(*path).is_absolute() ? fs::path(*path) : cfg.dir / *path;
    d.as_of = read_as_of(s);
    const std::string where = cfg.where(d.line) + ": dataset";
    d.preset_file = find_preset(d.preset, cfg.dir, where + ".preset");

    DatasetReading r;
    r.preset = read_preset(d.preset_file);
    apply_options(s, r.preset, d);
    s.finish();
    d.preset_name = r.preset.name;
    d.title = r.preset.title;
    r.contents = io::inspect_dataset(d.path, where + ".path");
    d.kind = io::to_string(r.contents.kind);
    check_download(r, d, where + ".path");
    if (d.as_of && r.preset.history.version_end.empty())
        s.fail(s.node("as_of"), "dataset.as_of: preset '" + r.preset.name + "' has no history");
    r.history_where = history_filter(r.preset.history, d.as_of);
    const Preset::History& h = r.preset.history;
    for (const std::string* f :
         { &h.object_begin, &h.object_end, &h.version_begin, &h.version_end, &h.published })
        if (!f->empty())
            d.date_fields.push_back(*f);
    find_empty_layers(r, d);
    cfg.dataset = d;

    for (const PresetElementRow& row : r.preset.elements) {
        if (!row.when.empty() && !r.preset.option(row.when)->flag)
            continue;
        if (r.empty(row.layer))
            continue;
        ElementConfig e;
        static_cast<SourceConfig&>(e) =
          r.source(cfg, row.layer, row.where, "dataset " + r.preset.name + " '" + row.id + "'");
        e.type = row.type;
        e.from_preset = true;
        if (row.width_m.given())
            e.width_m = r.number(row.width_m);
        if (row.max_patch_ha.given())
            e.max_patch_ha = r.number(row.max_patch_ha);
        cfg.elements.push_back(std::move(e));
    }
    // The registry's date is read from every version of every layer the download holds.
    for (const PresetLayer& l : r.preset.layers) {
        if (r.empty(l.id) || r.holder(l.id).empty()) // a layer the download lacks dates nothing
            continue;
        cfg.dataset->dated_layers.push_back(r.source(
          cfg, l.id, "", "dataset " + r.preset.name + " " + l.id, DatasetReading::Versions::All));
    }
    for (const std::string& l : r.preset.coverage_layers)
        if (!r.empty(l))
            cfg.dataset->coverage.push_back(
              r.source(cfg, l, r.preset.coverage_where, "coverage " + l));
    cfg.dataset->coverage_min_share = r.preset.coverage_min_share;
    return r;
}

} // namespace landel::pipeline::detail
