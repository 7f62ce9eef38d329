// `landel compare`: earlier runs of the same areas in different measurement years -> the
// change of their elements between the years and each area's path to the milestones.

#include "landel/pipeline/compare.h"

#include "job/finish.h"
#include "job/frame.h"
#include "job/progress.h"
#include "landel/core/error.h"
#include "landel/io/crs.h"
#include "landel/io/table_writers.h"
#include "landel/pipeline/version.h"
#include "stages/change_tables.h"
#include "stages/compare_summary.h"
#include "stages/manifest.h"
#include "stages/qgis_outputs.h"
#include "stages/run_matching.h"
#include "stages/trajectory_table.h"

#include <cmath>
#include <cstdio>

namespace landel::pipeline {

namespace fs = std::filesystem;

namespace {

std::string fixed(double v, int decimals)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, v);
    return text;
}

/// What the runs are, and why some figures are missing: notes for summary.json and the log.
std::vector<std::string> comparison_notes(const detail::Comparison& c,
                                          const std::vector<detail::AreaTrajectory>& paths)
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
    const detail::PairChange& whole = c.pairs.back();
    double kept = 0.0, realigned = 0.0;
    for (const analysis::AreaChange& a : whole.areas)
        for (std::size_t t = 0; t < a.types.size(); ++t)
            if (!c.raster[t]) {
                kept += a.types[t].gained_ha + a.types[t].lost_ha;
                realigned += a.types[t].realigned_ha;
            }
    const std::string years =
      std::to_string(c.runs[whole.from].year) + " -> " + std::to_string(c.runs[whole.to].year);
    notes.push_back("tolerance_m " + fixed(c.tolerance_m, 3) + ": " + fixed(realigned, 6) +
                    " ha of the " + fixed(kept + realigned, 6) + " ha gained or lost " + years +
                    " taken for redigitising noise (realigned_ha)");
    if (c.runs.back().milestones.empty())
        notes.push_back("no area of the last run has rural land: no milestones, no trajectory");
    for (const analysis::Milestone& m : c.runs.back().milestones)
        if (m.year <= c.runs[c.baseline].year)
            notes.push_back("milestone " + std::to_string(m.year) +
                            " is not after the baseline year: no trajectory to it");
    std::size_t without = 0;
    for (const detail::AreaTrajectory& p : paths)
        without += p.path ? 0 : 1;
    if (without)
        notes.push_back(std::to_string(without) +
                        " trajectory rows of areas without rural land in the baseline or the "
                        "last year: status no_rural_land, no path");
    return notes;
}

/// The runs read, checked and lined up; the baseline found.
detail::Comparison read_runs(const std::vector<fs::path>& runs,
                             const CompareOptions& compare,
                             const Progress& progress,
                             RunLog& log)
{
    detail::Comparison c;
    for (std::size_t r = 0; r < runs.size(); ++r) {
        c.runs.push_back(detail::read_run_folder(runs[r]));
        const detail::RunFolder& run = c.runs.back();
        log.info("run '" + run.folder.string() + "': year " + std::to_string(run.year) + ", " +
                 std::to_string(run.areas.size()) + " areas, made by landel " + run.landel_version);
        report_progress(progress, double(r + 1) / double(runs.size()), "read runs");
    }
    detail::order_by_year(c.runs);
    c.positions = detail::match_runs(c.runs);
    c.raster = detail::raster_types(c.runs);
    c.baseline = detail::baseline_position(c.runs, compare.baseline_year);
    c.tolerance_m = compare.tolerance_m;
    for (const detail::RunFolder& run : c.runs)
        if (run.incomplete_registry)
            log.warning("run '" + run.folder.string() + "' (" + std::to_string(run.year) +
                        "): its dataset preset warned that the registry was incomplete on " +
                        run.as_of.value_or("its date") +
                        " (\"cover less than\"): its changes show the registry's capture, not "
                        "only the landscape");
    log.info("baseline " + std::to_string(c.runs[c.baseline].year) + ", tolerance " +
             fixed(c.tolerance_m, 3) + " m");
    return c;
}

/// change.gpkg: the gained, lost, reclassified and realigned land, styled for QGIS.
void write_change_gpkg(const fs::path& path, detail::Comparison& c)
{
    const detail::RunFolder& last = c.runs.back();
    io::GeoPackageWriter gpkg(
      path, io::Crs::from_user_input(last.crs, "run.crs of '" + last.folder.string() + "'"));
    gpkg.add_layer("gained",
                   "Element land new in the later year, per area, type and pair of years",
                   detail::change_layer(c, detail::ChangeLayer::Gained));
    gpkg.add_layer("lost",
                   "Element land gone in the later year where it is still rural land",
                   detail::change_layer(c, detail::ChangeLayer::Lost));
    gpkg.add_layer("reclassified",
                   "Element land that stayed element land but changed type",
                   detail::reclassified_layer(c));
    gpkg.add_layer("realigned",
                   "Differences thinner than the tolerance beside the other year's elements: "
                   "redigitising noise, not change",
                   detail::change_layer(c, detail::ChangeLayer::Realigned));
    detail::style_change_layers(gpkg);
    gpkg.close();
}

RunOutcome compare_job(const std::vector<fs::path>& runs,
                       const CompareOptions& compare,
                       const RunOptions& options,
                       RunLog& log)
{
    log.info(std::string("landel ") + version() + " compare of " + std::to_string(runs.size()) +
             " runs");
    if (runs.size() < 2)
        throw Error("compare needs at least two runs, got " + std::to_string(runs.size()));
    if (!(compare.tolerance_m >= 0.0 && std::isfinite(compare.tolerance_m)))
        throw Error("--tolerance-m " + fixed(compare.tolerance_m, 3) +
                    ": must be a number of metres of at least 0");
    if (!options.out)
        throw Error("no output folder: give --out");
    std::vector<fs::path> inputs;
    for (const fs::path& run : runs)
        for (const fs::path& file : detail::run_folder_inputs(run))
            inputs.push_back(file);
    StagedFolder folder(*options.out, options.out->string(), options.overwrite, inputs);

    detail::Comparison c =
      read_runs(runs, compare, detail::progress_slice(options.progress, 0.0, 0.2), log);
    detail::compare_runs(c, detail::progress_slice(options.progress, 0.2, 0.9));
    log.info("compared " + std::to_string(c.pairs.size()) + " pairs of years");

    const std::vector<detail::AreaTrajectory> paths = detail::area_trajectories(c);
    io::write_csv(folder.path() / "change.csv", detail::change_table(c));
    io::write_csv(folder.path() / "trajectory.csv", detail::trajectory_table(c, paths));
    write_change_gpkg(folder.path() / "change.gpkg", c); // moves the change geometry out
    detail::CompareReport report;
    report.inputs = inputs;
    report.outputs = {
        "change.csv", "change.gpkg", "trajectory.csv", "summary.json", "landel.log"
    };
    report.notes = comparison_notes(c, paths);
    for (const std::string& n : report.notes)
        log.info(n);
    report.warnings = log.warnings();
    detail::write_summary(folder.path(), detail::compare_summary_json(c, paths, report));
    log.info("writing " + folder.final_path().string());

    RunOutcome outcome;
    outcome.areas = c.area_count();
    for (const analysis::AreaMeasure& a : c.runs.back().areas) {
        outcome.rural_ha += a.rural_ha;
        outcome.element_ha += a.element_ha;
    }
    return detail::finish_job(folder, log, options.progress, outcome);
}

} // namespace

RunOutcome compare(const std::vector<fs::path>& runs,
                   const CompareOptions& compare,
                   const RunOptions& options)
{
    // No config: the job's messages name --out as given.
    const Config none;
    return detail::run_as_job(
      none, options, [&](RunLog& log) { return compare_job(runs, compare, options, log); });
}

} // namespace landel::pipeline
