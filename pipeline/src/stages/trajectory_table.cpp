#include "stages/trajectory_table.h"

#include "stages/change_tables.h"

namespace landel::pipeline::detail {

namespace {

Column real(const char* name, const char* alias, int decimals = 6)
{
    return { name, ColumnKind::Real, decimals, alias };
}

Cell optional(const std::optional<double>& v)
{
    return v ? Cell(*v) : Cell();
}

} // namespace

std::vector<AreaTrajectory> area_trajectories(const Comparison& c)
{
    const std::size_t last = c.runs.size() - 1;
    std::vector<AreaTrajectory> out;
    for (std::size_t k = 0; k < c.area_count(); ++k) {
        const analysis::AreaMeasure& base = c.area(c.baseline, k);
        const analysis::AreaMeasure& now = c.area(last, k);
        const bool rural = share_of(0.0, base.rural_ha) && share_of(0.0, now.rural_ha);
        for (const analysis::Milestone& m : c.runs[last].milestones) {
            if (m.year <= c.runs[c.baseline].year)
                continue; // no path to a milestone at or before the baseline
            AreaTrajectory t{ k, m, std::nullopt };
            if (rural)
                t.path = analysis::trajectory({ c.runs[c.baseline].year,
                                                base.element_ha,
                                                base.rural_ha,
                                                c.runs[last].year,
                                                now.element_ha,
                                                now.rural_ha,
                                                m });
            out.push_back(t);
        }
    }
    return out;
}

std::string status_of(const AreaTrajectory& t)
{
    return t.path ? analysis::to_string(t.path->status) : "no_rural_land";
}

Table trajectory_table(const Comparison& c, const std::vector<AreaTrajectory>& paths)
{
    Table t;
    t.columns = { { "area_id", ColumnKind::Text, 0, "Area id" },
                  { "area_name", ColumnKind::Text, 0, "Area name" },
                  { "milestone_year", ColumnKind::Integer, 0, "Milestone year" },
                  real("target_pct", "Milestone share of rural land (%)"),
                  { "base_year", ColumnKind::Integer, 0, "Baseline year" },
                  { "last_year", ColumnKind::Integer, 0, "Last year" },
                  real("base_rural_ha", "Rural land in the baseline year (ha)"),
                  real("last_rural_ha", "Rural land in the last year (ha)"),
                  real("base_element_ha", "Elements in the baseline year (ha)"),
                  real("last_element_ha", "Elements in the last year (ha)"),
                  real("base_share_pct", "Share in the baseline year (%)"),
                  real("last_share_pct", "Share in the last year (%)"),
                  real("needed_ha", "Increment the milestone needs from the baseline (ha)"),
                  real("realised_ha", "Increment realised by the last year (ha)"),
                  real("realised_pct", "Part of the needed increment realised (%)"),
                  real("rate_achieved_pp", "Share change per year achieved (points)"),
                  real("rate_needed_pp", "Share change per year needed (points)"),
                  real("path_share_pct", "Share on the straight path in the last year (%)"),
                  { "status", ColumnKind::Text, 0, "met, on_track, behind or no_rural_land" },
                  real("year_reached", "Year the milestone is reached at the achieved rate", 2) };
    const std::size_t last = c.runs.size() - 1;
    for (const AreaTrajectory& p : paths) {
        const analysis::AreaMeasure& base = c.area(c.baseline, p.area);
        const analysis::AreaMeasure& now = c.area(last, p.area);
        std::vector<Cell> row{ now.id,
                               now.name,
                               std::int64_t(p.milestone.year),
                               100.0 * p.milestone.share,
                               std::int64_t(c.runs[c.baseline].year),
                               std::int64_t(c.runs[last].year),
                               base.rural_ha,
                               now.rural_ha,
                               base.element_ha,
                               now.element_ha,
                               optional(share_of(base.element_ha, base.rural_ha)),
                               optional(share_of(now.element_ha, now.rural_ha)) };
        if (p.path) {
            const analysis::Trajectory& a = *p.path;
            row.insert(row.end(),
                       { a.needed_ha,
                         a.realised_ha,
                         optional(a.realised_pct),
                         a.rate_achieved,
                         a.rate_needed,
                         a.path_share_pct });
        } else {
            row.insert(row.end(), 6, Cell());
        }
        row.emplace_back(status_of(p));
        row.push_back(p.path ? optional(p.path->year_reached) : Cell());
        t.rows.push_back(std::move(row));
    }
    return t;
}

} // namespace landel::pipeline::detail
