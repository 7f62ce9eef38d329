#include "stages/comparison_overview.h"

#include "landel/core/error.h"
#include "stages/change_tables.h"

#include <filesystem>

namespace landel::pipeline::detail {

namespace {

Column real(const std::string& name, const std::string& alias)
{
    return { name, ColumnKind::Real, 6, alias };
}

Column text(const char* name, const char* alias)
{
    return { name, ColumnKind::Text, 0, alias };
}

Cell optional(const std::optional<double>& v)
{
    return v ? Cell(*v) : Cell();
}

/// One area's change from the baseline to the last year, summed over the types.
struct AreaSum
{
    double gained = 0, lost = 0, net = 0, reclassified = 0, masked = 0, realigned = 0;
};

AreaSum area_sum(const Comparison& c, const analysis::AreaChange& a)
{
    AreaSum s;
    for (std::size_t t = 0; t < a.types.size(); ++t) {
        const analysis::TypeChange& tc = a.types[t];
        s.net += tc.net_ha;
        if (c.raster[t])
            continue; // no geometry: only before, after and net
        s.gained += tc.gained_ha;
        s.lost += tc.lost_ha;
        s.masked += tc.masked_ha;
        s.realigned += tc.realigned_ha;
    }
    for (const analysis::Reclassification& r : a.reclassified)
        s.reclassified += r.ha;
    return s;
}

} // namespace

const PairChange& baseline_to_last(const Comparison& c)
{
    for (const PairChange& p : c.pairs)
        if (p.from == c.baseline && p.to + 1 == c.runs.size())
            return p;
    throw Error("internal: the comparison has no pair baseline -> last");
}

Table area_overview_table(const Comparison& c)
{
    Table t;
    t.columns = { text("area_id", "Area id"), text("area_name", "Area name") };
    for (const RunFolder& run : c.runs) {
        const std::string y = std::to_string(run.year);
        t.columns.push_back(real("share_" + y + "_pct", "Share of rural land " + y + " (%)"));
    }
    const PairChange& whole = baseline_to_last(c);
    const std::string years =
      std::to_string(c.runs[whole.from].year) + "-" + std::to_string(c.runs[whole.to].year);
    const std::pair<const char*, const char*> figures[] = {
        { "gained", "Gained" },  { "lost", "Lost" },
        { "net", "Net change" }, { "reclassified", "Reclassified" },
        { "masked", "Masked" },  { "realigned", "Realigned" }
    };
    for (const auto& [name, words] : figures)
        t.columns.push_back(
          real(std::string(name) + "_ha", std::string(words) + " " + years + " (ha)"));
    for (const RunFolder& run : c.runs) {
        const std::string y = std::to_string(run.year);
        t.columns.push_back(real("rural_" + y + "_ha", "Rural land " + y + " (ha)"));
        t.columns.push_back(real("element_" + y + "_ha", "Elements " + y + " (ha)"));
    }
    bool any_vector = false;
    for (bool raster : c.raster)
        any_vector = any_vector || !raster;
    const auto vector_only = [any_vector](double v) { return any_vector ? Cell(v) : Cell(); };
    for (std::size_t k = 0; k < c.area_count(); ++k) {
        const analysis::AreaMeasure& last = c.area(c.runs.size() - 1, k);
        std::vector<Cell> row{ last.id, last.name };
        for (std::size_t r = 0; r < c.runs.size(); ++r)
            row.push_back(optional(share_of(c.area(r, k).element_ha, c.area(r, k).rural_ha)));
        const AreaSum s = area_sum(c, whole.areas[k]);
        row.insert(row.end(),
                   { vector_only(s.gained),
                     vector_only(s.lost),
                     s.net,
                     vector_only(s.reclassified),
                     vector_only(s.masked),
                     vector_only(s.realigned) });
        for (std::size_t r = 0; r < c.runs.size(); ++r) {
            row.emplace_back(c.area(r, k).rural_ha);
            row.emplace_back(c.area(r, k).element_ha);
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

Table runs_table(const Comparison& c)
{
    Table t;
    t.columns = { text("folder", "Run folder"),
                  { "year", ColumnKind::Integer, 0, "Measurement year" },
                  text("as_of", "Registry state (dataset as_of)"),
                  text("landel_version", "landel version of the run"),
                  text("incomplete_registry", "Registry incomplete on as_of"),
                  text("baseline", "Baseline"),
                  { "areas", ColumnKind::Integer, 0, "Areas" },
                  real("rural_ha", "Rural land (ha)"),
                  real("element_ha", "Elements (ha)"),
                  real("share_pct", "Share of rural land (%)") };
    for (std::size_t r = 0; r < c.runs.size(); ++r) {
        const RunFolder& run = c.runs[r];
        double rural = 0.0, element = 0.0;
        for (const analysis::AreaMeasure& a : run.areas) {
            rural += a.rural_ha;
            element += a.element_ha;
        }
        t.rows.push_back({ std::filesystem::absolute(run.folder).lexically_normal().string(),
                           std::int64_t(run.year),
                           run.as_of ? Cell(*run.as_of) : Cell(),
                           run.landel_version,
                           std::string(run.incomplete_registry ? "yes" : "no"),
                           std::string(r == c.baseline ? "yes" : "no"),
                           std::int64_t(run.areas.size()),
                           rural,
                           element,
                           optional(share_of(element, rural)) });
    }
    return t;
}

} // namespace landel::pipeline::detail
