#include "stages/run_matching.h"

#include "landel/analysis/monitoring/same_land.h"
#include "landel/core/error.h"
#include "landel/io/crs.h"

#include <algorithm>
#include <map>
#include <set>

namespace landel::pipeline::detail {

namespace {

std::string quoted(const RunFolder& run)
{
    return "'" + run.folder.string() + "'";
}

/// "a, b, c", the first ten and the count of the rest.
std::string listed(const std::vector<std::string>& items)
{
    std::string out;
    const std::size_t shown = std::min<std::size_t>(items.size(), 10);
    for (std::size_t i = 0; i < shown; ++i)
        out += (i ? ", " : "") + items[i];
    if (items.size() > shown)
        out += " and " + std::to_string(items.size() - shown) + " more";
    return out;
}

void check_crs(const RunFolder& first, const RunFolder& run)
{
    const io::Crs a = io::Crs::from_user_input(first.crs, "run.crs of " + quoted(first));
    const io::Crs b = io::Crs::from_user_input(run.crs, "run.crs of " + quoted(run));
    if (!a.same_as(b))
        throw Error("the runs are in different CRSs: " + quoted(first) + " in " + a.describe() +
                    ", " + quoted(run) + " in " + b.describe() + ": compare runs in one CRS");
}

void check_types(const RunFolder& first, const RunFolder& run)
{
    if (run.types != first.types)
        throw Error("the runs have different types or types.order: " + quoted(first) + " has [" +
                    listed(first.types) + "], " + quoted(run) + " has [" + listed(run.types) +
                    "]: compare runs with the same types.order");
}

/// The position of each of @p first's area ids in @p run; an error naming the missing and
/// extra ids.
std::vector<std::size_t> positions_of(const RunFolder& first, const RunFolder& run)
{
    std::map<std::string, std::size_t> in_run;
    for (std::size_t i = 0; i < run.areas.size(); ++i)
        in_run.emplace(run.areas[i].id, i);
    std::vector<std::size_t> out;
    std::vector<std::string> missing, extra;
    std::set<std::string> seen;
    for (const analysis::AreaMeasure& a : first.areas) {
        seen.insert(a.id);
        const auto at = in_run.find(a.id);
        if (at == in_run.end())
            missing.push_back(a.id);
        else
            out.push_back(at->second);
    }
    for (const analysis::AreaMeasure& a : run.areas)
        if (!seen.count(a.id))
            extra.push_back(a.id);
    if (!missing.empty() || !extra.empty())
        throw Error("the runs have different areas: " + quoted(run) +
                    (missing.empty() ? "" : " lacks " + listed(missing)) +
                    (missing.empty() || extra.empty() ? "" : " and") +
                    (extra.empty() ? "" : " has " + listed(extra)) + " compared with " +
                    quoted(first) + ": compare runs of the same areas");
    return out;
}

/// Areas of one id must be the same land (analysis::same_land).
void check_same_land(const RunFolder& first,
                     const RunFolder& run,
                     const std::vector<std::size_t>& positions)
{
    std::vector<std::string> before, after;
    for (std::size_t k = 0; k < first.areas.size(); ++k) {
        before.push_back(first.areas[k].geometry_wkb);
        after.push_back(run.areas[positions[k]].geometry_wkb);
    }
    const std::vector<bool> same = analysis::same_land(before, after);
    std::vector<std::string> ids;
    for (std::size_t k = 0; k < same.size(); ++k)
        if (!same[k])
            ids.push_back(first.areas[k].id);
    if (!ids.empty())
        throw Error("areas " + listed(ids) + " of " + quoted(run) +
                    " are not the same land as in " + quoted(first) +
                    " (symmetric difference above 1e-6 of the area): compare runs of the same "
                    "areas");
}

} // namespace

void order_by_year(std::vector<RunFolder>& runs)
{
    std::stable_sort(runs.begin(), runs.end(), [](const RunFolder& a, const RunFolder& b) {
        return a.year < b.year;
    });
    for (std::size_t i = 1; i < runs.size(); ++i)
        if (runs[i].year == runs[i - 1].year)
            throw Error("two runs of the same year " + std::to_string(runs[i].year) + ": " +
                        quoted(runs[i - 1]) + " and " + quoted(runs[i]) +
                        " (compare runs of different measurement years)");
}

std::vector<std::vector<std::size_t>> match_runs(const std::vector<RunFolder>& runs)
{
    std::vector<std::vector<std::size_t>> positions;
    const RunFolder& first = runs.front();
    for (const RunFolder& run : runs) {
        check_crs(first, run);
        check_types(first, run);
        positions.push_back(positions_of(first, run));
        if (&run != &first)
            check_same_land(first, run, positions.back());
    }
    return positions;
}

std::vector<bool> raster_types(const std::vector<RunFolder>& runs)
{
    const std::size_t n = runs.front().types.size();
    std::vector<bool> geometry(n, false), hectares(n, false);
    for (const RunFolder& run : runs)
        for (const analysis::AreaMeasure& a : run.areas)
            for (std::size_t t = 0; t < n; ++t) {
                geometry[t] = geometry[t] || !a.owned_wkb[t].empty();
                hectares[t] = hectares[t] || a.type_ha[t] > 0.0;
            }
    std::vector<bool> raster(n);
    for (std::size_t t = 0; t < n; ++t)
        raster[t] = hectares[t] && !geometry[t];
    return raster;
}

} // namespace landel::pipeline::detail
