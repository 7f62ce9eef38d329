#include "config/preset_file.h"

#include "config/section.h"
#include "job/data_dir.h"

#include <fstream>

namespace landel::pipeline::detail {

namespace {

std::string required_text(Section& s, const std::string& key)
{
    const auto v = s.text(key);
    if (!v || v->empty())
        s.fail(s.node(key), s.qualified(key) + " is required");
    return *v;
}

std::vector<std::string> text_list(Section& s, const std::string& key)
{
    std::vector<std::string> out;
    if (const toml::array* a = s.array(key))
        for (const toml::node& n : *a) {
            if (!n.is_string())
                s.fail(&n, s.qualified(key) + " must list strings");
            out.push_back(*n.value<std::string>());
        }
    return out;
}

/// A figure, or the name of a numeric option giving it.
PresetNumber preset_number(Section& s, const std::string& key)
{
    PresetNumber out;
    const toml::node* n = s.node(key);
    if (!n)
        return out;
    if (n->is_string())
        out.option = *n->value<std::string>();
    else
        out.value = s.positive(key, *s.number(key));
    return out;
}

void read_option(Section& s, const std::string& name, Preset& p)
{
    PresetOption o;
    o.name = name;
    o.line = s.line();
    const toml::node* d = s.node("default");
    if (!d)
        s.fail(nullptr, s.qualified("default") + " is required");
    if (d->is_boolean()) {
        o.is_flag = true;
        o.flag = *d->value<bool>();
    } else {
        o.number = *s.number("default");
    }
    o.about = required_text(s, "about");
    o.source = required_text(s, "source");
    s.finish();
    p.options.push_back(o);
}

void read_element_row(Section& s, Preset& p)
{
    PresetElementRow r;
    r.line = s.line();
    r.id = required_text(s, "id");
    r.when = s.text("when").value_or("");
    r.layer = required_text(s, "layer");
    r.where = s.text("where").value_or("");
    r.type = required_text(s, "type");
    require_identifier(s, "type", r.type);
    r.width_m = preset_number(s, "width_m");
    r.max_patch_ha = preset_number(s, "max_patch_ha");
    r.source = required_text(s, "source");
    s.finish();
    p.elements.push_back(r);
}

std::vector<PresetPart> read_parts(const Config& ctx, Section& parent, const std::string& key)
{
    std::vector<PresetPart> out;
    std::size_t i = 0;
    for (const toml::table* t : parent.tables(key)) {
        Section s(ctx, *t, parent.name() + "." + key + "[" + std::to_string(++i) + "]");
        PresetPart part;
        part.layer = required_text(s, "layer");
        part.where = s.text("where").value_or("");
        part.source = required_text(s, "source");
        s.finish();
        out.push_back(part);
    }
    return out;
}

/// The GDAL schema template beside the preset file, else the shipped one of that name: a copy
/// of a shipped preset (`landel presets bgt > my-bgt.toml`) reads its layers as the original.
fs::path gfs_template(Section& s, const std::string& gfs, const fs::path& dir)
{
    std::error_code ec;
    const fs::path beside = dir / gfs;
    if (fs::is_regular_file(beside, ec))
        return beside;
    const fs::path shipped = shipped_presets_dir() / gfs;
    if (fs::path(gfs).is_relative() && fs::is_regular_file(shipped, ec))
        return shipped;
    s.fail(s.node("gfs"), s.qualified("gfs") + ": file not found: '" + beside.string() + "'");
}

void read_layers(const Config& ctx, Section& top, Preset& p)
{
    const toml::table* layers = top.table("layers");
    if (!layers)
        top.fail(nullptr, "the [layers] section is required");
    for (auto&& [k, v] : *layers) {
        const std::string id(k.str());
        if (!v.is_table())
            top.fail(&v, "layers." + id + " must be a table");
        Section s(ctx, *v.as_table(), "layers." + id);
        PresetLayer l;
        l.id = id;
        l.file = required_text(s, "file");
        if (auto gfs = s.text("gfs"))
            l.gfs = gfs_template(s, *gfs, ctx.dir);
        l.names = text_list(s, "names");
        l.geometry = s.text("geometry").value_or("");
        if (!l.geometry.empty() && l.geometry != "polygons" && l.geometry != "lines" &&
            l.geometry != "points")
            s.fail(s.node("geometry"),
                   "layers." + id + ".geometry must be \"polygons\", \"lines\" or \"points\"");
        s.finish();
        p.layers.push_back(l);
    }
}

/// Every layer, option and type a row or part names must exist.
void check_references(const Config& ctx, const Preset& p)
{
    auto fail = [&](int line, const std::string& m) {
        throw ConfigError(ctx.where(line) + ": " + m);
    };
    for (const PresetElementRow& r : p.elements) {
        if (!p.layer(r.layer))
            fail(r.line, "element '" + r.id + "' names layer '" + r.layer + "', not in [layers]");
        if (!r.when.empty() && (!p.option(r.when) || !p.option(r.when)->is_flag))
            fail(r.line, "element '" + r.id + "': when = '" + r.when + "' is not a boolean option");
        for (const PresetNumber* n : { &r.width_m, &r.max_patch_ha })
            if (!n->option.empty() && (!p.option(n->option) || p.option(n->option)->is_flag))
                fail(r.line,
                     "element '" + r.id + "' names '" + n->option + "', not a numeric option");
        if (std::find(p.type_order.begin(), p.type_order.end(), r.type) == p.type_order.end())
            fail(r.line, "element '" + r.id + "': types.order does not list type '" + r.type + "'");
    }
    for (const auto* parts : { &p.built_up, &p.roads, &p.water, &p.parcels, &p.banks, &p.verges })
        for (const PresetPart& part : *parts)
            if (!p.layer(part.layer))
                fail(0, "a rural or siting part names layer '" + part.layer + "', not in [layers]");
    for (const std::string& l : p.coverage_layers)
        if (!p.layer(l))
            fail(0, "coverage names layer '" + l + "', not in [layers]");
}

void read_preset_section(Section& top, Preset& p, const Config& ctx)
{
    const toml::table* t = top.table("preset");
    if (!t)
        top.fail(nullptr, "the [preset] section is required");
    Section s(ctx, *t, "preset");
    p.name = required_text(s, "name");
    p.title = required_text(s, "title");
    p.crs = s.text("crs").value_or("");
    p.signature = s.text("signature").value_or("");
    if (const toml::table* h = s.table("history")) {
        Section hs(ctx, *h, "preset.history");
        p.history = { required_text(hs, "object_begin"),
                      required_text(hs, "object_end"),
                      required_text(hs, "version_begin"),
                      required_text(hs, "version_end"),
                      hs.text("published").value_or("") };
        hs.finish();
    }
    s.finish();
}

void read_rural_parts(Section& top, Preset& p, const Config& ctx)
{
    const toml::table* t = top.table("rural");
    if (!t)
        return;
    Section rural(ctx, *t, "rural");
    p.built_up = read_parts(ctx, rural, "built_up");
    p.roads = read_parts(ctx, rural, "roads");
    p.water = read_parts(ctx, rural, "water");
    if (const toml::table* w = rural.table("large_woods")) {
        Section s(ctx, *w, "rural.large_woods");
        p.large_woods_element = required_text(s, "element");
        p.large_woods_source = required_text(s, "source");
        s.finish();
    }
    rural.finish();
}

void read_siting_parts(Section& top, Preset& p, const Config& ctx)
{
    const toml::table* t = top.table("siting");
    if (!t)
        return;
    Section siting(ctx, *t, "siting");
    p.parcels = read_parts(ctx, siting, "parcels");
    p.banks = read_parts(ctx, siting, "banks");
    p.verges = read_parts(ctx, siting, "verges");
    siting.finish();
}

void read_coverage(Section& top, Preset& p, const Config& ctx)
{
    std::size_t i = 0;
    for (const toml::table* t : top.tables("coverage")) {
        Section s(ctx, *t, "coverage[" + std::to_string(++i) + "]");
        p.coverage_layers.push_back(required_text(s, "layer"));
        s.finish();
    }
    if (const toml::table* t = top.table("coverage_rule")) {
        Section s(ctx, *t, "coverage_rule");
        p.coverage_where = s.text("where").value_or("");
        if (auto m = s.number("min_share"))
            p.coverage_min_share = s.positive("min_share", *m);
        s.finish();
    }
}

} // namespace

const PresetLayer* Preset::layer(const std::string& id) const
{
    for (const PresetLayer& l : layers)
        if (l.id == id)
            return &l;
    return nullptr;
}

const PresetOption* Preset::option(const std::string& n) const
{
    for (const PresetOption& o : options)
        if (o.name == n)
            return &o;
    return nullptr;
}

Preset read_preset(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw ConfigError(file.string() + ": preset file not found");
    std::ostringstream text;
    text << in.rdbuf();
    Config ctx; // messages name the preset file and its lines
    ctx.file = file;
    ctx.dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
    toml::table root;
    try {
        root = toml::parse(text.str(), file.string());
    } catch (const toml::parse_error& e) {
        throw ConfigError(ctx.where(int(e.source().begin.line)) +
                          ": TOML syntax error: " + std::string(e.description()));
    }
    Preset p;
    p.file = file;
    Section top(ctx, root, "");
    read_preset_section(top, p, ctx);
    read_layers(ctx, top, p);
    if (const toml::table* options = top.table("options"))
        for (auto&& [k, v] : *options) {
            if (!v.is_table())
                top.fail(&v, "options." + std::string(k.str()) + " must be a table");
            Section s(ctx, *v.as_table(), "options." + std::string(k.str()));
            read_option(s, std::string(k.str()), p);
        }
    // toml++ iterates a table's keys sorted; configs and docs list options as the file does
    std::stable_sort(p.options.begin(), p.options.end(), [](const auto& a, const auto& b) {
        return a.line < b.line;
    });
    std::size_t i = 0;
    for (const toml::table* t : top.tables("elements")) {
        Section s(ctx, *t, "elements[" + std::to_string(++i) + "]");
        read_element_row(s, p);
    }
    if (const toml::table* t = top.table("types")) {
        Section s(ctx, *t, "types");
        p.type_order = text_list(s, "order");
        s.finish();
    }
    read_rural_parts(top, p, ctx);
    read_siting_parts(top, p, ctx);
    read_coverage(top, p, ctx);
    top.finish();
    check_references(ctx, p);
    return p;
}

fs::path shipped_presets_dir()
{
    return shipped_data_dir("presets", "bgt.toml");
}

fs::path find_preset(const std::string& name, const fs::path& config_dir, const std::string& where)
{
    std::error_code ec;
    if (fs::path(name).extension() == ".toml") {
        const fs::path p = fs::path(name).is_absolute() ? fs::path(name) : config_dir / name;
        if (!fs::is_regular_file(p, ec))
            throw ConfigError(where + ": preset file not found: '" + p.string() + "'");
        return p;
    }
    const fs::path dir = shipped_presets_dir();
    const fs::path shipped = dir / (name + ".toml");
    if (is_identifier(name) && fs::is_regular_file(shipped, ec))
        return shipped;
    std::vector<std::string> names;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
        if (e.path().extension() == ".toml")
            names.push_back(e.path().stem().string());
    std::sort(names.begin(), names.end());
    std::string list;
    for (const std::string& n : names)
        list += (list.empty() ? "" : ", ") + n;
    throw ConfigError(where + ": unknown preset '" + name + "'; shipped presets: " +
                      (list.empty() ? "none" : list) + " (or the path of a preset .toml file)");
}

} // namespace landel::pipeline::detail
