#include "stages/run_comparison.h"

#include "landel/core/error.h"

namespace landel::pipeline::detail {

namespace {

/// The years of @p runs: "2020, 2022, 2024".
std::string years_of(const std::vector<RunFolder>& runs)
{
    std::string out;
    for (const RunFolder& r : runs)
        out += (out.empty() ? "" : ", ") + std::to_string(r.year);
    return out;
}

/// Each run's areas as the engine takes them, in the common order; the geometry is moved out
/// of the runs (it is the bulk of their memory and read only by the engine).
std::vector<std::vector<analysis::AreaYear>> area_years(Comparison& c)
{
    std::vector<std::vector<analysis::AreaYear>> out(c.runs.size());
    for (std::size_t r = 0; r < c.runs.size(); ++r) {
        out[r].resize(c.area_count());
        for (std::size_t k = 0; k < c.area_count(); ++k) {
            analysis::AreaMeasure& a = c.runs[r].areas[c.positions[r][k]];
            analysis::AreaYear& y = out[r][k];
            y.year = c.runs[r].year;
            y.area_wkb = std::move(a.geometry_wkb);
            y.rural_wkb = std::move(a.rural_wkb);
            y.owned_wkb = std::move(a.owned_wkb);
        }
    }
    return out;
}

/// The area outlines and element geometry of run @p r go back from the engine's input into
/// the run: the change maps draw those of the last year.
void give_back_geometry(Comparison& c, std::size_t r, std::vector<analysis::AreaYear>& years)
{
    for (std::size_t k = 0; k < c.area_count(); ++k) {
        analysis::AreaMeasure& a = c.runs[r].areas[c.positions[r][k]];
        a.geometry_wkb = std::move(years[k].area_wkb);
        a.owned_wkb = std::move(years[k].owned_wkb);
    }
}

/// Raster types have no geometry: their hectares come from the runs' ha_<type>.
void raster_figures(const Comparison& c, PairChange& pair)
{
    for (std::size_t k = 0; k < pair.areas.size(); ++k)
        for (std::size_t t = 0; t < c.raster.size(); ++t) {
            if (!c.raster[t])
                continue;
            analysis::TypeChange& tc = pair.areas[k].types[t];
            tc = analysis::TypeChange{};
            tc.before_ha = c.area(pair.from, k).type_ha[t];
            tc.after_ha = c.area(pair.to, k).type_ha[t];
            tc.net_ha = tc.after_ha - tc.before_ha;
        }
}

} // namespace

std::size_t baseline_position(const std::vector<RunFolder>& runs,
                              const std::optional<int>& baseline_year,
                              const std::string& key)
{
    if (!baseline_year)
        return 0;
    for (std::size_t r = 0; r < runs.size(); ++r) {
        if (runs[r].year != *baseline_year)
            continue;
        if (r + 1 == runs.size())
            throw Error(key + " " + std::to_string(*baseline_year) +
                        " is the last run's year: the baseline must come before it");
        return r;
    }
    throw Error(key + " " + std::to_string(*baseline_year) +
                " is the year of none of the runs (their years: " + years_of(runs) + ")");
}

void compare_runs(Comparison& c, const Progress& progress)
{
    const std::size_t last = c.runs.size() - 1;
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    for (std::size_t r = 0; r < last; ++r)
        pairs.emplace_back(r, r + 1);
    if (c.baseline + 1 != last)
        pairs.emplace_back(c.baseline, last);

    std::vector<std::vector<analysis::AreaYear>> years = area_years(c);
    analysis::ChangeOptions options;
    options.tolerance_m = c.tolerance_m;
    // All pairs in one parallel loop over pairs and areas (compare_pairs).
    std::vector<std::vector<analysis::AreaChange>> changes =
      analysis::compare_pairs(years, pairs, options, progress);
    c.pairs.clear();
    for (std::size_t p = 0; p < pairs.size(); ++p) {
        PairChange pair;
        pair.from = pairs[p].first;
        pair.to = pairs[p].second;
        pair.areas = std::move(changes[p]);
        if (pair.areas.size() != c.area_count())
            throw Error("the change engine returned " + std::to_string(pair.areas.size()) +
                        " areas for " + std::to_string(c.area_count()));
        raster_figures(c, pair);
        c.pairs.push_back(std::move(pair));
    }
    give_back_geometry(c, last, years[last]);
}

} // namespace landel::pipeline::detail
