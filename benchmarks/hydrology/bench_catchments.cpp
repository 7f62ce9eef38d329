// bench_catchments: times the catchment chain of landel::analysis::hydrology on one DEM, stage
// by stage, the way `landel delineate` runs it (pipeline/src/stages/delineation.cpp, catchments()):
// read the DEM (io::RasterSource, in its own CRS), fill_depressions, flow_directions,
// flow_accumulation, delineate_basins, each input freed as soon as the chain is done with it
// (the DEM after filling, the filled DEM after the directions). No merging of small basins, no
// z factor; with --polygons also the basins' polygons (analysis::label_polygons, stage
// "polygonize", after the total of the chain).
//
// Usage: bench_catchments DEM.tif --threshold-cells N [--basins links|outlets] [--threads T]
//                         [--labels-out LABELS.tif] [--cache-mb M] [--polygons]
//                         [--tiled SIDE [--scratch DIR] [--memory-mb M]]
// --tiled runs the chain out of memory (hydrology/tiled.h) in tiles of SIDE cells, their data
// in scratch files in DIR (default /tmp): the DEM read tile by tile, fill, directions (flats
// across tiles drained on windows of at most M MiB / 16 bytes), stream cells and basins; the
// labels are written tile by tile. No --polygons there.
//
// Prints to stdout, one record per line, space-separated key=value pairs:
//   stage=<name> seconds=<s> peak_rss_mib=<after the stage> rss_mib=<after the stage>
//   result cells=... valid_cells=... basins=... stream_basins=... stream_cells=...
//          threads=... peak_rss_mib=... bytes_per_cell=... total_seconds=...
// stream_basins counts the basins holding at least one stream cell (under links: one per
// stream link); the others are the small basins of edge and hole outlets no stream reaches.
// A tool, not library code: it talks to GDAL directly to get the DEM's CRS and to write the
// labels as an Int32 GeoTIFF (0 = nodata) on the DEM's grid.

#include "landel/analysis/delineation/label_polygons.h"
#include "landel/analysis/hydrology/hydrology.h"
#include "landel/analysis/hydrology/tiled.h"
#include "landel/core/error.h"
#include "landel/core/raster.h"
#include "landel/io/crs.h"
#include "landel/io/error.h"
#include "landel/io/raster_source.h"
#include "landel/io/scratch_tiles.h"

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <sys/resource.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace {

namespace hy = landel::analysis::hydrology;

struct Args
{
    std::string dem;
    double threshold_cells = 0.0;
    std::string basins = "links";
    int threads = 0;
    std::string labels_out;
    std::size_t cache_mb = 256;
    bool polygons = false;
    std::size_t tile_side = 0; ///< > 0: the chain out of memory (hydrology/tiled.h)
    std::string scratch = "/tmp";
    std::size_t memory_mb = 2048;
};

[[noreturn]] void usage(const std::string& why)
{
    std::fprintf(stderr,
                 "bench_catchments: %s\n"
                 "usage: bench_catchments DEM.tif --threshold-cells N [--basins links|outlets] "
                 "[--threads T] [--labels-out LABELS.tif] [--cache-mb M] [--polygons]\n"
                 "       [--tiled SIDE [--scratch DIR] [--memory-mb M]]\n",
                 why.c_str());
    std::exit(2);
}

Args parse(int argc, char** argv)
{
    Args a;
    bool have_threshold = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                usage(arg + " needs a value");
            return argv[++i];
        };
        try {
            if (arg == "--threshold-cells") {
                a.threshold_cells = std::stod(value());
                have_threshold = true;
            } else if (arg == "--basins") {
                a.basins = value();
            } else if (arg == "--threads") {
                a.threads = std::stoi(value());
            } else if (arg == "--labels-out") {
                a.labels_out = value();
            } else if (arg == "--cache-mb") {
                a.cache_mb = std::stoul(value());
            } else if (arg == "--polygons") {
                a.polygons = true;
            } else if (arg == "--tiled") {
                a.tile_side = std::stoul(value());
            } else if (arg == "--scratch") {
                a.scratch = value();
            } else if (arg == "--memory-mb") {
                a.memory_mb = std::stoul(value());
            } else if (arg == "-h" || arg == "--help") {
                usage("help");
            } else if (!arg.empty() && arg[0] == '-') {
                usage("unknown option " + arg);
            } else if (a.dem.empty()) {
                a.dem = arg;
            } else {
                usage("more than one DEM given");
            }
        } catch (const std::logic_error&) { // stod / stoi on a non-number
            usage("bad value for " + arg);
        }
    }
    if (a.dem.empty())
        usage("no DEM given");
    if (!have_threshold || !(a.threshold_cells > 0.0))
        usage("--threshold-cells must be given and positive");
    if (a.basins != "links" && a.basins != "outlets")
        usage("--basins must be links or outlets");
    if (a.threads < 0)
        usage("--threads must be positive");
    return a;
}

double peak_rss_mib()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0; // Linux: KiB
}

double current_rss_mib()
{
    std::ifstream statm("/proc/self/statm");
    std::size_t size = 0, resident = 0;
    statm >> size >> resident;
    return double(resident) * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

class Stages
{
public:
    Stages()
      : m_start(Clock::now())
      , m_lap(m_start)
    {
    }

    void done(const char* stage)
    {
        const Clock::time_point now = Clock::now();
        std::printf("stage=%s seconds=%.3f peak_rss_mib=%.0f rss_mib=%.0f\n",
                    stage,
                    std::chrono::duration<double>(now - m_lap).count(),
                    peak_rss_mib(),
                    current_rss_mib());
        std::fflush(stdout);
        m_lap = now;
    }

    double total() const { return std::chrono::duration<double>(m_lap - m_start).count(); }

private:
    using Clock = std::chrono::steady_clock;
    Clock::time_point m_start, m_lap;
};

/// The DEM's own CRS (the benchmark reads it as it is, no warping).
landel::io::Crs crs_of(const std::string& path)
{
    landel::io::initialise_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!ds)
        throw landel::io::IoError("cannot open '" + path + "'");
    const OGRSpatialReference* srs = ds->GetSpatialRef();
    if (!srs)
        throw landel::io::IoError("'" + path + "' has no CRS");
    return landel::io::Crs::from_srs(*srs);
}

/// An empty Int32 GeoTIFF for basin labels on @p g, 0 = nodata.
GDALDatasetUniquePtr create_labels(const std::string& path,
                                   const landel::Grid& g,
                                   const landel::io::Crs& crs)
{
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    if (!driver)
        throw landel::io::IoError("no GTiff driver in GDAL");
    const char* options[] = {
        "TILED=YES", "COMPRESS=DEFLATE", "PREDICTOR=2", "BIGTIFF=IF_SAFER", nullptr
    };
    GDALDatasetUniquePtr ds(driver->Create(
      path.c_str(), int(g.cols()), int(g.rows()), 1, GDT_Int32, const_cast<char**>(options)));
    if (!ds)
        throw landel::io::IoError("cannot create '" + path + "'");
    double transform[6] = { g.extent().xmin, g.dx(), 0.0, g.extent().ymax, 0.0, -g.dy() };
    ds->SetGeoTransform(transform);
    ds->SetSpatialRef(&crs.srs());
    GDALRasterBand* band = ds->GetRasterBand(1);
    band->SetNoDataValue(0.0);
    band->SetDescription("basin label");
    return ds;
}

/// Writes @p values (rows r0.. and columns c0.. of @p cols x @p rows cells) into @p ds.
void write_label_block(GDALDataset& ds,
                       const std::string& path,
                       std::size_t r0,
                       std::size_t c0,
                       std::size_t rows,
                       std::size_t cols,
                       const std::int32_t* values)
{
    if (ds.GetRasterBand(1)->RasterIO(GF_Write,
                                      int(c0),
                                      int(r0),
                                      int(cols),
                                      int(rows),
                                      const_cast<std::int32_t*>(values),
                                      int(cols),
                                      int(rows),
                                      GDT_Int32,
                                      0,
                                      0) != CE_None)
        throw landel::io::IoError("cannot write '" + path + "'");
}

/// Labels as an Int32 GeoTIFF on the grid of @p labels, 0 = nodata.
void write_labels(const std::string& path,
                  const landel::Raster<std::int32_t>& labels,
                  const landel::io::Crs& crs)
{
    GDALDatasetUniquePtr ds = create_labels(path, labels.grid(), crs);
    write_label_block(*ds, path, 0, 0, labels.rows(), labels.cols(), labels.values().data());
    ds.reset(); // closes and flushes
}

/// The chain out of memory: every raster in tiles in scratch files.
int run_tiled(const Args& a, const landel::io::Crs& crs, int threads)
{
    using landel::TiledRaster;
    namespace tiled = hy::tiled;
    Stages stages;
    landel::io::RasterOptions options;
    options.decode_threads = unsigned(threads);
    landel::io::RasterSource source(a.dem, "DEM", crs, options);
    const landel::Grid grid = source.info().grid;
    const landel::TileLayout layout(grid.rows(), grid.cols(), a.tile_side);
    const landel::TileStorageFactory storage = landel::io::scratch_tile_storage(a.scratch);
    const float nodata = std::numeric_limits<float>::quiet_NaN();
    TiledRaster<float> dem(layout, storage, nodata);
    for (std::size_t t = 0; t < layout.tiles(); ++t) {
        const landel::CellBox b = layout.box(t);
        const landel::Grid window(
          landel::Box{ grid.x_left(b.c0), grid.y_top(b.r1), grid.x_left(b.c1), grid.y_top(b.r0) },
          grid.dx(),
          grid.dy());
        landel::Raster<float> values = source.read_values(window);
        if (!values.mask().empty())
            for (std::size_t i = 0; i < values.values().size(); ++i)
                if (!values.mask()[i])
                    values.values()[i] = nodata;
        dem.write(t, values.values());
    }
    stages.done("read");
    TiledRaster<float> filled = tiled::fill_depressions(dem, storage);
    dem = TiledRaster<float>();
    stages.done("fill_depressions");
    const std::size_t max_window_cells = (a.memory_mb << 20) / 16;
    const TiledRaster<std::uint8_t> directions =
      tiled::flow_directions(filled, grid.dx(), grid.dy(), storage, max_window_cells);
    filled = TiledRaster<float>();
    stages.done("flow_directions");
    std::size_t stream_count = 0;
    const TiledRaster<std::uint8_t> streams =
      tiled::stream_cells(directions, a.threshold_cells, storage, stream_count);
    stages.done("stream_cells");
    const tiled::TiledBasins basins =
      tiled::delineate_basins(directions,
                              streams,
                              stream_count,
                              a.basins == "outlets" ? hy::BasinMode::Outlets : hy::BasinMode::Links,
                              storage);
    stages.done("delineate_basins");
    const double total = stages.total();
    const double peak = peak_rss_mib();
    std::printf("result cells=%zu rows=%zu cols=%zu basins=%zu stream_cells=%zu threads=%d "
                "tile_side=%zu total_seconds=%.3f peak_rss_mib=%.0f bytes_per_cell=%.2f\n",
                grid.size(),
                grid.rows(),
                grid.cols(),
                basins.downstream.size() - 1,
                stream_count,
                threads,
                a.tile_side,
                total,
                peak,
                peak * 1024.0 * 1024.0 / double(grid.size()));
    std::fflush(stdout);
    if (!a.labels_out.empty()) {
        GDALDatasetUniquePtr ds = create_labels(a.labels_out, grid, crs);
        for (std::size_t t = 0; t < layout.tiles(); ++t) {
            const landel::CellBox b = layout.box(t);
            const std::vector<std::int32_t> values = basins.labels.read(t);
            write_label_block(*ds, a.labels_out, b.r0, b.c0, b.rows(), b.cols(), values.data());
        }
        ds.reset();
        stages.done("write_labels");
    }
    return 0;
}

int run(const Args& a)
{
    const int threads = a.threads > 0 ? a.threads : tbb::info::default_concurrency();
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
    std::printf("config dem=%s threshold_cells=%.0f basins=%s threads=%d gdal_cache_mb=%zu\n",
                a.dem.c_str(),
                a.threshold_cells,
                a.basins.c_str(),
                threads,
                a.cache_mb);

    const landel::io::Crs crs = crs_of(a.dem);
    // GDAL's default block cache is 5% of RAM; the whole DEM is read once, block by block.
    landel::io::limit_block_cache(a.cache_mb << 20);
    if (a.tile_side > 0)
        return run_tiled(a, crs, threads);

    Stages stages;
    landel::Raster<float> dem;
    {
        landel::io::RasterOptions options; // as delineation.cpp: decoded on every thread
        options.decode_threads = unsigned(threads);
        landel::io::RasterSource source(a.dem, "DEM", crs, options);
        dem = source.read_values(source.info().grid);
    }
    const landel::Grid grid = dem.grid();
    stages.done("read");

    landel::Raster<float> filled = hy::fill_depressions(dem);
    dem = landel::Raster<float>(); // as delineation.cpp: the DEM goes once it is filled
    stages.done("fill_depressions");

    const landel::Raster<std::uint8_t> directions = hy::flow_directions(filled);
    filled = landel::Raster<float>(); // as delineation.cpp: accumulation and basins need no DEM
    stages.done("flow_directions");

    const landel::Raster<double> accumulation = hy::flow_accumulation(directions);
    stages.done("flow_accumulation");

    const hy::Basins basins =
      hy::delineate_basins(directions,
                           accumulation,
                           a.threshold_cells,
                           a.basins == "outlets" ? hy::BasinMode::Outlets : hy::BasinMode::Links);
    stages.done("delineate_basins");
    const double total = stages.total();
    const double peak = peak_rss_mib();
    if (a.polygons) {
        const std::vector<landel::analysis::BasinPolygon> polygons =
          landel::analysis::label_polygons(basins.labels);
        stages.done("polygonize");
        std::size_t bytes = 0;
        for (const landel::analysis::BasinPolygon& p : polygons)
            bytes += p.wkb.size();
        std::printf(
          "polygons labels=%zu wkb_mib=%.1f\n", polygons.size(), double(bytes) / (1 << 20));
    }

    // Counts, outside the timed stages.
    const std::size_t nbasins = basins.downstream.empty() ? 0 : basins.downstream.size() - 1;
    std::vector<std::uint8_t> has_stream(nbasins + 1, 0);
    std::size_t valid = 0;
    const std::vector<std::int32_t>& label = basins.labels.values();
    const std::vector<double>& acc = accumulation.values();
    for (std::size_t i = 0; i < label.size(); ++i) {
        if (label[i] <= 0)
            continue;
        ++valid;
        if (acc[i] >= a.threshold_cells)
            has_stream[std::size_t(label[i])] = 1;
    }
    std::size_t stream_basins = 0;
    for (std::uint8_t s : has_stream)
        stream_basins += s;
    double max_acc = 0.0;
    for (double v : acc)
        max_acc = v > max_acc ? v : max_acc;

    std::printf("result cells=%zu rows=%zu cols=%zu valid_cells=%zu basins=%zu stream_basins=%zu "
                "stream_cells=%zu max_accumulation=%.0f threads=%d total_seconds=%.3f "
                "peak_rss_mib=%.0f bytes_per_cell=%.2f\n",
                grid.size(),
                grid.rows(),
                grid.cols(),
                valid,
                nbasins,
                stream_basins,
                basins.stream_cells,
                max_acc,
                threads,
                total,
                peak,
                peak * 1024.0 * 1024.0 / double(grid.size()));
    std::fflush(stdout);

    if (!a.labels_out.empty()) {
        write_labels(a.labels_out, basins.labels, crs);
        stages.done("write_labels");
    }
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    const Args a = parse(argc, argv);
    try {
        return run(a);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_catchments: error: %s\n", e.what());
        return 1;
    }
}
