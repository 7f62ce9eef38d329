#include "stages/delineation.h"

#include "job/progress.h"

#include "landel/analysis/delineation/catchment_areas.h"
#include "landel/analysis/delineation/label_polygons.h"
#include "landel/analysis/delineation/overlay_delineation.h"
#include "landel/analysis/hydrology/hydrology.h"
#include "landel/analysis/hydrology/tiled.h"
#include "landel/core/error.h"
#include "landel/geometry/geos_context.h"
#include "landel/geometry/ops.h"
#include "landel/io/raster_source.h"
#include "landel/io/raster_vector.h"
#include "landel/io/scratch_tiles.h"
#include "landel/io/vector_source.h"

#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <limits>
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

/// Elevations in metres (× z_factor); NaN and infinities (a nodata value the file does not
/// declare, or an overflow of z_factor) become nodata. Returns how many cells that was.
std::size_t to_metres(Raster<float>& dem, double z_factor)
{
    std::size_t not_finite = 0;
    std::vector<float>& z = dem.values();
    std::vector<std::uint8_t>& mask = dem.mask();
    for (std::size_t i = 0; i < z.size(); ++i) {
        if (!mask.empty() && !mask[i])
            continue;
        const float v = float(double(z[i]) * z_factor);
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
    return not_finite;
}

/// What the grid chain hands on to the catchments.
struct GridBasins
{
    std::vector<analysis::BasinPolygon> polygons;
    std::vector<std::int32_t> downstream;
    std::size_t stream_cells = 0;
    std::size_t not_finite = 0; ///< DEM cells read as nodata for not being finite
};

/// Per thread, the bytes a tile's cell takes in the tiled chain's largest stage (draining a
/// tile's flats: elevations, directions, flat labels and gradients with copies; filling takes
/// about 20), and per cell of a crossing flat's window (elevations, mask, directions, labels,
/// gradients and their copies).
constexpr double tiled_bytes_per_tile_cell = 32.0;
constexpr double tiled_bytes_per_window_cell = 20.0;
/// Scratch files at most at once: the DEM, the filled DEM and the fill's labels (4 bytes each).
constexpr double tiled_scratch_bytes_per_cell = 12.0;

/// Tiles as large as half the budget allows with every thread holding one (a power-of-two
/// multiple of 256 cells, 256 to 4096 on a side): fewer, larger tiles mean fewer border cells.
std::size_t tile_side_for(std::size_t memory_mb)
{
    const double threads = double(std::max(1, tbb::this_task_arena::max_concurrency()));
    const double cells = double(memory_mb << 20) / 2.0 / (threads * tiled_bytes_per_tile_cell);
    std::size_t side = 256;
    while (side < 4096 && double(side * 2) * double(side * 2) <= cells)
        side *= 2;
    return side;
}

/// The grid chain in memory: the DEM, filled, directions, accumulation and labels in turn.
GridBasins basins_in_memory(const DemConfig& cfg,
                            io::RasterSource& source,
                            const std::vector<std::string>& burn_lines,
                            double threshold_cells,
                            std::size_t min_cells,
                            std::vector<std::string>& notes,
                            const Progress& progress)
{
    namespace hy = analysis::hydrology;
    auto report = [&progress](double f, const char* stage) { report_progress(progress, f, stage); };
    const Grid grid = source.info().grid;
    GridBasins out;
    Raster<float> dem = source.read_values(grid);
    out.not_finite = to_metres(dem, cfg.z_factor);
    report(0.1, "dem");
    if (cfg.burn)
        hy::burn_streams(dem, io::rasterize_touched(grid, burn_lines), float(cfg.burn_depth_m));
    if (cfg.fill_holes) {
        const std::size_t filled = hy::fill_nodata_holes(dem);
        notes.push_back(std::to_string(filled) + " nodata cells in holes filled");
    }
    Raster<float> filled = hy::fill_depressions(dem);
    dem = Raster<float>(); // the largest buffers go as soon as they are used
    report(0.35, "filling");
    Raster<std::uint8_t> directions = hy::flow_directions(filled);
    report(0.55, "flow directions");
    filled = Raster<float>();
    Raster<double> accumulation = hy::flow_accumulation(directions);
    report(0.7, "accumulation");
    hy::Basins basins = hy::delineate_basins(directions,
                                             accumulation,
                                             threshold_cells,
                                             cfg.basins == Basins::Outlets ? hy::BasinMode::Outlets
                                                                           : hy::BasinMode::Links);
    accumulation = Raster<double>();
    directions = Raster<std::uint8_t>();
    // Small basins merge on the grid first (cheap); what clipping leaves small merges below.
    if (min_cells > 0)
        hy::merge_small_basins(basins, min_cells);
    out.stream_cells = basins.stream_cells;
    report(0.8, "basins");
    // Polygons along cell edges, one (multi)polygon per basin.
    out.polygons = analysis::label_polygons(basins.labels);
    out.downstream = std::move(basins.downstream);
    return out;
}

/// The grid chain out of memory (hydrology/tiled.h): every raster in tiles of @p side cells in
/// scratch files in @p scratch, each stage working a tile per thread.
GridBasins basins_in_tiles(const DemConfig& cfg,
                           io::RasterSource& source,
                           const std::vector<std::string>& burn_lines,
                           double threshold_cells,
                           std::size_t min_cells,
                           std::size_t side,
                           std::size_t memory_mb,
                           const fs::path& scratch,
                           std::vector<std::string>& notes,
                           const Progress& progress)
{
    namespace hy = analysis::hydrology;
    namespace tiled = analysis::hydrology::tiled;
    const auto stage = [&progress](double from, double to) {
        return progress ? Progress([&progress, from, to](double f, std::string_view what) {
            return progress(from + (to - from) * f, what);
        })
                        : Progress();
    };
    const Grid grid = source.info().grid;
    const TileLayout layout(grid.rows(), grid.cols(), side);
    const TileStorageFactory storage = io::scratch_tile_storage(scratch);
    const float nodata = std::numeric_limits<float>::quiet_NaN();
    GridBasins out;
    // Each tile burns only the watercourses near it (their envelopes, a cell around the tile).
    std::vector<Box> burn_boxes;
    {
        const geometry::GeosContext ctx;
        for (const std::string& wkb : burn_lines)
            burn_boxes.push_back(geometry::envelope(ctx, geometry::from_wkb(ctx, wkb).get()));
    }
    TiledRaster<float> dem(layout, storage, nodata);
    for (std::size_t t = 0; t < layout.tiles(); ++t) {
        const CellBox b = layout.box(t);
        const Grid window(
          Box{ grid.x_left(b.c0), grid.y_top(b.r1), grid.x_left(b.c1), grid.y_top(b.r0) },
          grid.dx(),
          grid.dy());
        Raster<float> values = source.read_values(window);
        out.not_finite += to_metres(values, cfg.z_factor);
        if (cfg.burn) {
            const Box near = grown(window.extent(), std::max(grid.dx(), grid.dy()));
            std::vector<std::string> lines;
            for (std::size_t k = 0; k < burn_lines.size(); ++k)
                if (burn_boxes[k].intersects(near))
                    lines.push_back(burn_lines[k]);
            hy::burn_streams(values, io::rasterize_touched(window, lines), float(cfg.burn_depth_m));
        }
        if (!values.mask().empty())
            for (std::size_t i = 0; i < values.values().size(); ++i)
                if (!values.mask()[i])
                    values.values()[i] = nodata;
        dem.write(t, values.values());
        report_progress(progress, 0.1 * double(t + 1) / double(layout.tiles()), "dem");
    }
    if (cfg.fill_holes)
        notes.push_back(std::to_string(tiled::fill_nodata_holes(dem)) +
                        " nodata cells in holes filled");
    TiledRaster<float> filled = tiled::fill_depressions(dem, storage, stage(0.1, 0.35));
    dem = TiledRaster<float>();
    const auto max_window_cells =
      std::size_t(double(memory_mb << 20) / tiled_bytes_per_window_cell);
    const TiledRaster<std::uint8_t> directions = tiled::flow_directions(
      filled, grid.dx(), grid.dy(), storage, max_window_cells, stage(0.35, 0.55));
    filled = TiledRaster<float>();
    const TiledRaster<std::uint8_t> streams =
      tiled::stream_cells(directions, threshold_cells, storage, out.stream_cells, stage(0.55, 0.7));
    tiled::TiledBasins basins = tiled::delineate_basins(
      directions,
      streams,
      out.stream_cells,
      cfg.basins == Basins::Outlets ? hy::BasinMode::Outlets : hy::BasinMode::Links,
      storage,
      stage(0.7, 0.8));
    if (min_cells > 0)
        tiled::merge_small_basins(basins, min_cells);
    out.polygons = analysis::label_polygons(grid, basins.labels);
    out.downstream = std::move(basins.downstream);
    return out;
}

DelineatedAreas catchments(const Config& config,
                           const io::Crs& crs,
                           RunLog& log,
                           LoadedInputs& inputs,
                           const std::vector<std::string>& study_area_wkb,
                           const Progress& progress)
{
    const DemConfig& cfg = *config.areas.dem;
    auto report = [&progress](double f, const char* stage) { report_progress(progress, f, stage); };

    io::RasterOptions options;
    options.assume_crs = cfg.assume_crs;
    options.resample = cfg.resample;
    options.resample_hint = "resample = \"bilinear\" in [areas.dem]";
    // The DEM is read with nothing else running: GDAL may decode on every thread.
    options.decode_threads = unsigned(tbb::this_task_arena::max_concurrency());
    // GDAL's block cache would otherwise take 5% of RAM on top of the DEM in memory.
    io::limit_block_cache((config.memory_mb << 20) / 4);
    io::RasterSource source(cfg.path, cfg.label, crs, options);
    record_files(inputs, source.info().files);
    const Grid grid = source.info().grid;
    // In memory the chain takes about 23 bytes per cell at the peak (delineation.md, "Memory");
    // beyond run.memory_mb it runs in tiles. Say which before reading.
    const double need = double(grid.cols()) * double(grid.rows()) * bytes_per_dem_cell;
    const double have = physical_memory_bytes();
    const bool beyond_budget = need > double(config.memory_mb << 20);
    const bool beyond_machine = have > 0 && need > have;
    const bool in_tiles = cfg.tile_side > 0 || beyond_budget || beyond_machine;
    const std::size_t side = cfg.tile_side > 0 ? cfg.tile_side : tile_side_for(config.memory_mb);
    const fs::path scratch = fs::temp_directory_path();
    // Scratch files hold at most the DEM, the filled DEM and the fill's labels at once.
    const double scratch_need = double(grid.size()) * tiled_scratch_bytes_per_cell;
    const auto gib = [](double bytes) {
        std::ostringstream text;
        text << std::fixed << std::setprecision(bytes < double(1ull << 30) ? 2 : 1)
             << bytes / double(1ull << 30) << " GiB";
        return text.str();
    };
    if (in_tiles) {
        std::error_code failed;
        const fs::space_info space = fs::space(scratch, failed);
        if (!failed && double(space.available) < scratch_need)
            throw Error(cfg.label + ": '" + cfg.path.string() + "' has " +
                        std::to_string(grid.cols()) + " x " + std::to_string(grid.rows()) +
                        " cells, which need about " + gib(scratch_need) + " of scratch space in " +
                        scratch.string() + " (TMPDIR), which has " + gib(double(space.available)) +
                        " free: point TMPDIR at a larger disk, or crop the DEM to the land "
                        "draining into the study area");
    }
    {
        std::ostringstream msg;
        msg << cfg.label << ": " << grid.cols() << " x " << grid.rows()
            << " cells, in memory about " << gib(need) << " at the peak (estimate, "
            << bytes_per_dem_cell << " bytes per cell); ";
        if (cfg.tile_side > 0)
            msg << "computed in tiles as asked (tile_side)";
        else if (in_tiles)
            msg << "more than "
                << (beyond_budget ? "run.memory_mb = " + std::to_string(config.memory_mb) : "")
                << (beyond_budget && beyond_machine ? " and " : "")
                << (beyond_machine ? "this machine's memory" : "") << ": computed in tiles";
        else
            msg << "computed in memory";
        if (in_tiles)
            msg << " of " << side << " x " << side << " cells, with up to about "
                << gib(scratch_need) << " of scratch files in " << scratch.string()
                << " (TMPDIR; deleted as they are done with)";
        log.info(msg.str());
    }

    DelineatedAreas out;
    out.label = config.where(config.areas.method_line) + ": areas (catchments of '" +
                cfg.path.filename().string() + "')";
    std::vector<std::string> burn_lines;
    if (cfg.burn) {
        for (io::VectorFeature& f : read_vector(*cfg.burn, crs, inputs))
            burn_lines.push_back(std::move(f.wkb));
        std::ostringstream note;
        note << burn_lines.size() << " watercourses burnt " << cfg.burn_depth_m
             << " m into the DEM";
        out.notes.push_back(note.str());
    }
    const double cell_m2 = grid.cell_area();
    const double threshold_cells = cfg.min_catchment_ha * 1e4 / cell_m2;
    const std::size_t min_cells =
      config.areas.min_area_ha > 0.0
        ? std::size_t(std::ceil(config.areas.min_area_ha * 1e4 / cell_m2))
        : 0;
    GridBasins basins =
      in_tiles ? basins_in_tiles(cfg,
                                 source,
                                 burn_lines,
                                 threshold_cells,
                                 min_cells,
                                 side,
                                 config.memory_mb,
                                 scratch,
                                 out.notes,
                                 progress)
               : basins_in_memory(
                   cfg, source, burn_lines, threshold_cells, min_cells, out.notes, progress);
    if (basins.not_finite)
        log.warning(cfg.label + ": '" + cfg.path.string() + "' has " +
                    std::to_string(basins.not_finite) +
                    " cells that are not finite numbers (NaN or infinite) and not declared nodata; "
                    "they are treated as nodata");
    const std::size_t stream_cells = basins.stream_cells;
    analysis::CatchmentAreasRequest request;
    request.polygons = std::move(basins.polygons);
    request.downstream = std::move(basins.downstream);
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
