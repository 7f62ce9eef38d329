#include "landel/core/progress.h"
#include "landel/pipeline/run.h"

#include "stages/bid_stage.h"
#include "stages/bid_workbook.h"
#include "stages/inputs.h"
#include "landel/analysis/measurement/measurement.h"
#include "landel/io/geotiff_writer.h"
#include "landel/io/raster_source.h"
#include "landel/io/table_writers.h"
#include "landel/pipeline/output_folder.h"
#include "stages/manifest.h"
#include "stages/map_outputs.h"
#include "stages/qgis_outputs.h"
#include "stages/result_tables.h"
#include "stages/run_stages.h"

#include <chrono>
#include <fstream>

namespace landel::pipeline {

namespace fs = std::filesystem;

const char* version()
{
    return LANDEL_VERSION; // from project(VERSION) in CMakeLists.txt
}

namespace {

class Stopwatch
{
public:
    double lap()
    {
        const auto now = std::chrono::steady_clock::now();
        const double s = std::chrono::duration<double>(now - m_last).count();
        m_last = now;
        return s;
    }

private:
    std::chrono::steady_clock::time_point m_last = std::chrono::steady_clock::now();
};

} // namespace

namespace detail {

RunOutcome write_run(const Config& config, const io::Crs& crs, StagedFolder& folder, LoadedInputs& inputs,
                     analysis::MeasureResult& result, const BidSetup& bid_setup,
                     std::vector<std::pair<std::string, double>> timings, const RunOptions& options, RunLog& log)
{
    Stopwatch clock;
    for (const std::string& w : inputs.warped_rasters)
        log.warning(w);
    for (const std::string& w : result.warnings)
        log.warning(w);
    for (const std::string& n : result.raster_notes)
        log.info(n);

    const std::vector<std::string> regions = area_regions(config, crs, result, inputs);
    const std::vector<double> free_edges = area_free_edges(config, crs, result, inputs);
    const AreaBids bids = compute_bids(config, bid_setup, result, regions, free_edges, log);
    timings.emplace_back("bid", clock.lap());
    inputs.files.push_back(bid_setup.catalogue_path);
    inputs.files.push_back(bid_setup.mixes_path);

    const std::vector<std::string> sources = map_sources(config);
    const std::vector<std::string> maps = write_maps(folder.path(), config, crs, result, bids, sources);
    timings.emplace_back("maps", clock.lap());
    std::vector<std::string> outputs =
      write_area_outputs(folder.path(), config, crs, result, inputs.type_kinds, bid_setup, bids);
    outputs.insert(outputs.end(), maps.begin(), maps.end());
    if (!result.density.grid().empty()) {
        io::write_float_geotiff(folder.path() / "element_density.tif", result.density, crs, -1.0f,
                                "element share of each cell (element m2 / cell m2)");
        double top = 0.0;
        for (float v : result.density.values())
            top = std::max(top, double(v));
        // A ramp up to twice the 10% target, or to the highest share when that is lower.
        io::write_share_qml(folder.path() / "element_density.qml", std::min(0.2, top > 0 ? top : 0.2));
        outputs.insert(outputs.end(), { "element_density.tif", "element_density.qml" });
    }
    write_qgis_project(folder.path(), config, crs, !result.density.grid().empty());
    outputs.insert(outputs.end(), { "landel.qgs", "summary.json", "landel.log" });
    timings.emplace_back("write", clock.lap());

    ManifestContext manifest{ config, inputs, result, log.warnings(), timings, options.threads, outputs,
                              options.batch ? &*options.batch : nullptr, &options.scope };
    write_summary(folder.path(), manifest_json(manifest));

    log.info("measured " + std::to_string(result.areas.size()) + " areas; writing " +
             folder.final_path().string());
    return finish_job(folder, log, options.progress, totals_of(result));
}

analysis::MeasureResult measure_loaded(const Config& config, LoadedInputs& inputs, const Progress& progress,
                                       std::vector<std::pair<std::string, double>>& timings)
{
    inputs.request.progress = progress;
    // The budget covers landel's cell buffers; GDAL's block cache gets a quarter more.
    inputs.request.raster_memory_bytes = config.memory_mb << 20;
    inputs.request.density_cell_m = config.density_cell_m;
    io::limit_block_cache((config.memory_mb << 20) / 4);
    analysis::MeasureResult result = analysis::measure(inputs.request);
    for (const auto& t : result.timings_s)
        timings.emplace_back("measure." + t.first, t.second);
    return result;
}

} // namespace detail

RunOutcome run(const Config& config, const RunOptions& options)
{
    RunLog log(options.log_file, options.on_warning, options.on_info);
    try {
        log.info(std::string("landel ") + version() + " run of " + config.file.string());
        const detail::OutputTarget target = detail::output_target(config, options.out);
        const io::Crs crs = detail::run_crs(config);
        StagedFolder folder(target.path, target.as_given, options.overwrite, detail::config_paths(config));

        Stopwatch clock;
        std::vector<std::pair<std::string, double>> timings;
        // The bid's catalogue first: a bad cost file should fail before an hour of measuring.
        const detail::BidSetup bid_setup = detail::load_bid_setup(config);
        // Reading gets the first fifth of the progress bar, measuring the rest.
        detail::LoadedInputs inputs = detail::load_inputs(
          config, crs, log, true, detail::progress_slice(options.progress, 0.0, 0.2),
          options.scope);
        timings.emplace_back("read", clock.lap());
        analysis::MeasureResult result =
          detail::measure_loaded(config, inputs, detail::progress_slice(options.progress, 0.2, 1.0), timings);
        return detail::write_run(config, crs, folder, inputs, result, bid_setup, std::move(timings), options, log);
    } catch (...) {
        detail::rethrow_job_error(log, config, options);
    }
}

std::vector<std::string> validate(const Config& config)
{
    RunLog log;
    const io::Crs crs = detail::run_crs(config);
    detail::LoadedInputs inputs = detail::load_inputs(config, crs, log, false);
    std::vector<std::string> lines{ config.where(config.crs_line) + ": run.crs " + crs.describe() };
    lines.insert(lines.end(), inputs.checked.begin(), inputs.checked.end());
    const detail::BidSetup setup = detail::load_bid_setup(config);
    lines.push_back("bid: catalogue '" + setup.catalogue_path.string() + "' (" +
                    std::to_string(setup.catalogue.entries.size()) + " types), mixes '" +
                    setup.mixes_path.string() + "' (" + std::to_string(setup.mixes.size()) + " regions)");
    for (const std::string& line : detail::check_bid_layers(config, crs))
        lines.push_back(line);
    return lines;
}

} // namespace landel::pipeline
