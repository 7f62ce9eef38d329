#include "stages/monitoring_outputs.h"
#include "stages/output_language.h"

#include "landel/core/error.h"
#include "landel/pipeline/version.h"
#include "stages/comparison_outputs.h"

#include <algorithm>

namespace landel::pipeline::detail {

namespace fs = std::filesystem;

namespace {

/// The settings of the comparison a run's [monitoring] asks for.
ComparisonSettings settings_of(const Config& config)
{
    ComparisonSettings settings;
    settings.tolerance_m = config.monitoring->tolerance_m;
    settings.baseline_year = config.baseline_year;
    settings.baseline_key = config.file.filename().string() + ": targets.baseline_year";
    return settings;
}

/// This run as a comparison sees it: what its summary.json will say, and its areas.gpkg.
RunFolder this_run(const Config& config,
                   const fs::path& dir,
                   const fs::path& final_dir,
                   const RunLog& log)
{
    RunFolder run;
    run.folder = final_dir;
    run.year = *run_year(config);
    if (config.dataset)
        run.as_of = config.dataset->as_of;
    run.landel_version = version();
    run.crs = config.crs;
    run.baseline_year = config.baseline_year;
    for (const std::string& w : log.warnings())
        if (w.find("cover less than") != std::string::npos) // as read_run_folder reads it
            run.incomplete_registry = true;
    read_run_areas(dir / "areas.gpkg", run);
    return run;
}

} // namespace

std::optional<int> run_year(const Config& config)
{
    if (config.measurement_year)
        return config.measurement_year;
    if (config.dataset && config.dataset->as_of && config.dataset->as_of->size() >= 4)
        return std::stoi(config.dataset->as_of->substr(0, 4));
    return std::nullopt;
}

std::vector<RunFolder> read_earlier_runs(const Config& config, RunLog& log)
{
    std::vector<RunFolder> runs;
    if (!config.monitoring)
        return runs;
    const std::string at = config.where(config.monitoring->line) + ": [monitoring]";
    const std::optional<int> year = run_year(config);
    if (!year)
        throw Error(at + " needs this run's year: set run.measurement_year");
    std::vector<int> years{ *year };
    for (const fs::path& folder : config.monitoring->runs) {
        runs.push_back(read_run_folder(folder));
        const RunFolder& run = runs.back();
        if (std::find(years.begin(), years.end(), run.year) != years.end())
            throw Error(at + ": run '" + folder.string() + "' is of " + std::to_string(run.year) +
                        ", a year already compared (this run is of " + std::to_string(*year) +
                        "); give one run per year");
        years.push_back(run.year);
        log.info("monitoring: run '" + folder.string() + "' of " + std::to_string(run.year));
    }
    if (*std::max_element(years.begin(), years.end()) != *year)
        throw Error(at + ": this run (" + std::to_string(*year) +
                    ") must be the latest; compare later runs with landel compare");
    // The baseline is checked now, not after an hour of measuring.
    std::vector<RunFolder> shells(years.size());
    for (std::size_t r = 0; r < years.size(); ++r)
        shells[r].year = years[r];
    std::sort(shells.begin(), shells.end(), [](const RunFolder& a, const RunFolder& b) {
        return a.year < b.year;
    });
    const ComparisonSettings settings = settings_of(config);
    baseline_position(shells, settings.baseline_year, settings.baseline_key);
    return runs;
}

MonitoringOutputs write_monitoring(const Config& config,
                                   std::vector<RunFolder> earlier,
                                   const fs::path& dir,
                                   const fs::path& final_dir,
                                   RunLog& log)
{
    MonitoringOutputs out;
    if (!config.monitoring)
        return out;
    std::vector<fs::path> inputs;
    for (const RunFolder& run : earlier)
        for (const fs::path& file : run_folder_inputs(run.folder))
            inputs.push_back(file);
    earlier.push_back(this_run(config, dir, final_dir, log));
    Comparison c = line_up_runs(std::move(earlier), settings_of(config), log);
    c.words = output_language(config.language);
    compare_runs(c, {});
    log.info("monitoring: compared " + std::to_string(c.pairs.size()) + " pairs of years");

    nlohmann::ordered_json runs = nlohmann::ordered_json::array();
    for (const RunFolder& run : c.runs)
        runs.push_back({ { "folder", fs::absolute(run.folder).lexically_normal().string() },
                         { "year", run.year } });
    const int baseline = c.runs[c.baseline].year;
    const fs::path monitoring = dir / "monitoring";
    fs::create_directories(monitoring);
    for (const std::string& file :
         write_comparison(monitoring, c, inputs, false, log, std::size_t(config.max_area_maps)))
        out.files.push_back("monitoring/" + file);
    log_untranslated(*c.words, log);
    out.summary = { { "folder", "monitoring" },
                    { "runs", runs },
                    { "baseline_year", baseline },
                    { "tolerance_m", config.monitoring->tolerance_m },
                    { "outputs", out.files } };
    return out;
}

} // namespace landel::pipeline::detail
