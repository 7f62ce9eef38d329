#include "landel/pipeline/config.h"

#include "config/dataset.h"
#include "config/rural_definition.h"
#include "config/section.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

namespace landel::pipeline {

namespace fs = std::filesystem;

using detail::is_identifier;
using detail::is_integer;
using detail::kind_of;
using detail::read_source;
using detail::require_identifier;
using detail::Section;

namespace {

void read_run(Config& cfg, Section& s)
{
    cfg.name = s.text("name").value_or("");
    if (auto crs = s.text("crs")) {
        cfg.crs = *crs;
        cfg.crs_line = int(s.node("crs")->source().begin.line);
    }
    if (auto y = s.small_integer("measurement_year"))
        cfg.measurement_year = *y;
    if (auto out = s.text("output"))
        cfg.output = fs::path(*out).is_absolute() ? fs::path(*out) : cfg.dir / *out;
    if (auto mb = s.integer("memory_mb")) {
        if (*mb < 64)
            s.fail(s.node("memory_mb"),
                   "run.memory_mb must be at least 64, got " + std::to_string(*mb));
        if (std::uint64_t(*mb) > (std::numeric_limits<std::size_t>::max() >> 20)) // bytes overflow
            s.fail(s.node("memory_mb"),
                   "run.memory_mb is out of range, got " + std::to_string(*mb));
        cfg.memory_mb = std::size_t(*mb);
    }
    if (auto d = s.number("density_cell_m"))
        cfg.density_cell_m = s.positive("density_cell_m", *d);
    s.finish();
}

void read_areas(Config& cfg, Section& s)
{
    std::string method_text = "given";
    if (const toml::node* m = s.node("method")) {
        if (!m->is_string())
            s.fail(m, "areas.method must be a string, not " + std::string(kind_of(*m)));
        method_text = *m->value<std::string>();
        cfg.areas.method_line = int(m->source().begin.line);
    }
    if (auto v = s.number("min_area_ha"))
        cfg.areas.min_area_ha = *v < 0 ? s.positive("min_area_ha", *v) : *v;
    std::size_t i = 0;
    for (const toml::table* t : s.tables("layers")) {
        Section ls(cfg, *t, "areas.layers[" + std::to_string(++i) + "]");
        AreaLayerConfig layer;
        read_source(cfg, ls, layer);
        layer.field = ls.text("field").value_or("");
        layer.id_field = ls.text("id_field").value_or("");
        layer.name_field = ls.text("name_field").value_or("");
        ls.finish();
        cfg.areas.layers.push_back(std::move(layer));
    }
    if (const toml::table* dem = s.table("dem")) {
        Section ds(cfg, *dem, "areas.dem");
        DemConfig d;
        read_source(cfg, ds, d);
        if (auto v = ds.number("min_catchment_ha"))
            d.min_catchment_ha = ds.positive("min_catchment_ha", *v);
        if (auto v = ds.number("z_factor"))
            d.z_factor = ds.positive("z_factor", *v);
        if (auto b = ds.text("basins")) {
            if (*b != "links" && *b != "outlets")
                ds.fail(ds.node("basins"),
                        "areas.dem.basins must be \"links\" or \"outlets\", not \"" + *b + "\"");
            d.basins = *b == "outlets" ? Basins::Outlets : Basins::Links;
        }
        if (const toml::node* n = ds.node("fill_holes")) {
            if (!n->is_boolean())
                ds.fail(
                  n, "areas.dem.fill_holes must be true or false, not " + std::string(kind_of(*n)));
            d.fill_holes = *n->value<bool>();
        }
        if (auto side = ds.integer("tile_side")) {
            if (*side < 16 || *side > 65000)
                ds.fail(ds.node("tile_side"),
                        "areas.dem.tile_side must be 16 to 65000 cells, got " +
                          std::to_string(*side));
            d.tile_side = std::size_t(*side);
        }
        if (auto r = ds.text("resample")) {
            if (*r != "bilinear")
                ds.fail(ds.node("resample"),
                        "areas.dem.resample must be \"bilinear\", not \"" + *r + "\"");
            d.resample = Resample::Bilinear;
        }
        if (const toml::table* burn = ds.table("burn")) {
            Section bs(cfg, *burn, "areas.dem.burn");
            SourceConfig b;
            read_source(cfg, bs, b);
            if (auto depth = bs.number("depth_m"))
                d.burn_depth_m = bs.positive("depth_m", *depth);
            bs.finish();
            d.burn = b;
        }
        if (!d.layer.empty() || !d.where.empty())
            ds.fail(ds.node(!d.layer.empty() ? "layer" : "where"),
                    "areas.dem is a raster: it takes no layer or where");
        ds.finish();
        cfg.areas.dem = d;
    }
    s.finish();

    const std::string at = cfg.where(cfg.areas.method_line ? cfg.areas.method_line : s.line());
    if (method_text == "overlay")
        cfg.areas.method = AreasMethod::Overlay;
    else if (method_text == "catchments")
        cfg.areas.method = AreasMethod::Catchments;
    else if (method_text != "given")
        throw ConfigError(at +
                          ": areas.method must be \"given\", \"overlay\" or \"catchments\", "
                          "not \"" +
                          method_text + "\"");
    const AreasMethod method = cfg.areas.method;
    if (method == AreasMethod::Given && cfg.areas.layers.size() != 1)
        throw ConfigError(cfg.where(s.line()) +
                          ": areas.method = \"given\" needs exactly one "
                          "[[areas.layers]] section, found " +
                          std::to_string(cfg.areas.layers.size()));
    if (method == AreasMethod::Overlay) {
        if (cfg.areas.layers.empty())
            throw ConfigError(at +
                              ": areas.method = \"overlay\" needs at least one [[areas.layers]] "
                              "section with a classifying 'field'");
        const AreaLayerConfig* naming = nullptr;
        for (const AreaLayerConfig& l : cfg.areas.layers) {
            if (l.field.empty())
                throw ConfigError(l.label +
                                  ": overlay layers need 'field' (the classifying attribute)");
            if (!l.id_field.empty())
                throw ConfigError(l.label + ": 'id_field' is for given areas; overlay ids are made "
                                            "from the classes");
            if (!l.name_field.empty()) {
                if (naming)
                    throw ConfigError(l.label + ": 'name_field' is already given on " +
                                      naming->label + "; one overlay layer names the areas");
                naming = &l;
            }
        }
    }
    if (method == AreasMethod::Catchments) {
        if (!cfg.areas.dem)
            throw ConfigError(at + ": areas.method = \"catchments\" needs an [areas.dem] section");
        if (!cfg.areas.layers.empty())
            throw ConfigError(cfg.areas.layers.front().label + ": areas.method = \"catchments\" "
                                                               "takes no [[areas.layers]]");
    } else if (cfg.areas.dem) {
        throw ConfigError(cfg.where(cfg.areas.dem->line) +
                          ": [areas.dem] is only for areas.method = "
                          "\"catchments\"");
    }
    if (method == AreasMethod::Given && !cfg.areas.layers.front().field.empty())
        throw ConfigError(cfg.areas.layers.front().label +
                          ": 'field' is for overlay layers; "
                          "given areas use id_field and name_field");
}

/// `resample`: only "nearest", and only on raster sources.
Resample read_resample(Section& s, bool raster)
{
    const auto r = s.text("resample");
    if (!r)
        return Resample::None;
    if (!raster)
        s.fail(s.node("resample"),
               s.qualified("resample") + " is for raster sources (with "
                                         "'classes'); vector sources are "
                                         "reprojected exactly");
    if (*r != "nearest")
        s.fail(s.node("resample"),
               s.qualified("resample") + " must be \"nearest\", not \"" + *r + "\"");
    return Resample::Nearest;
}

/// Keys that only vector sources have are errors on a raster source.
void refuse_vector_keys(Section& s, std::initializer_list<const char*> keys)
{
    for (const char* key : keys)
        if (const toml::node* n = s.node(key))
            s.fail(n,
                   s.qualified(key) +
                     " is for vector sources; a raster source (with "
                     "'classes') takes path, classes, resample, assume_crs" +
                     std::string(s.name().rfind("rural", 0) == 0 ? " and name" : ""));
}

std::int64_t class_code(Section& s, const toml::node* at, const std::string& text)
{
    if (!is_integer(text) || text.size() > 10)
        s.fail(at, s.qualified("classes") + ": '" + text + "' is not an integer class code");
    return std::stoll(text);
}

void read_vector_element(Section& s, ElementConfig& e, bool in_file);

void read_element(Config& cfg, Section& s)
{
    ElementConfig e;
    read_source(cfg, s, e);
    if (const toml::table* classes = s.table("classes")) {
        for (auto&& [k, v] : *classes) {
            const std::string code(k.str());
            if (!v.is_string())
                s.fail(&v, s.qualified("classes") + "." + code + " must be a type name (a string)");
            const std::string type = *v.value<std::string>();
            if (!is_identifier(type))
                s.fail(&v,
                       s.qualified("classes") + "." + code + " = '" + type +
                         "' must be lower-case letters, digits and '_'");
            e.classes.emplace_back(class_code(s, &v, code), type);
        }
        if (e.classes.empty())
            s.fail(s.node("classes"), s.qualified("classes") + " maps no class to a type");
        std::sort(e.classes.begin(), e.classes.end());
        e.resample = read_resample(s, true);
        refuse_vector_keys(s,
                           { "layer",
                             "where",
                             "type",
                             "type_field",
                             "types",
                             "width_m",
                             "width_field",
                             "max_patch_ha" });
        s.finish();
        cfg.elements.push_back(std::move(e));
        return;
    }
    read_vector_element(s, e, true);
    cfg.elements.push_back(std::move(e));
}

/// The keys of a vector element source; @p in_file: a [[elements]] section, where type_field
/// needs 'types' and 'classes' would make a raster source.
void read_vector_element(Section& s, ElementConfig& e, bool in_file)
{
    e.type = s.text("type").value_or("");
    e.type_field = s.text("type_field").value_or("");
    if (const toml::table* types = s.table("types")) {
        for (auto&& [k, v] : *types) {
            if (!v.is_string())
                s.fail(&v, s.qualified("types") + "." + std::string(k.str()) + " must be a string");
            e.types.emplace_back(std::string(k.str()), *v.value<std::string>());
        }
    }
    read_resample(s, false);
    if (auto w = s.number("width_m"))
        e.width_m = s.positive("width_m", *w);
    e.width_field = s.text("width_field").value_or("");
    if (auto m = s.number("max_patch_ha"))
        e.max_patch_ha = s.positive("max_patch_ha", *m);

    if (e.type.empty() == e.type_field.empty())
        s.fail(nullptr,
               s.name() + (in_file ? ": give either 'type' or 'type_field' with 'types' "
                                     "(or 'classes' for a raster source)"
                                   : ": give either 'type' or 'type_field'"));
    if (!e.type.empty())
        require_identifier(s, "type", e.type);
    if (in_file && !e.type_field.empty() && e.types.empty())
        s.fail(s.node("type_field"),
               s.name() + ": type_field needs a 'types' table mapping its "
                          "values to types");
    if (!e.type.empty() && !e.types.empty())
        s.fail(s.node("types"), s.name() + ": 'types' only goes with 'type_field'");
    for (const auto& [value, type] : e.types)
        if (!is_identifier(type))
            s.fail(s.node("types"),
                   s.qualified("types") + "." + value + " = '" + type +
                     "' must be lower-case letters, digits and '_'");
    s.finish();
}

void read_mask(Config& cfg, Section& s)
{
    MaskConfig m;
    read_source(cfg, s, m);
    m.name = s.text("name").value_or("");
    if (!m.name.empty())
        require_identifier(s, "name", m.name);
    if (const toml::array* classes = s.array("classes")) {
        for (const toml::node& n : *classes) {
            if (!n.is_integer())
                s.fail(
                  &n, s.qualified("classes") + " must list integer class codes, not " + kind_of(n));
            m.classes.push_back(*n.value<std::int64_t>());
        }
        if (m.classes.empty())
            s.fail(s.node("classes"), s.qualified("classes") + " lists no class");
        std::sort(m.classes.begin(), m.classes.end());
        m.classes.erase(std::unique(m.classes.begin(), m.classes.end()), m.classes.end());
        m.resample = read_resample(s, true);
        refuse_vector_keys(s, { "layer", "where" });
    } else {
        read_resample(s, false);
    }
    s.finish();
    cfg.masks.push_back(std::move(m));
}

int read_types(Config& cfg, Section& s)
{
    const toml::array* order = s.array("order");
    if (!order)
        s.fail(nullptr, "types.order is required in [types]");
    const int line = int(order->source().begin.line);
    std::set<std::string> seen;
    for (const toml::node& n : *order) {
        if (!n.is_string())
            s.fail(&n, "types.order must list type names (strings)");
        const std::string t = *n.value<std::string>();
        if (!seen.insert(t).second)
            s.fail(&n, "types.order lists type '" + t + "' more than once");
        cfg.type_order.push_back(t);
    }
    s.finish();
    return line;
}

/// [monitoring]: runs = ["folder", ...] (at least one), tolerance_m >= 0.
Config::MonitoringConfig read_monitoring(const Config& cfg, Section& s)
{
    Config::MonitoringConfig m;
    m.line = s.line();
    const toml::array* runs = s.array("runs");
    if (!runs || runs->empty())
        s.fail(runs, "monitoring.runs must list the output folders of one or more earlier runs");
    for (const toml::node& n : *runs) {
        if (!n.is_string() || n.value<std::string>()->empty())
            s.fail(&n, "monitoring.runs must list folders (non-empty strings)");
        const fs::path run = *n.value<std::string>();
        m.runs.push_back(run.is_absolute() ? run : cfg.dir / run);
    }
    if (auto t = s.number("tolerance_m")) {
        if (*t < 0)
            s.fail(s.node("tolerance_m"), "monitoring.tolerance_m must be >= 0 metres");
        m.tolerance_m = *t;
    }
    s.finish();
    return m;
}

/// The preset's @p parts as sources of @p key; parts whose layer the download lacks are left
/// out. Empty without a dataset.
std::vector<SourceConfig> preset_sources(const Config& cfg,
                                         const detail::DatasetReading* dataset,
                                         const std::vector<detail::PresetPart>& parts,
                                         const std::string& key)
{
    std::vector<SourceConfig> out;
    if (!dataset)
        return out;
    for (const detail::PresetPart& part : parts)
        if (!dataset->empty(part.layer))
            out.push_back(
              dataset->source(cfg, part.layer, part.where, key + " (" + part.layer + ")"));
    return out;
}

/// [[siting.along]] tables, else the dataset preset's banks and verges.
std::vector<Config::SitingConfig::AlongConfig> read_along(const Config& cfg,
                                                          Section& s,
                                                          const detail::DatasetReading* dataset)
{
    std::vector<Config::SitingConfig::AlongConfig> along;
    std::size_t i = 0;
    for (const toml::table* t : s.tables("along")) {
        Section as(cfg, *t, "siting.along[" + std::to_string(++i) + "]");
        Config::SitingConfig::AlongConfig a;
        read_source(cfg, as, a);
        a.kind = as.text("kind").value_or("");
        if (a.kind.empty() || a.kind == "parcel_edge")
            as.fail(as.node("kind"),
                    as.name() +
                      ".kind must name the kind of site (e.g. \"bank\", \"verge\"), "
                      "not \"" +
                      a.kind + "\"");
        as.finish();
        along.push_back(a);
    }
    if (i > 0 || !dataset)
        return along;
    for (const auto& [kind, parts] : { std::pair{ "bank", &dataset->preset.banks },
                                       std::pair{ "verge", &dataset->preset.verges } })
        for (const SourceConfig& src :
             preset_sources(cfg, dataset, *parts, std::string("siting ") + kind + "s")) {
            Config::SitingConfig::AlongConfig a;
            static_cast<SourceConfig&>(a) = src;
            a.kind = kind;
            along.push_back(a);
        }
    return along;
}

/// [siting.kind_types]: each key "parcel_edge" or a kind of [[siting.along]], each value a list
/// of type names (checked against the catalogue when the bid is set up).
std::map<std::string, std::vector<std::string>> read_kind_types(
  const Config& cfg,
  const toml::table& table,
  const std::vector<Config::SitingConfig::AlongConfig>& along)
{
    Section ks(cfg, table, "siting.kind_types");
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& [key, node] : table) {
        const std::string kind(key.str());
        if (kind != "parcel_edge" &&
            std::none_of(along.begin(), along.end(), [&](const auto& a) { return a.kind == kind; }))
            ks.fail(&node,
                    "siting.kind_types." + kind + ": no [[siting.along]] table (nor the " +
                      "dataset preset) has kind '" + kind + "'");
        const toml::array* types = ks.array(kind);
        std::vector<std::string>& list = out[kind];
        for (const toml::node& n : *types) {
            if (!n.is_string())
                ks.fail(&n, "siting.kind_types." + kind + " must be a list of type names");
            list.push_back(*n.value<std::string>());
        }
    }
    ks.finish();
    return out;
}

Config::SitingConfig read_siting(const Config& cfg,
                                 Section& s,
                                 const detail::DatasetReading* dataset)
{
    Config::SitingConfig siting;
    siting.line = s.line();
    if (auto gap = s.number("gap_m")) {
        if (!(*gap >= 0))
            s.fail(s.node("gap_m"), "siting.gap_m must be >= 0 metres");
        siting.gap_m = *gap;
    }
    if (auto dispersal = s.number("dispersal_m")) {
        if (!(*dispersal > 0))
            s.fail(s.node("dispersal_m"),
                   "siting.dispersal_m must be > 0 metres (the distance at which half of the "
                   "movements between two elements succeed)");
        siting.dispersal_m = *dispersal;
    }
    if (auto length = s.number("min_length_m")) {
        if (!(*length >= 0))
            s.fail(s.node("min_length_m"), "siting.min_length_m must be >= 0 metres");
        siting.min_length_m = *length;
    }
    if (auto rule = s.text("rule")) {
        if (*rule != "eca_per_euro" && *rule != "cost")
            s.fail(s.node("rule"),
                   "siting.rule must be \"eca_per_euro\" or \"cost\", not \"" + *rule + "\"");
        siting.rule = *rule;
    }
    if (auto along = s.number("along_m")) {
        if (!(*along >= 0))
            s.fail(s.node("along_m"), "siting.along_m must be >= 0 metres");
        siting.along_m = *along;
    }
    siting.along = read_along(cfg, s, dataset);
    // The listed kinds replace the defaults' (bank = [] sites the parcel edges' types there).
    if (const toml::table* kinds = s.table("kind_types"))
        for (auto& [kind, types] : read_kind_types(cfg, *kinds, siting.along))
            siting.kind_types[kind] = std::move(types);
    for (auto [key, list] : { std::pair{ "corner_types", &siting.corner_types },
                              std::pair{ "block_types", &siting.block_types } })
        if (const toml::array* types = s.array(key)) {
            list->clear();
            for (const toml::node& n : *types) {
                if (!n.is_string())
                    s.fail(&n, std::string("siting.") + key + " must be a list of type names");
                list->push_back(*n.value<std::string>());
            }
        }
    if (auto angle = s.number("corner_angle_deg")) {
        if (!(*angle > 0 && *angle < 180))
            s.fail(s.node("corner_angle_deg"),
                   "siting.corner_angle_deg must be above 0 and below 180 degrees");
        siting.corner_angle_deg = *angle;
    }
    if (auto m2 = s.number("corner_m2"))
        siting.corner_m2 = s.positive("corner_m2", *m2);
    if (const toml::table* t = s.table("exclude")) {
        Section es(cfg, *t, "siting.exclude");
        SourceConfig ex;
        read_source(cfg, es, ex);
        es.finish();
        siting.exclude.push_back(ex);
    }
    s.finish();
    return siting;
}

void read_targets(Config& cfg, Section& s)
{
    if (auto y = s.small_integer("baseline_year"))
        cfg.baseline_year = *y;
    if (auto scope = s.text("scope")) {
        if (*scope == "region")
            cfg.gap_scope = Config::GapScope::Region;
        else if (*scope != "area")
            s.fail(s.node("scope"),
                   "targets.scope must be \"area\" or \"region\", got \"" + *scope + "\"");
    }
    const auto milestones = s.tables("milestone");
    if (!milestones.empty())
        cfg.milestones.clear();
    std::size_t i = 0;
    for (const toml::table* t : milestones) {
        Section ms(cfg, *t, "targets.milestone[" + std::to_string(++i) + "]");
        const auto year = ms.small_integer("year");
        const auto share = ms.number("share");
        if (!year || !share)
            ms.fail(nullptr, ms.name() + " needs 'year' and 'share'");
        ms.finish();
        // Check this milestone against its predecessors, and point at the offending key.
        const bool share_ok = *share > 0.0 && *share <= 1.0 &&
                              (cfg.milestones.empty() || *share >= cfg.milestones.back().share);
        cfg.milestones.push_back({ int(*year), *share });
        try {
            analysis::validate_milestones(cfg.milestones, ms.name());
        } catch (const InvalidArgument& e) {
            ms.fail(ms.node(share_ok ? "year" : "share"), e.what());
        }
    }
    s.finish();
}

void read_bid(Config& cfg, Section& s, const detail::DatasetReading* dataset)
{
    if (auto costs = s.text("costs"))
        cfg.bid_costs = fs::path(*costs).is_absolute() ? fs::path(*costs) : cfg.dir / *costs;
    if (auto mixes = s.text("mixes"))
        cfg.bid_mixes = fs::path(*mixes).is_absolute() ? fs::path(*mixes) : cfg.dir / *mixes;
    if (const toml::table* regions = s.table("regions")) {
        Section rs(cfg, *regions, "bid.regions");
        Config::RegionsConfig r;
        read_source(cfg, rs, r);
        const auto field = rs.text("field");
        if (!field || field->empty())
            rs.fail(nullptr, "bid.regions.field is required (the attribute naming the region)");
        r.field = *field;
        rs.finish();
        cfg.bid_regions = r;
    }
    if (auto values = s.text("land_values"))
        cfg.bid_land_values =
          fs::path(*values).is_absolute() ? fs::path(*values) : cfg.dir / *values;
    if (const toml::table* land_use = s.table("land_use")) {
        Section ls(cfg, *land_use, "bid.land_use");
        Config::RegionsConfig r;
        read_source(cfg, ls, r);
        r.field = ls.text("field").value_or("category");
        if (r.field.empty())
            ls.fail(ls.node("field"), "bid.land_use.field must name the land-use attribute");
        ls.finish();
        cfg.bid_land_use = r;
    }
    if (const toml::table* potential = s.table("potential")) {
        Section ps(cfg, *potential, "bid.potential");
        Config::PotentialConfig p;
        if (ps.node("path") || !dataset || dataset->preset.parcels.empty()) {
            read_source(cfg, ps, p);
        } else {
            p.key = ps.name();
            p.line = ps.line();
            p.label = cfg.where(p.line) + ": " + ps.name();
            p.stand_in = preset_sources(cfg, dataset, dataset->preset.parcels, "bid.potential");
            for (const detail::PresetPart& part : dataset->preset.parcels)
                p.stand_in_note += (p.stand_in_note.empty() ? "" : "; ") + part.source;
        }
        if (auto c = ps.number("clearance_m")) {
            if (*c < 0)
                ps.fail(ps.node("clearance_m"), "bid.potential.clearance_m must be >= 0");
            p.clearance_m = *c;
        }
        if (const toml::array* types = ps.array("types")) {
            p.types.clear();
            for (const toml::node& n : *types) {
                if (!n.is_string())
                    ps.fail(&n, "bid.potential.types must be a list of type names");
                p.types.push_back(*n.value<std::string>());
            }
        }
        ps.finish();
        cfg.bid_potential = p;
    }
    if (const toml::table* offers = s.table("offers")) {
        Section os(cfg, *offers, "bid.offers");
        Config::OffersConfig o;
        read_source(cfg, os, o);
        for (auto [key, field] : { std::pair{ "participant_field", &o.participant },
                                   std::pair{ "area_id_field", &o.area_id },
                                   std::pair{ "type_field", &o.type },
                                   std::pair{ "quantity_field", &o.quantity },
                                   std::pair{ "year_field", &o.year },
                                   std::pair{ "funder_field", &o.funder },
                                   std::pair{ "conditions_field", &o.conditions } })
            if (auto v = os.text(key)) {
                if (v->empty())
                    os.fail(os.node(key),
                            std::string("bid.offers.") + key + " must name an attribute");
                *field = *v;
            }
        os.finish();
        cfg.bid_offers = o;
    }
    if (const toml::table* mix = s.table("mix")) {
        // [bid.mix] "Region" = { type = share, ... }: replaces that region's mix.
        for (auto&& [region, value] : *mix) {
            Config::MixOverride o;
            o.region = std::string(region.str());
            o.line = int(value.source().begin.line);
            const toml::table* shares = value.as_table();
            if (!shares || shares->empty())
                s.fail(&value,
                       "bid.mix.\"" + o.region +
                         "\" must be a table of type = share, e.g. "
                         "{ hedge = 0.5, pond = 0.5 }");
            double sum = 0.0;
            // toml++ keeps keys sorted; the mix's order (capacity overflow goes down it) is
            // the order written, so go by position.
            std::vector<std::pair<std::string, const toml::node*>> written;
            for (auto&& [type, share] : *shares)
                written.emplace_back(std::string(type.str()), &share);
            std::sort(written.begin(), written.end(), [](const auto& a, const auto& b) {
                const auto pa = a.second->source().begin, pb = b.second->source().begin;
                return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
            });
            for (const auto& [type_name, share_node] : written) {
                const toml::node& share = *share_node;
                const std::string type = type_name;
                const std::optional<double> v =
                  share.is_integer() ? std::optional<double>(double(*share.value<std::int64_t>()))
                                     : share.value<double>();
                if (!v || !(*v > 0.0) || *v > 1.0)
                    s.fail(&share,
                           "bid.mix.\"" + o.region + "\"." + type + " must be a share in (0, 1]");
                o.shares.emplace_back(type, *v);
                sum += *v;
            }
            if (std::abs(sum - 1.0) > 1e-9) {
                std::ostringstream msg;
                msg << "bid.mix.\"" << o.region << "\": the shares sum to " << sum << ", not 1";
                s.fail(&value, msg.str());
            }
            cfg.bid_mix.push_back(std::move(o));
        }
    }
    if (auto v = s.number("land_value_eur_per_ha")) {
        if (!(*v >= 0.0))
            s.fail(s.node("land_value_eur_per_ha"), "bid.land_value_eur_per_ha must be >= 0");
        cfg.land_value_eur_per_ha = *v;
    }
    if (const toml::table* values = s.table("land_value")) {
        // [bid.land_value] "Region" = euro per hectare
        for (auto&& [region, value] : *values) {
            const std::optional<double> v =
              value.is_integer() ? std::optional<double>(double(*value.value<std::int64_t>()))
                                 : value.value<double>();
            if (!v || !(*v >= 0.0) || !std::isfinite(*v))
                s.fail(&value,
                       "bid.land_value.\"" + std::string(region.str()) +
                         "\" must be euro per hectare >= 0");
            cfg.land_value_by_region[std::string(region.str())] = *v;
        }
    }
    if (auto n = s.small_integer("max_area_sheets")) // was int(double): UB past INT_MAX
        cfg.max_area_sheets = int(s.positive("max_area_sheets", double(*n)));
    s.finish();
}

/// Types in precedence order: [types].order when given (it must name each used type once),
/// else the order in which the [[elements]] sections first mention them.
/// Without [types], the order is the preset's (for its types) and then first appearance.
void resolve_types(Config& cfg, int types_line, const std::vector<std::string>& preset_order)
{
    std::vector<std::string> used;
    auto note = [&used](const std::string& t) {
        if (std::find(used.begin(), used.end(), t) == used.end())
            used.push_back(t);
    };
    for (const ElementConfig& e : cfg.elements) {
        if (!e.type.empty())
            note(e.type);
        for (const auto& kv : e.types)
            note(kv.second);
        for (const auto& kv : e.classes)
            note(kv.second);
    }
    if (types_line == 0) {
        for (const std::string& t : preset_order)
            if (std::find(used.begin(), used.end(), t) != used.end())
                cfg.type_order.push_back(t);
        for (const std::string& t : used)
            if (std::find(cfg.type_order.begin(), cfg.type_order.end(), t) == cfg.type_order.end())
                cfg.type_order.push_back(t);
        return;
    }
    for (const std::string& t : used)
        if (std::find(cfg.type_order.begin(), cfg.type_order.end(), t) == cfg.type_order.end())
            throw ConfigError(cfg.where(types_line) + ": types.order does not list type '" + t +
                              "' (every type exactly once)");
}

} // namespace

const char* to_string(AreasMethod m)
{
    switch (m) {
        case AreasMethod::Overlay:
            return "overlay";
        case AreasMethod::Catchments:
            return "catchments";
        case AreasMethod::Given:
            break;
    }
    return "given";
}

const char* to_string(RuralDefinition d)
{
    switch (d) {
        case RuralDefinition::Aanvalsplan:
            return "aanvalsplan";
        case RuralDefinition::Cobra:
            return "cobra";
        case RuralDefinition::Custom:
            break;
    }
    return "custom";
}

const char* to_string(Basins b)
{
    return b == Basins::Outlets ? "outlets" : "links";
}

const char* to_string(PageSize p)
{
    return p == PageSize::A3 ? "A3" : "A4";
}

std::string Config::where(int line) const
{
    return file.filename().string() + ":" + std::to_string(line);
}

std::vector<std::string> Config::mask_groups() const
{
    std::vector<std::string> names;
    for (const MaskConfig& m : masks)
        if (!m.name.empty() && std::find(names.begin(), names.end(), m.name) == names.end())
            names.push_back(m.name);
    return names;
}

std::vector<analysis::Milestone> default_milestones()
{
    return { { 2030, 0.05 }, { 2050, 0.10 } };
}

ElementConfig load_element_keys(std::string_view toml_text, const std::string& name)
{
    const Config none; // no file: messages carry no FILE:LINE
    toml::table root;
    try {
        root = toml::parse(toml_text, name);
    } catch (const toml::parse_error& e) {
        throw ConfigError(name + ": " + std::string(e.description()));
    }
    Section s(none, root, name);
    ElementConfig e;
    e.key = name;
    e.label = name;
    read_vector_element(s, e, false);
    return e;
}

Config load_config(const fs::path& file, ConfigUse use)
{
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        throw ConfigError(file.string() + ": config file not found");
    std::ifstream in(file, std::ios::binary);
    if (!in) // the words toml::parse_file used when it read the file itself
        throw ConfigError(file.filename().string() + ":0: TOML syntax error: File could not be "
                                                     "opened for reading");
    std::ostringstream text;
    text << in.rdbuf();
    return load_config_text(text.str(), file, use);
}

Config load_config_text(std::string_view toml_text, const fs::path& file, ConfigUse use)
{
    Config cfg;
    cfg.file = file;
    cfg.dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
    cfg.milestones = default_milestones();

    toml::table root;
    try {
        root = toml::parse(toml_text, file.string());
    } catch (const toml::parse_error& e) {
        throw ConfigError(cfg.where(int(e.source().begin.line)) +
                          ": TOML syntax error: " + std::string(e.description()));
    }

    Section top(cfg, root, "");
    if (const toml::table* t = top.table("run")) {
        Section s(cfg, *t, "run");
        read_run(cfg, s);
    }
    if (const toml::table* t = top.table("study_area")) {
        Section s(cfg, *t, "study_area");
        SourceConfig sa;
        read_source(cfg, s, sa);
        s.finish();
        cfg.study_area = sa;
    }
    const toml::table* areas = top.table("areas");
    if (!areas)
        throw ConfigError(file.filename().string() + ": the [areas] section is required");
    {
        Section s(cfg, *areas, "areas");
        read_areas(cfg, s);
    }
    std::size_t i = 0;
    for (const toml::table* t : top.tables("elements")) {
        Section s(cfg, *t, "elements[" + std::to_string(++i) + "]");
        read_element(cfg, s);
    }
    std::optional<detail::DatasetReading> dataset;
    if (const toml::table* t = top.table("dataset")) {
        Section s(cfg, *t, "dataset");
        dataset = detail::read_dataset(cfg, s);
    }
    if (const toml::table* rural = top.table("rural")) {
        Section rs(cfg, *rural, "rural");
        std::size_t m = 0;
        for (const toml::table* t : rs.tables("exclude")) {
            Section s(cfg, *t, "rural.exclude[" + std::to_string(++m) + "]");
            read_mask(cfg, s);
        }
        detail::read_rural_definition(cfg, &rs, dataset ? &*dataset : nullptr);
        rs.finish();
    } else {
        detail::read_rural_definition(cfg, nullptr, dataset ? &*dataset : nullptr);
    }
    if (cfg.elements.empty() && use == ConfigUse::Run)
        throw ConfigError(file.filename().string() + ": at least one [[elements]] section (or a "
                                                     "[dataset] preset) is required");
    int types_line = 0;
    if (const toml::table* t = top.table("types")) {
        Section s(cfg, *t, "types");
        types_line = read_types(cfg, s); // errors about the order point at its key
    }
    resolve_types(
      cfg, types_line, dataset ? dataset->preset.type_order : std::vector<std::string>{});
    if (const toml::table* t = top.table("targets")) {
        Section s(cfg, *t, "targets");
        read_targets(cfg, s);
    }
    if (const toml::table* t = top.table("monitoring")) {
        Section s(cfg, *t, "monitoring");
        cfg.monitoring = read_monitoring(cfg, s);
    }
    if (const toml::table* t = top.table("siting")) {
        Section s(cfg, *t, "siting");
        cfg.siting = read_siting(cfg, s, dataset ? &*dataset : nullptr);
    }
    if (const toml::table* t = top.table("render")) {
        Section s(cfg, *t, "render");
        if (const toml::node* n = s.node("maps")) {
            if (!n->is_boolean())
                s.fail(n, "render.maps must be true or false, not " + std::string(kind_of(*n)));
            cfg.maps = *n->value<bool>();
        }
        if (auto n = s.small_integer("max_area_maps")) {
            if (*n < 0)
                s.fail(s.node("max_area_maps"),
                       "render.max_area_maps must be >= 0, got " + std::to_string(*n));
            cfg.max_area_maps = int(*n);
        }
        if (auto language = s.text("language")) {
            if (*language != "en" && *language != "nl")
                s.fail(s.node("language"),
                       "render.language must be \"nl\" or \"en\", not \"" + *language + "\"");
            cfg.language = *language;
        }
        if (auto page = s.text("overview_page")) {
            if (*page != "A4" && *page != "A3")
                s.fail(s.node("overview_page"),
                       "render.overview_page must be \"A4\" or \"A3\", not \"" + *page + "\"");
            cfg.overview_page = *page == "A3" ? PageSize::A3 : PageSize::A4;
        }
        if (auto d = s.number("dpi")) {
            if (*d < 72 || *d > 600)
                s.fail(s.node("dpi"), "render.dpi must be between 72 and 600");
            cfg.map_dpi = *d;
        }
        s.finish();
    }
    if (const toml::table* t = top.table("bid")) {
        Section s(cfg, *t, "bid");
        read_bid(cfg, s, dataset ? &*dataset : nullptr);
    }
    top.finish();
    return cfg;
}

} // namespace landel::pipeline
