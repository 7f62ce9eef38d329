#include "stages/delineation.h"

#include "job/progress.h"

#include "landel/analysis/delineation/catchment_areas.h"
#include "landel/analysis/delineation/label_polygons.h"
#include "landel/analysis/delineation/overlay_delineation.h"
#include "landel/analysis/hydrology/hydrology.h"
#include "landel/core/error.h"
#include "landel/geometry/ops.h"
#include "landel/io/raster_source.h"
#include "landel/io/raster_vector.h"
#include "landel/io/vector_source.h"

#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <map>
#include <sstream>

#include <unistd.h>

namespace landel::pipeline::detail {

namespace fs = std::filesystem;

namespace {

/// Peak memory of the catchment chain per DEM cell: 18.6 measured on 400 M cells
/// (benchmarks/hydrology), rounded up for DEMs with larger flats (README, "Memory").
constexpr double bytes_per_dem_cell = 23.0;

/// Installed memory, or 0 when unknown.
double physical_memory_bytes()
{
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long size = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && size > 0 ? double(pages) * double(size) : 0.0;
}

/// Reads one vector source whole, recording its files and CRS transform.
std::vector<io::VectorFeature> read_vector(const SourceConfig& src,
                                           const io::Crs& crs,
                                           LoadedInputs& inputs,
                                           const std::string& field = {},
                                           const std::string& name_field = {})
{
    io::VectorRequest r = vector_request(src);
    if (!field.empty()) {
        r.fields.push_back(field);
        r.field_keys.push_back("field");
    }
    if (!name_field.empty()) {
        r.fields.push_back(name_field);
        r.field_keys.push_back("name_field");
    }
    return open_recorded(r, crs, inputs)->read();
}

DelineatedAreas overlay(const Config& config,
                        const io::Crs& crs,
                        RunLog& log,
                        LoadedInputs& inputs,
                        const std::vector<std::string>& study_area_wkb,
                        const Progress& progress)
{
    analysis::OverlayRequest request;
    for (const AreaLayerConfig& layer : config.areas.layers) {
        analysis::ClassLayer cl;
        cl.label = layer.label + " ('" + layer.path.filename().string() + "')";
        cl.field = layer.field;
        cl.names_areas = !layer.name_field.empty();
        std::size_t without = 0;
        for (io::VectorFeature& f :
             read_vector(layer, crs, inputs, layer.field, layer.name_field)) {
            // A feature without a class value classifies nothing: its land stays unclassified
            // unless another feature of the layer covers it.
            if (f.fields[0].null || f.fields[0].text.empty()) {
                ++without;
                continue;
            }
            cl.features.push_back({ std::move(f.wkb),
                                    f.fields[0].text,
                                    f.fid,
                                    cl.names_areas && !f.fields[1].null ? f.fields[1].text : "" });
        }
        if (without)
            log.warning(cl.label + ": " + std::to_string(without) + " features have no '" +
                        layer.field + "' value and classify nothing");
        log.info(cl.label + ": " + std::to_string(cl.features.size()) + " class polygons");
        request.layers.push_back(std::move(cl));
    }
    request.study_area_wkb = study_area_wkb;
    request.min_area_ha = config.areas.min_area_ha;
    request.progress = progress;
    analysis::OverlayResult result = analysis::delineate_overlay(request);

    DelineatedAreas out;
    out.label = config.where(config.areas.method_line) + ": areas (overlay)";
    for (analysis::DelineatedArea& a : result.areas) {
        analysis::AreaFeature f;
        f.id = std::move(a.id);
        f.name = std::move(a.name);
        f.cls = std::move(a.cls);
        f.wkb = std::move(a.wkb);
        out.areas.push_back(std::move(f));
    }
    for (const std::string& w : result.warnings)
        log.warning(w);
    std::ostringstream note;
    note << "overlay of " << config.areas.layers.size() << " layer(s): " << out.areas.size()
         << " areas, " << result.merged_parts << " parts under " << config.areas.min_area_ha
         << " ha merged into a neighbour";
    out.notes.push_back(note.str());
    return out;
}

DelineatedAreas catchments(const Config& config,
                           const io::Crs& crs,
                           RunLog& log,
                           LoadedInputs& inputs,
                           const std::vector<std::string>& study_area_wkb,
                           const Progress& progress)
{
    namespace hy = analysis::hydrology;
    const DemConfig& cfg = *config.areas.dem;
    auto report = [&progress](double f, const char* stage) { report_progress(progress, f, stage); };

    io::RasterOptions options;
    options.assume_crs = cfg.assume_crs;
    options.resample = cfg.resample;
    options.resample_hint = "resample = \"bilinear\" in [areas.dem]";
    // The DEM is read whole, with nothing else running: GDAL may decode on every thread.
    options.decode_threads = unsigned(tbb::this_task_arena::max_concurrency());
    // GDAL's block cache would otherwise take 5% of RAM on top of the DEM in memory.
    io::limit_block_cache((config.memory_mb << 20) / 4);
    io::RasterSource source(cfg.path, cfg.label, crs, options);
    record_files(inputs, source.info().files);
    const Grid grid = source.info().grid;
    // Catchments are computed in memory (README: about 23 bytes per cell at the peak); say so
    // before reading rather than fail half-way or swap.
    const double need = double(grid.cols()) * double(grid.rows()) * bytes_per_dem_cell;
    const double have = physical_memory_bytes();
    if (have > 0 && need > have)
        throw Error(cfg.label + ": '" + cfg.path.string() + "' has " + std::to_string(grid.cols()) +
                    " x " + std::to_string(grid.rows()) + " cells, which need about " +
                    std::to_string(int(std::ceil(need / double(1ull << 30)))) +
                    " GiB in memory; this machine has " +
                    std::to_string(int(have / double(1ull << 30))) +
                    " GiB: crop the DEM to the land draining into the study area");
    {
        std::ostringstream msg;
        msg << std::fixed << std::setprecision(2) << cfg.label << ": " << grid.cols() << " x "
            << grid.rows() << " cells, computed in memory: about " << need / double(1ull << 30)
            << " GiB at the peak (estimate, " << std::setprecision(0) << bytes_per_dem_cell
            << " bytes per cell)";
        log.info(msg.str());
    }
    Raster<float> dem = source.read_values(grid);
    // Elevations in metres; NaN and infinities (a nodata value the file does not declare, or
    // an overflow of z_factor) are nodata too.
    std::size_t not_finite = 0;
    {
        std::vector<float>& z = dem.values();
        std::vector<std::uint8_t>& mask = dem.mask();
        for (std::size_t i = 0; i < z.size(); ++i) {
            if (!mask.empty() && !mask[i])
                continue;
            const float v = float(double(z[i]) * cfg.z_factor);
            if (std::isfinite(v)) {
                z[i] = v;
                continue;
            }
            if (mask.empty())
                mask.assign(z.size(), 1);
            mask[i] = 0;
            z[i] = 0.0f;
            ++not_finite;
        }
    }
    report(0.1, "dem");

    DelineatedAreas out;
    out.label = config.where(config.areas.method_line) + ": areas (catchments of '" +
                cfg.path.filename().string() + "')";
    if (not_finite)
        log.warning(cfg.label + ": '" + cfg.path.string() + "' has " + std::to_string(not_finite) +
                    " cells that are not finite numbers (NaN or infinite) and not declared nodata; "
                    "they are treated as nodata");
    if (cfg.burn) {
        std::vector<std::string> lines;
        for (io::VectorFeature& f : read_vector(*cfg.burn, crs, inputs))
            lines.push_back(std::move(f.wkb));
        const std::vector<std::uint8_t> burn = io::rasterize_touched(grid, lines);
        hy::burn_streams(dem, burn, float(cfg.burn_depth_m));
        std::ostringstream note;
        note << lines.size() << " watercourses burnt " << cfg.burn_depth_m << " m into the DEM";
        out.notes.push_back(note.str());
    }
    if (cfg.fill_holes) {
        const std::size_t filled = hy::fill_nodata_holes(dem);
        out.notes.push_back(std::to_string(filled) + " nodata cells in holes filled");
    }
    Raster<float> filled = hy::fill_depressions(dem);
    dem = Raster<float>(); // the largest buffers go as soon as they are used
    report(0.35, "filling");
    Raster<std::uint8_t> directions = hy::flow_directions(filled);
    report(0.55, "flow directions");
    filled = Raster<float>();
    Raster<double> accumulation = hy::flow_accumulation(directions);
    report(0.7, "accumulation");

    const double cell_m2 = grid.cell_area();
    const double threshold_cells = cfg.min_catchment_ha * 1e4 / cell_m2;
    std::size_t stream_cells = 0;
    analysis::CatchmentAreasRequest request;
    {
        hy::Basins basins = hy::delineate_basins(
          directions,
          accumulation,
          threshold_cells,
          cfg.basins == Basins::Outlets ? hy::BasinMode::Outlets : hy::BasinMode::Links);
        accumulation = Raster<double>();
        directions = Raster<std::uint8_t>();
        // Small basins merge on the grid first (cheap); what clipping leaves small merges below.
        if (config.areas.min_area_ha > 0.0)
            hy::merge_small_basins(
              basins, std::size_t(std::ceil(config.areas.min_area_ha * 1e4 / cell_m2)));
        stream_cells = basins.stream_cells;
        report(0.8, "basins");
        // Polygons along cell edges, one (multi)polygon per basin.
        request.polygons = analysis::label_polygons(basins.labels);
        request.downstream = std::move(basins.downstream);
    }
    report(0.9, "polygons");
    request.study_area_wkb = study_area_wkb;
    request.min_area_m2 = config.areas.min_area_ha * 1e4;
    analysis::CatchmentAreasResult areas = analysis::catchment_areas(request);
    out.areas = std::move(areas.areas);
    report(1.0, "areas");
    if (out.areas.empty())
        throw Error(out.label + ": gives no catchment inside the study area");
    std::ostringstream note;
    note << "catchments (" << to_string(cfg.basins) << ") of " << grid.cols() << " x "
         << grid.rows() << " cells of " << grid.dx() << " m: streams from " << cfg.min_catchment_ha
         << " ha (" << stream_cells << " stream cells), " << out.areas.size() << " areas";
    if (!study_area_wkb.empty())
        note << "; " << areas.clipped_away << " basins wholly outside the study area";
    note << "; " << areas.merged << " basins under " << config.areas.min_area_ha
         << " ha inside the study area merged downstream or into their longest-border neighbour";
    if (areas.fragments_moved)
        note << "; " << areas.fragments_moved
             << " small detached parts (cells joined at a corner only, or cut off by the study "
                "area's outline) moved to the catchment they border most";
    if (areas.gaps_m2 > 0)
        note << "; " << areas.gaps_m2 / 1e4 << " ha of DEM nodata inside the study area given to "
             << "neighbouring catchments";
    if (areas.uncovered_m2 > 0)
        log.warning(
          out.label + ": " + std::to_string(areas.uncovered_m2 / 1e4) +
          " ha of the study area has no DEM cells and no catchment beside it; it is in no area");
    out.notes.push_back(note.str());
    for (const std::string& n : out.notes)
        log.info(n);
    return out;
}

} // namespace

DelineatedAreas delineate_areas(const Config& config,
                                const io::Crs& crs,
                                RunLog& log,
                                LoadedInputs& inputs,
                                const std::vector<std::string>& study_area_wkb,
                                const Progress& progress)
{
    if (config.areas.method == AreasMethod::Overlay)
        return overlay(config, crs, log, inputs, study_area_wkb, progress);
    if (config.areas.method == AreasMethod::Catchments)
        return catchments(config, crs, log, inputs, study_area_wkb, progress);
    throw Error(config.where(config.areas.method_line) + ": areas.method = \"" +
                to_string(config.areas.method) + "\" delineates nothing");
}

} // namespace landel::pipeline::detail
