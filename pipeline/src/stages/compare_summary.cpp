#include "stages/compare_summary.h"

#include "landel/io/table_writers.h"
#include "landel/pipeline/version.h"
#include "stages/change_tables.h"

#include <nlohmann/json.hpp>

#include <map>

namespace landel::pipeline::detail {

namespace {

using nlohmann::ordered_json;

ordered_json optional(const std::optional<double>& v)
{
    return v ? ordered_json(*v) : ordered_json();
}

ordered_json run_json(const Comparison& c, std::size_t r)
{
    const RunFolder& run = c.runs[r];
    double rural = 0.0, element = 0.0;
    for (const analysis::AreaMeasure& a : run.areas) {
        rural += a.rural_ha;
        element += a.element_ha;
    }
    ordered_json j;
    j["folder"] = std::filesystem::absolute(run.folder).lexically_normal().string();
    j["year"] = run.year;
    j["as_of"] = run.as_of ? ordered_json(*run.as_of) : ordered_json();
    j["landel_version"] = run.landel_version;
    j["incomplete_registry"] = run.incomplete_registry;
    j["areas"] = run.areas.size();
    j["rural_ha"] = rural;
    j["element_ha"] = element;
    j["share_pct"] = optional(share_of(element, rural));
    return j;
}

/// The sums over the areas of one pair, per type and per reclassification.
ordered_json pair_totals(const Comparison& c, const PairChange& p)
{
    const std::size_t n = c.types().size();
    std::vector<analysis::TypeChange> sum(n);
    std::map<std::pair<std::size_t, std::size_t>, double> reclassified;
    double from_rural = 0.0, to_rural = 0.0;
    for (std::size_t k = 0; k < c.area_count(); ++k) {
        from_rural += c.area(p.from, k).rural_ha;
        to_rural += c.area(p.to, k).rural_ha;
        for (std::size_t t = 0; t < n; ++t) {
            const analysis::TypeChange& a = p.areas[k].types[t];
            sum[t].before_ha += a.before_ha;
            sum[t].after_ha += a.after_ha;
            sum[t].gained_ha += a.gained_ha;
            sum[t].lost_ha += a.lost_ha;
            sum[t].net_ha += a.net_ha;
            sum[t].masked_ha += a.masked_ha;
            sum[t].realigned_ha += a.realigned_ha;
        }
        for (const analysis::Reclassification& r : p.areas[k].reclassified)
            reclassified[{ r.from, r.to }] += r.ha;
    }
    ordered_json types = ordered_json::object();
    for (std::size_t t = 0; t < n; ++t) {
        const analysis::TypeChange& s = sum[t];
        const auto vector_only = [&](double v) {
            return c.raster[t] ? ordered_json() : ordered_json(v);
        };
        types[c.types()[t]] = { { "before_ha", s.before_ha },
                                { "after_ha", s.after_ha },
                                { "gained_ha", vector_only(s.gained_ha) },
                                { "lost_ha", vector_only(s.lost_ha) },
                                { "net_ha", s.net_ha },
                                { "masked_ha", vector_only(s.masked_ha) },
                                { "realigned_ha", vector_only(s.realigned_ha) },
                                { "before_share_pct", optional(share_of(s.before_ha, from_rural)) },
                                { "after_share_pct", optional(share_of(s.after_ha, to_rural)) } };
    }
    ordered_json moved = ordered_json::array();
    for (const auto& [key, ha] : reclassified)
        moved.push_back(
          { { "from", c.types()[key.first] }, { "to", c.types()[key.second] }, { "ha", ha } });
    ordered_json j;
    j["from_year"] = c.runs[p.from].year;
    j["to_year"] = c.runs[p.to].year;
    j["from_rural_ha"] = from_rural;
    j["to_rural_ha"] = to_rural;
    j["types"] = types;
    j["reclassified"] = moved;
    return j;
}

/// Per milestone, how many areas are met, on track, behind or without rural land.
ordered_json trajectory_counts(const Comparison& c, const std::vector<AreaTrajectory>& paths)
{
    ordered_json out = ordered_json::array();
    for (const analysis::Milestone& m : c.runs.back().milestones) {
        if (m.year <= c.runs[c.baseline].year)
            continue; // no path to it (area_trajectories)
        ordered_json j;
        j["milestone_year"] = m.year;
        for (const char* status : { "met", "on_track", "behind", "no_rural_land" })
            j[status] = 0;
        for (const AreaTrajectory& t : paths)
            if (t.milestone.year == m.year)
                j[status_of(t)] = j[status_of(t)].get<int>() + 1;
        out.push_back(j);
    }
    return out;
}

} // namespace

std::string compare_summary_json(const Comparison& c,
                                 const std::vector<AreaTrajectory>& paths,
                                 const CompareReport& report)
{
    ordered_json j;
    j["landel_version"] = version();
    j["command"] = "compare";
    j["inputs"] = ordered_json::array();
    for (std::size_t i = 0; i < report.inputs.size(); ++i)
        j["inputs"].push_back(
          { { "path", std::filesystem::absolute(report.inputs[i]).lexically_normal().string() },
            { "sha256", report.input_sha256.at(i) } });
    j["runs"] = ordered_json::array();
    for (std::size_t r = 0; r < c.runs.size(); ++r)
        j["runs"].push_back(run_json(c, r));
    j["baseline_year"] = c.runs[c.baseline].year;
    j["last_year"] = c.runs.back().year;
    j["tolerance_m"] = c.tolerance_m;
    j["types"] = c.types();
    j["raster_types"] = ordered_json::array();
    for (std::size_t t = 0; t < c.raster.size(); ++t)
        if (c.raster[t])
            j["raster_types"].push_back(c.types()[t]);
    j["milestones"] = ordered_json::array();
    for (const analysis::Milestone& m : c.runs.back().milestones)
        j["milestones"].push_back({ { "year", m.year }, { "share", m.share } });
    j["totals"] = ordered_json::array();
    for (const PairChange& p : c.pairs)
        j["totals"].push_back(pair_totals(c, p));
    j["trajectory"] = trajectory_counts(c, paths);
    j["outputs"] = report.outputs;
    j["notes"] = report.notes;
    j["warnings"] = report.warnings;
    ordered_json timings = ordered_json::object();
    for (const auto& [stage, s] : c.timings)
        timings[stage] = s;
    j["timings_s"] = timings;
    return j.dump(2) + "\n";
}

} // namespace landel::pipeline::detail
