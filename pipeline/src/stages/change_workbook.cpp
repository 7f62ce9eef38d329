#include "stages/change_workbook.h"
#include "stages/output_language.h"

#include "stages/change_tables.h"
#include "stages/comparison_overview.h"

namespace landel::pipeline::detail {

namespace {

std::string years_of(const Comparison& c)
{
    std::string out;
    for (const RunFolder& run : c.runs)
        out += (out.empty() ? "" : ", ") + std::to_string(run.year);
    return out;
}

/// Sums of every hectare column; each year's share as the ratio of that year's sums.
std::vector<std::pair<std::string, io::TotalRule>> overview_totals(const Comparison& c,
                                                                   const Table& t)
{
    std::vector<std::pair<std::string, io::TotalRule>> out;
    for (const Column& col : t.columns)
        if (col.name.size() > 3 && col.name.compare(col.name.size() - 3, 3, "_ha") == 0)
            out.push_back({ col.name, { io::Total::Sum, {}, {} } });
    for (const RunFolder& run : c.runs) {
        const std::string y = std::to_string(run.year);
        out.push_back({ "share_" + y + "_pct",
                        { io::Total::Ratio, "element_" + y + "_ha", "rural_" + y + "_ha" } });
    }
    return out;
}

} // namespace

std::vector<io::Sheet> change_sheets(const Comparison& c, const std::vector<AreaTrajectory>& paths)
{
    const PairChange& whole = baseline_to_last(c);
    const std::string span =
      std::to_string(c.runs[whole.from].year) + " -> " + std::to_string(c.runs[whole.to].year);
    std::vector<io::Sheet> sheets(4);
    sheets[0].name = "change by area";
    sheets[0].title =
      "landel compare " + years_of(c) + ": share per year and change " + span + " per area";
    sheets[0].table = area_overview_table(c);
    sheets[0].totals = overview_totals(c, sheets[0].table);

    sheets[1].name = "change";
    sheets[1].title = "Change per pair of years, area and type (change.csv)";
    sheets[1].table = change_table(c);

    sheets[2].name = "trajectory";
    sheets[2].title = "Path from the baseline " + std::to_string(c.runs[c.baseline].year) +
                      " to each milestone (trajectory.csv)";
    sheets[2].table = trajectory_table(c, paths);
    sheets[2].status_column = "status";

    sheets[3].name = "runs";
    sheets[3].title = "The runs compared";
    sheets[3].table = runs_table(c);
    return sheets;
}

void write_change_workbook(const std::filesystem::path& path,
                           const Comparison& c,
                           const std::vector<AreaTrajectory>& paths)
{
    std::vector<io::Sheet> sheets = change_sheets(c, paths);
    translate_sheets(sheets, *c.words);
    io::write_xlsx(path, sheets);
}

} // namespace landel::pipeline::detail
