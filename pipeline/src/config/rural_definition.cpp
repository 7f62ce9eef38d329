#include "config/rural_definition.h"

namespace landel::pipeline::detail {

namespace {

RuralDefinition parse_definition(Section& s, const std::string& text)
{
    if (text == "aanvalsplan")
        return RuralDefinition::Aanvalsplan;
    if (text == "cobra")
        return RuralDefinition::Cobra;
    if (text == "custom")
        return RuralDefinition::Custom;
    s.fail(s.node("definition"),
           "rural.definition must be \"aanvalsplan\", \"cobra\" or \"custom\", not \"" + text +
             "\"");
}

std::optional<SourceConfig> named_layer(const Config& cfg, Section& rural, const std::string& key)
{
    const toml::table* t = rural.table(key);
    if (!t)
        return std::nullopt;
    Section s(cfg, *t, "rural." + key);
    SourceConfig src;
    read_source(cfg, s, src);
    s.finish();
    return src;
}

MaskConfig mask_of(const SourceConfig& src, const std::string& name)
{
    MaskConfig m;
    static_cast<SourceConfig&>(m) = src;
    m.name = name;
    return m;
}

/// The preset's parts named @p what as masks called @p name.
void add_parts(Config& cfg,
               const DatasetReading& d,
               const std::vector<PresetPart>& parts,
               const std::string& name,
               const std::string& what)
{
    std::string sources;
    for (const PresetPart& part : parts) {
        if (d.empty(part.layer))
            continue;
        cfg.masks.push_back(mask_of(
          d.source(cfg, part.layer, part.where, "rural " + name + " (" + part.layer + ")"), name));
        sources += (sources.empty() ? "" : "; ") + part.source;
    }
    cfg.rural.parts.push_back(what + ": " + sources + " (excl_" + name + "_ha)");
}

void add_built_up(Config& cfg, const DatasetReading* d, const std::string& where)
{
    if (cfg.rural.built_up) {
        cfg.masks.push_back(mask_of(*cfg.rural.built_up, "built_up"));
        cfg.rural.parts.push_back("built-up area: '" + cfg.rural.built_up->path.string() +
                                  "' (rural.built_up; excl_built_up_ha)");
        return;
    }
    if (!d || d->preset.built_up.empty())
        throw ConfigError(where + ": rural.definition = \"" + to_string(cfg.rural.definition) +
                          "\" needs [rural.built_up] (a built-up zone layer) when no [dataset] "
                          "preset can stand in for it");
    add_parts(cfg, *d, d->preset.built_up, "built_up", "built-up area, approximate");
    cfg.rural.approximate = true;
    cfg.rural.warnings.push_back(
      "rural land: no built-up zone given ([rural.built_up]); " + d->preset.name +
      " buildings and yards stand in for it, so the denominator is approximate");
}

void add_large_woods(Config& cfg, const DatasetReading& d, const std::string& where)
{
    const PresetElementRow* row = nullptr;
    for (const PresetElementRow& r : d.preset.elements)
        if (r.id == d.preset.large_woods_element)
            row = &r;
    if (!row || !row->max_patch_ha.given())
        throw ConfigError(where + ": preset '" + d.preset.name +
                          "' names no element row with a size rule for the woods of cobra");
    if (d.empty(row->layer))
        return;
    MaskConfig m =
      mask_of(d.source(cfg, row->layer, row->where, "rural large_woods"), "large_woods");
    m.min_patch_ha = d.number(row->max_patch_ha);
    cfg.masks.push_back(m);
    std::ostringstream what;
    what << "woods above " << *m.min_patch_ha << " ha: " << d.preset.large_woods_source
         << " (excl_large_woods_ha)";
    cfg.rural.parts.push_back(what.str());
}

void describe(RuralConfig& r, bool masks)
{
    switch (r.definition) {
        case RuralDefinition::Aanvalsplan:
            r.excluded = "excluding built-up area and NNN";
            break;
        case RuralDefinition::Cobra:
            r.excluded = "excluding built-up area, NNN, water and forest";
            break;
        case RuralDefinition::Custom:
            r.excluded = masks ? "excluding the configured masks" : "";
            break;
    }
    r.label = r.excluded.empty() ? "share of the whole area (no land excluded)"
                                 : "share of rural land, " + r.excluded;
    if (r.approximate)
        r.label += " (approximate)";
}

} // namespace

void read_rural_definition(Config& cfg, Section* rural, const DatasetReading* dataset)
{
    RuralConfig& r = cfg.rural;
    r.definition = dataset ? RuralDefinition::Aanvalsplan : RuralDefinition::Custom;
    const std::string where = cfg.where(rural ? rural->line() : 0) + ": rural";
    if (rural) {
        r.line = rural->line();
        if (auto d = rural->text("definition"))
            r.definition = parse_definition(*rural, *d);
        if (auto roads = rural->text("roads")) {
            if (*roads != "built" && *roads != "rural")
                rural->fail(rural->node("roads"),
                            "rural.roads must be \"built\" or \"rural\", not \"" + *roads + "\"");
            r.roads_excluded = *roads == "built";
        }
        r.built_up = named_layer(cfg, *rural, "built_up");
        r.nnn = named_layer(cfg, *rural, "nnn");
    }
    const bool custom = r.definition == RuralDefinition::Custom;
    if (custom && (r.built_up || r.nnn))
        throw ConfigError(where + ": [rural.built_up] and [rural.nnn] belong to the "
                                  "\"aanvalsplan\" and \"cobra\" definitions; with \"custom\" use "
                                  "[[rural.exclude]]");
    for (const MaskConfig& m : cfg.masks)
        r.parts.push_back((m.name.empty() ? "mask" : m.name) + ": '" + m.path.string() + "' (" +
                          m.key + ")");
    if (!custom) {
        add_built_up(cfg, dataset, where);
        if (r.nnn) {
            cfg.masks.push_back(mask_of(*r.nnn, "nnn"));
            r.parts.push_back("NNN: '" + r.nnn->path.string() + "' (rural.nnn; excl_nnn_ha)");
        } else {
            r.warnings.push_back("rural land: NNN is not excluded (no [rural.nnn] layer given); "
                                 "the Aanvalsplan's denominator leaves the Natuurnetwerk out");
        }
        if (dataset && r.roads_excluded && !dataset->preset.roads.empty())
            add_parts(cfg, *dataset, dataset->preset.roads, "roads", "road and rail surfaces");
    }
    if (r.definition == RuralDefinition::Cobra) {
        if (!dataset || dataset->preset.water.empty())
            throw ConfigError(where + ": rural.definition = \"cobra\" needs a [dataset] preset "
                                      "that gives water and woods");
        add_parts(cfg, *dataset, dataset->preset.water, "water", "water");
        add_large_woods(cfg, *dataset, where);
    }
    if (cfg.masks.empty())
        r.warnings.push_back("rural land: no mask is given, so the whole area counts as rural "
                             "land (name a definition in [rural] or add [[rural.exclude]])");
    describe(r, !cfg.masks.empty());
}

} // namespace landel::pipeline::detail
