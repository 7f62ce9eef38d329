#include "stages/change_report.h"

#include "landel/core/error.h"
#include "landel/core/text.h"
#include "landel/pipeline/version.h"
#include "stages/change_tables.h"
#include "stages/comparison_overview.h"

#include <ctime>
#include <fstream>

namespace landel::pipeline::detail {

namespace fs = std::filesystem;

namespace {

std::string text_of(const Cell& cell, int decimals)
{
    if (const auto* s = std::get_if<std::string>(&cell))
        return *s;
    if (const auto* d = std::get_if<double>(&cell))
        return fixed_decimals(*d, decimals);
    if (const auto* i = std::get_if<std::int64_t>(&cell))
        return std::to_string(*i);
    return "";
}

std::string today()
{
    const std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d", std::localtime(&now));
    return text;
}

/// "2020, 2022 and 2024".
std::string year_list(const std::vector<int>& years)
{
    std::string out;
    for (std::size_t k = 0; k < years.size(); ++k)
        out += (k == 0 ? "" : k + 1 == years.size() ? " and " : ", ") + std::to_string(years[k]);
    return out;
}

std::vector<int> run_years(const Comparison& c)
{
    std::vector<int> years;
    for (const RunFolder& run : c.runs)
        years.push_back(run.year);
    return years;
}

/// The milestones that have a path: those after the baseline year (area_trajectories).
std::vector<analysis::Milestone> path_milestones(const Comparison& c)
{
    std::vector<analysis::Milestone> out;
    for (const analysis::Milestone& m : c.runs.back().milestones)
        if (m.year > c.runs[c.baseline].year)
            out.push_back(m);
    return out;
}

/// Elements and rural land of all areas together in run @p r.
std::pair<double, double> run_sums(const Comparison& c, std::size_t r)
{
    double element = 0.0, rural = 0.0;
    for (std::size_t k = 0; k < c.area_count(); ++k) {
        element += c.area(r, k).element_ha;
        rural += c.area(r, k).rural_ha;
    }
    return { element, rural };
}

std::vector<std::pair<std::string, std::string>> summary_cards(
  const Comparison& c,
  const std::vector<AreaTrajectory>& paths)
{
    std::vector<std::pair<std::string, std::string>> cards{
        { "years", year_list(run_years(c)) },
        { "baseline", std::to_string(c.runs[c.baseline].year) },
        { "areas", std::to_string(c.area_count()) }
    };
    for (std::size_t r = 0; r < c.runs.size(); ++r) {
        const auto [element, rural] = run_sums(c, r);
        const std::optional<double> share = share_of(element, rural);
        cards.push_back(
          { "elements " + std::to_string(c.runs[r].year) + " (share of rural land)",
            fixed_decimals(element, 2) + " ha · " +
              (share ? fixed_decimals(*share, 2) + " %" : std::string("no rural land")) });
    }
    const Table overview = area_overview_table(c);
    const PairChange& whole = baseline_to_last(c);
    const std::string span =
      std::to_string(c.runs[whole.from].year) + " → " + std::to_string(c.runs[whole.to].year);
    for (const char* figure : { "gained", "lost", "net", "realigned" }) {
        const std::size_t col = overview.column_index(std::string(figure) + "_ha");
        double sum = 0.0;
        for (const auto& row : overview.rows)
            if (const auto* v = std::get_if<double>(&row[col]))
                sum += *v;
        const std::string label =
          figure == std::string("realigned")
            ? "realigned " + span + " (tolerance " + fixed_decimals(c.tolerance_m, 2) + " m)"
            : std::string(figure) + " " + span;
        cards.push_back({ label, fixed_decimals(sum, 2) + " ha" });
    }
    for (const analysis::Milestone& m : path_milestones(c)) {
        int met = 0, on_track = 0, behind = 0, none = 0;
        for (const AreaTrajectory& t : paths)
            if (t.milestone.year == m.year) {
                const std::string s = status_of(t);
                (s == "met" ? met : s == "on_track" ? on_track : s == "behind" ? behind : none)++;
            }
        cards.push_back({ "areas on the path to " + std::to_string(m.year) + " (" +
                            fixed_decimals(100.0 * m.share, 1) + " %)",
                          std::to_string(met) + " met · " + std::to_string(on_track) +
                            " on track · " + std::to_string(behind) + " behind" +
                            (none ? " · " + std::to_string(none) + " no rural land" : "") });
    }
    return cards;
}

/// What a reader must know about the runs: a BGT run's history is the registry's.
std::vector<std::string> registry_cautions(const Comparison& c)
{
    std::vector<std::string> out;
    std::vector<std::string> dated;
    for (const RunFolder& run : c.runs)
        if (run.as_of)
            dated.push_back(std::to_string(run.year) + " (as of " + *run.as_of + ")");
    if (!dated.empty()) {
        std::string which;
        for (std::size_t k = 0; k < dated.size(); ++k)
            which += (k ? ", " : "") + dated[k];
        out.push_back("Runs of a registry's state on a date (dataset as_of): " + which +
                      ". The BGT history shows the registry (when objects were captured or "
                      "re-measured), not the landscape: a change between such years can be a "
                      "capture or a re-measurement rather than a change on the ground.");
    }
    for (const RunFolder& run : c.runs)
        if (run.incomplete_registry)
            out.push_back("Flagged: run " + std::to_string(run.year) + " ('" + run.folder.string() +
                          "'): its dataset preset warned that the registry "
                          "was incomplete on " +
                          run.as_of.value_or("its date") +
                          " (its surfaces cover less than the minimum share of an area); its "
                          "figures show the registry's capture, not only the landscape.");
    return out;
}

render::ShareChart area_chart(const Comparison& c,
                              const std::vector<AreaTrajectory>& paths,
                              std::size_t k)
{
    const analysis::AreaMeasure& last = c.area(c.runs.size() - 1, k);
    render::ShareChart chart;
    chart.title = last.id + (last.name.empty() ? "" : " " + last.name);
    chart.years = run_years(c);
    for (std::size_t r = 0; r < c.runs.size(); ++r)
        if (const auto s = share_of(c.area(r, k).element_ha, c.area(r, k).rural_ha))
            chart.shares.push_back({ c.runs[r].year, *s });
    const analysis::AreaMeasure& base = c.area(c.baseline, k);
    if (const auto s = share_of(base.element_ha, base.rural_ha))
        chart.base = render::ChartPoint{ c.runs[c.baseline].year, *s };
    for (const AreaTrajectory& t : paths)
        if (t.area == k)
            chart.targets.push_back({ t.milestone.year,
                                      100.0 * t.milestone.share,
                                      t.path ? analysis::to_string(t.path->status) : "" });
    if (!chart.base) // no path without rural land in the baseline year
        for (render::ChartTarget& t : chart.targets)
            t.status.clear();
    return chart;
}

/// All areas together: shares as ratios of the sums, the paths by the engine on the sums.
render::ShareChart total_chart(const Comparison& c)
{
    render::ShareChart chart;
    chart.title = "All areas together";
    chart.years = run_years(c);
    for (std::size_t r = 0; r < c.runs.size(); ++r) {
        const auto [element, rural] = run_sums(c, r);
        if (const auto s = share_of(element, rural))
            chart.shares.push_back({ c.runs[r].year, *s });
    }
    const auto [base_element, base_rural] = run_sums(c, c.baseline);
    const auto [last_element, last_rural] = run_sums(c, c.runs.size() - 1);
    const bool rural = share_of(0.0, base_rural) && share_of(0.0, last_rural);
    if (const auto s = share_of(base_element, base_rural))
        chart.base = render::ChartPoint{ c.runs[c.baseline].year, *s };
    for (const analysis::Milestone& m : path_milestones(c)) {
        std::string status;
        if (rural)
            status = analysis::to_string(analysis::trajectory({ c.runs[c.baseline].year,
                                                                base_element,
                                                                base_rural,
                                                                c.runs.back().year,
                                                                last_element,
                                                                last_rural,
                                                                m })
                                           .status);
        chart.targets.push_back({ m.year, 100.0 * m.share, status });
    }
    return chart;
}

/// The areas' table: id, name, shares per year, change baseline → last, per milestone the
/// status and the year it is reached.
render::ReportTable areas_table(const Comparison& c, const std::vector<AreaTrajectory>& paths)
{
    const Table overview = area_overview_table(c);
    const std::size_t shown = overview.column_index("realigned_ha") + 1;
    render::ReportTable t;
    for (std::size_t col = 0; col < shown; ++col) {
        t.headers.push_back(overview.columns[col].alias);
        t.numeric.push_back(overview.columns[col].kind != ColumnKind::Text);
    }
    const std::vector<analysis::Milestone> milestones = path_milestones(c);
    for (const analysis::Milestone& m : milestones) {
        t.headers.push_back("Status " + std::to_string(m.year));
        t.numeric.push_back(false);
        t.headers.push_back("Year " + std::to_string(m.year) + " share reached");
        t.numeric.push_back(true);
    }
    for (std::size_t k = 0; k < overview.rows.size(); ++k) {
        std::vector<std::string> row;
        for (std::size_t col = 0; col < shown; ++col)
            row.push_back(text_of(overview.rows[k][col], 3));
        for (const analysis::Milestone& m : milestones)
            for (const AreaTrajectory& p : paths)
                if (p.area == k && p.milestone.year == m.year) {
                    row.push_back(status_of(p));
                    row.push_back(p.path && p.path->year_reached
                                    ? fixed_decimals(*p.path->year_reached, 2)
                                    : "");
                }
        t.rows.push_back(std::move(row));
    }
    return t;
}

render::ReportTable runs_list(const Comparison& c)
{
    const Table runs = runs_table(c);
    render::ReportTable t;
    for (const Column& col : runs.columns) {
        t.headers.push_back(col.alias);
        t.numeric.push_back(col.kind != ColumnKind::Text);
    }
    for (const auto& row : runs.rows) {
        std::vector<std::string> cells;
        for (const Cell& cell : row)
            cells.push_back(text_of(cell, 3));
        t.rows.push_back(std::move(cells));
    }
    return t;
}

} // namespace

render::Report change_report(const Comparison& c,
                             const std::vector<AreaTrajectory>& paths,
                             const std::vector<std::string>& notes)
{
    render::Report r;
    r.title =
      "Landscape elements in " + year_list(run_years(c)) + ": change and path to the targets";
    r.subtitle = std::string("landel ") + version() + " · " + today() + " · " + c.runs.back().crs;
    r.summary = summary_cards(c, paths);
    r.cautions = registry_cautions(c);
    r.charts_heading = "Share of rural land per year against the path to the targets";
    r.charts_intro =
      "Points: the share of the elements in each run's year on that year's own rural land. "
      "Dashed: per milestone the straight path from the baseline year's share to the "
      "milestone's share (the square), with where the last year stands on it: met (at or above "
      "the milestone's share), on track (at or above the path) or behind.";
    r.charts.push_back(total_chart(c));
    for (std::size_t k = 0; k < c.area_count() && k < max_report_area_charts; ++k)
        r.charts.push_back(area_chart(c, paths, k));
    r.areas = areas_table(c, paths);
    r.tables.push_back({ "Runs", runs_list(c) });
    r.interactive_map = false;
    r.notes = notes;
    if (c.area_count() > max_report_area_charts)
        r.notes.push_back("Charts of the first " + std::to_string(max_report_area_charts) +
                          " areas only; trajectory.csv has every area's path.");
    r.notes.push_back("Shares are on each year's own rural land; the totals are ratios of the "
                      "sums over the areas. Hectares baseline → last are summed over the types; "
                      "the figures per type and pair of years are in change.csv and change.xlsx.");
    return r;
}

void write_report_html(const fs::path& path, const render::Report& report)
{
    std::ofstream out(path, std::ios::binary);
    out << render::report_html(report);
    if (!out)
        throw Error("cannot write '" + path.string() + "'");
}

} // namespace landel::pipeline::detail
