#include "stages/comparison_outputs.h"

#include "job/stopwatch.h"
#include "landel/core/text.h"
#include "landel/io/crs.h"
#include "landel/io/table_writers.h"
#include "stages/change_report.h"
#include "stages/change_tables.h"
#include "stages/change_workbook.h"
#include "stages/compare_summary.h"
#include "stages/manifest.h"
#include "stages/output_language.h"
#include "stages/qgis_outputs.h"
#include "stages/run_matching.h"
#include "stages/trajectory_table.h"

namespace landel::pipeline::detail {

namespace fs = std::filesystem;

namespace {

/// The baseline when the user gave none: the last run's recorded targets.baseline_year if a
/// run before the last has that year, else the earliest.
std::size_t recorded_baseline(const std::vector<RunFolder>& runs, RunLog& log)
{
    const std::optional<int> recorded = runs.back().baseline_year;
    if (!recorded)
        return 0;
    for (std::size_t r = 0; r + 1 < runs.size(); ++r)
        if (runs[r].year == *recorded)
            return r;
    log.warning("targets.baseline_year " + std::to_string(*recorded) + " of run '" +
                runs.back().folder.string() +
                "' is the year of no earlier run: the path starts from the earliest run (" +
                std::to_string(runs.front().year) + ")");
    return 0;
}

/// What the runs are, and why some figures are missing: notes for summary.json and the log.
std::vector<std::string> comparison_notes(const Comparison& c,
                                          const std::vector<AreaTrajectory>& paths)
{
    std::vector<std::string> notes;
    std::string raster;
    for (std::size_t t = 0; t < c.raster.size(); ++t)
        if (c.raster[t])
            raster += (raster.empty() ? "" : ", ") + c.types()[t];
    if (!raster.empty())
        notes.push_back("raster types (" + raster +
                        ") have no geometry in the runs: before_ha, after_ha and net_ha only");
    // How much of the raw difference of baseline -> last the tolerance took for noise.
    const PairChange& whole = c.pairs.back();
    double kept = 0.0, realigned = 0.0;
    for (const analysis::AreaChange& a : whole.areas)
        for (std::size_t t = 0; t < a.types.size(); ++t)
            if (!c.raster[t]) {
                kept += a.types[t].gained_ha + a.types[t].lost_ha;
                realigned += a.types[t].realigned_ha;
            }
    const std::string years =
      std::to_string(c.runs[whole.from].year) + " -> " + std::to_string(c.runs[whole.to].year);
    notes.push_back("tolerance_m " + fixed_decimals(c.tolerance_m, 3) + ": " +
                    fixed_decimals(realigned, 6) + " ha of the " +
                    fixed_decimals(kept + realigned, 6) + " ha gained or lost " + years +
                    " taken for redigitising noise (realigned_ha)");
    if (c.runs.back().milestones.empty())
        notes.push_back("no area of the last run has rural land: no milestones, no trajectory");
    for (const analysis::Milestone& m : c.runs.back().milestones)
        if (m.year <= c.runs[c.baseline].year)
            notes.push_back("milestone " + std::to_string(m.year) +
                            " is not after the baseline year: no trajectory to it");
    std::size_t without = 0;
    for (const AreaTrajectory& p : paths)
        without += p.path ? 0 : 1;
    if (without)
        notes.push_back(std::to_string(without) +
                        " trajectory rows of areas without rural land in the baseline or the "
                        "last year: status no_rural_land, no path");
    return notes;
}

/// change.gpkg: the gained, lost, reclassified and realigned land, styled for QGIS.
void write_change_gpkg(const fs::path& path, Comparison& c)
{
    const RunFolder& last = c.runs.back();
    io::GeoPackageWriter gpkg(
      path, io::Crs::from_user_input(last.crs, "run.crs of '" + last.folder.string() + "'"));
    const Translation& words = *c.words;
    const auto for_people = [&](Table t) {
        translate_aliases(t, words);
        return t;
    };
    gpkg.add_layer("gained",
                   words("Element land new in the later year, per area, type and pair of years"),
                   for_people(change_layer(c, ChangeLayer::Gained)));
    gpkg.add_layer("lost",
                   words("Element land gone in the later year where it is still rural land"),
                   for_people(change_layer(c, ChangeLayer::Lost)));
    gpkg.add_layer("reclassified",
                   words("Element land that stayed element land but changed type"),
                   for_people(reclassified_layer(c)));
    gpkg.add_layer("realigned",
                   words("Differences thinner than the tolerance beside the other year's "
                         "elements: redigitising noise, not change"),
                   for_people(change_layer(c, ChangeLayer::Realigned)));
    style_change_layers(gpkg, words);
    gpkg.close();
}

} // namespace

Comparison line_up_runs(std::vector<RunFolder> runs,
                        const ComparisonSettings& settings,
                        RunLog& log)
{
    Comparison c;
    c.runs = std::move(runs);
    order_by_year(c.runs);
    c.positions = match_runs(c.runs);
    c.raster = raster_types(c.runs);
    c.baseline = settings.baseline_year
                   ? baseline_position(c.runs, settings.baseline_year, settings.baseline_key)
                   : recorded_baseline(c.runs, log);
    c.tolerance_m = settings.tolerance_m;
    for (const RunFolder& run : c.runs)
        if (run.incomplete_registry)
            log.warning("run '" + run.folder.string() + "' (" + std::to_string(run.year) +
                        "): its dataset preset warned that the registry was incomplete on " +
                        run.as_of.value_or("its date") +
                        " (\"cover less than\"): its changes show the registry's capture, not "
                        "only the landscape");
    log.info("baseline " + std::to_string(c.runs[c.baseline].year) + ", tolerance " +
             fixed_decimals(c.tolerance_m, 3) + " m");
    return c;
}

std::vector<std::string> write_comparison(const fs::path& dir,
                                          Comparison& c,
                                          const std::vector<fs::path>& inputs,
                                          bool own_log,
                                          RunLog& log,
                                          std::size_t max_area_maps)
{
    Stopwatch clock;
    const std::vector<AreaTrajectory> paths = area_trajectories(c);
    CompareReport report;
    report.inputs = inputs;
    report.outputs = { "change.csv", "trajectory.csv" };
    io::write_csv(dir / "change.csv", change_table(c));
    io::write_csv(dir / "trajectory.csv", trajectory_table(c, paths));
    c.timings.emplace_back("tables", clock.lap());
    for (const std::string& map : write_change_maps(dir, c, max_area_maps))
        report.outputs.push_back(map);
    c.timings.emplace_back("maps", clock.lap());
    report.notes = comparison_notes(c, paths);
    for (const std::string& n : report.notes)
        log.info(n);
    render::Report page = change_report(c, paths, report.notes);
    embed_change_maps(page, c, max_area_maps);
    translate_report(page, *c.words);
    write_report_html(dir / "report.html", page);
    c.timings.emplace_back("report", clock.lap());
    write_change_workbook(dir / "change.xlsx", c, paths);
    c.timings.emplace_back("workbook", clock.lap());
    // Last of the writers: it moves the change geometry out of c.
    write_change_gpkg(dir / "change.gpkg", c);
    c.timings.emplace_back("change_gpkg", clock.lap());
    report.outputs.insert(report.outputs.end(),
                          { "report.html", "change.xlsx", "change.gpkg", "summary.json" });
    if (own_log)
        report.outputs.push_back("landel.log");
    report.warnings = log.warnings();
    for (const fs::path& f : inputs)
        report.input_sha256.push_back(io::sha256_file(f));
    c.timings.emplace_back("checksums", clock.lap());
    write_summary(dir, compare_summary_json(c, paths, report));
    return report.outputs;
}

} // namespace landel::pipeline::detail
