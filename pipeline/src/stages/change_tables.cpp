#include "stages/change_tables.h"

#include "landel/analysis/measurement/targets.h"

namespace landel::pipeline::detail {

namespace {

Column text(const char* name, const char* alias)
{
    return { name, ColumnKind::Text, 0, alias };
}

Column year(const char* name, const char* alias)
{
    return { name, ColumnKind::Integer, 0, alias };
}

Column real(const char* name, const char* alias)
{
    return { name, ColumnKind::Real, 6, alias };
}

Cell optional(const std::optional<double>& v)
{
    return v ? Cell(*v) : Cell();
}

/// The first cells of every row of a pair and area: area_id, (area_name,) from_year, to_year.
std::vector<Cell> head(const Comparison& c, const PairChange& p, std::size_t k, bool with_name)
{
    const analysis::AreaMeasure& last = c.area(c.runs.size() - 1, k);
    std::vector<Cell> row{ last.id };
    if (with_name)
        row.emplace_back(last.name);
    row.emplace_back(std::int64_t(c.runs[p.from].year));
    row.emplace_back(std::int64_t(c.runs[p.to].year));
    return row;
}

/// The row of one type in one area and pair.
std::vector<Cell> type_row(const Comparison& c, const PairChange& p, std::size_t k, std::size_t t)
{
    const analysis::TypeChange& tc = p.areas[k].types[t];
    const double from_rural = c.area(p.from, k).rural_ha, to_rural = c.area(p.to, k).rural_ha;
    const bool raster = c.raster[t];
    const auto vector_only = [raster](double v) { return raster ? Cell() : Cell(v); };
    std::vector<Cell> row = head(c, p, k, true);
    row.insert(row.end(),
               { c.types()[t],
                 tc.before_ha,
                 tc.after_ha,
                 vector_only(tc.gained_ha),
                 vector_only(tc.lost_ha),
                 tc.net_ha,
                 vector_only(tc.masked_ha),
                 vector_only(tc.realigned_ha),
                 Cell(),
                 from_rural,
                 to_rural,
                 optional(share_of(tc.before_ha, from_rural)),
                 optional(share_of(tc.after_ha, to_rural)) });
    return row;
}

/// The row of one reclassification in one area and pair.
std::vector<Cell> reclassified_row(const Comparison& c,
                                   const PairChange& p,
                                   std::size_t k,
                                   const analysis::Reclassification& r)
{
    std::vector<Cell> row = head(c, p, k, true);
    row.emplace_back(c.types()[r.from] + "->" + c.types()[r.to]);
    row.insert(row.end(), 7, Cell());
    row.emplace_back(r.ha);
    row.insert(row.end(), 4, Cell());
    return row;
}

} // namespace

std::optional<double> share_of(double ha, double rural_ha)
{
    if (rural_ha < analysis::gap_epsilon_ha)
        return std::nullopt;
    return 100.0 * ha / rural_ha;
}

Table change_table(const Comparison& c)
{
    Table t;
    t.columns = { text("area_id", "Area id"),
                  text("area_name", "Area name"),
                  year("from_year", "From year"),
                  year("to_year", "To year"),
                  text("type", "Element type, or <from>-><to> for a reclassification"),
                  real("before_ha", "Owned in the from year (ha)"),
                  real("after_ha", "Owned in the to year (ha)"),
                  real("gained_ha", "New element land (ha)"),
                  real("lost_ha", "Element land no longer element land, still rural land (ha)"),
                  real("net_ha", "after_ha - before_ha (ha)"),
                  real("masked_ha", "Element land the to year's masks took out of rural land (ha)"),
                  real("realigned_ha", "Differences taken for redigitising noise (ha)"),
                  real("reclassified_ha", "Element land that changed type (ha)"),
                  real("from_rural_ha", "Rural land in the from year (ha)"),
                  real("to_rural_ha", "Rural land in the to year (ha)"),
                  real("before_share_pct", "Share of the from year's rural land (%)"),
                  real("after_share_pct", "Share of the to year's rural land (%)") };
    for (const PairChange& p : c.pairs)
        for (std::size_t k = 0; k < c.area_count(); ++k) {
            for (std::size_t type = 0; type < c.types().size(); ++type)
                t.rows.push_back(type_row(c, p, k, type));
            for (const analysis::Reclassification& r : p.areas[k].reclassified)
                t.rows.push_back(reclassified_row(c, p, k, r));
        }
    return t;
}

Table change_layer(Comparison& c, ChangeLayer which)
{
    Table t;
    t.columns = { text("area_id", "Area id"),
                  year("from_year", "From year"),
                  year("to_year", "To year"),
                  text("type", "Element type"),
                  real("ha", "Hectares") };
    for (PairChange& p : c.pairs)
        for (std::size_t k = 0; k < c.area_count(); ++k)
            for (std::size_t type = 0; type < c.types().size(); ++type) {
                analysis::TypeChange& tc = p.areas[k].types[type];
                std::string& wkb = which == ChangeLayer::Gained ? tc.gained_wkb
                                   : which == ChangeLayer::Lost ? tc.lost_wkb
                                                                : tc.realigned_wkb;
                const double hectares = which == ChangeLayer::Gained ? tc.gained_ha
                                        : which == ChangeLayer::Lost ? tc.lost_ha
                                                                     : tc.realigned_ha;
                if (wkb.empty() || c.raster[type])
                    continue;
                std::vector<Cell> row = head(c, p, k, false);
                row.insert(row.end(), { c.types()[type], hectares });
                t.rows.push_back(std::move(row));
                t.geometry_wkb.push_back(std::move(wkb));
            }
    return t;
}

Table reclassified_layer(Comparison& c)
{
    Table t;
    t.columns = { text("area_id", "Area id"),
                  year("from_year", "From year"),
                  year("to_year", "To year"),
                  text("from_type", "Type in the from year"),
                  text("to_type", "Type in the to year"),
                  real("ha", "Hectares") };
    for (PairChange& p : c.pairs)
        for (std::size_t k = 0; k < c.area_count(); ++k)
            for (analysis::Reclassification& r : p.areas[k].reclassified) {
                if (r.wkb.empty())
                    continue;
                std::vector<Cell> row = head(c, p, k, false);
                row.insert(row.end(), { c.types()[r.from], c.types()[r.to], r.ha });
                t.rows.push_back(std::move(row));
                t.geometry_wkb.push_back(std::move(r.wkb));
            }
    return t;
}

} // namespace landel::pipeline::detail
