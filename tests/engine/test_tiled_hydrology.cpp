// The catchment chain out of memory (hydrology/tiled.h) against the in-memory chain: on DEMs
// whose basins, flats, depressions and nodata holes cross tile borders, every stage (filled
// surface, directions, stream cells, basin labels and their downstream basins, merged basins)
// equals the in-memory result cell for cell, for tiles of several sides and 1, 2 and 8 threads.
#include "landel/analysis/hydrology/hydrology.h"
#include "landel/analysis/hydrology/tiled.h"
#include "landel/core/error.h"
#include "landel/core/tiled_raster.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <limits>
#include <random>

using namespace landel;
using namespace landel::analysis::hydrology;

namespace {

/// A DEM with wide bowls (depressions across tiles), whole-metre steps (flats across tiles),
/// noise, and nodata blobs (holes crossing tile borders and the grid edge).
Raster<float> dem_of(std::size_t rows, std::size_t cols, unsigned seed, float step)
{
    std::mt19937 random(seed);
    std::uniform_real_distribution<float> noise(0.0f, 1.0f);
    Raster<float> dem(Grid(Box{ 0.0, 0.0, 5.0 * double(cols), 5.0 * double(rows) }, 5.0, 5.0));
    dem.mask().assign(rows * cols, 1);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
            const float x = float(c), y = float(r);
            const float z = 20.0f + 6.0f * std::sin(x / 11.0f) * std::cos(y / 8.0f) +
                            0.05f * (x + y) + 0.8f * noise(random);
            dem(r, c) = step * std::floor(z / step);
        }
    std::uniform_int_distribution<std::size_t> row(0, rows - 1), col(0, cols - 1);
    for (int blob = 0; blob < 5; ++blob) {
        const std::size_t r0 = row(random), c0 = col(random);
        for (std::size_t r = r0; r < std::min(rows, r0 + 4); ++r)
            for (std::size_t c = c0; c < std::min(cols, c0 + 7); ++c)
                dem.mask()[r * cols + c] = 0;
    }
    return dem;
}

template<class T>
TiledRaster<T> to_tiles(const std::vector<T>& values,
                        std::size_t rows,
                        std::size_t cols,
                        std::size_t side,
                        T outside)
{
    const TileLayout layout(rows, cols, side);
    TiledRaster<T> tiled(layout, memory_tile_storage, outside);
    for (std::size_t t = 0; t < layout.tiles(); ++t) {
        const CellBox b = layout.box(t);
        std::vector<T> tile(b.size());
        for (std::size_t r = b.r0; r < b.r1; ++r)
            for (std::size_t c = b.c0; c < b.c1; ++c)
                tile[(r - b.r0) * b.cols() + c - b.c0] = values[r * cols + c];
        tiled.write(t, tile);
    }
    return tiled;
}

template<class T>
std::vector<T> from_tiles(const TiledRaster<T>& tiled)
{
    const TileLayout& layout = tiled.layout();
    std::vector<T> values(layout.rows() * layout.cols());
    for (std::size_t t = 0; t < layout.tiles(); ++t) {
        const CellBox b = layout.box(t);
        const std::vector<T> tile = tiled.read(t);
        for (std::size_t r = b.r0; r < b.r1; ++r)
            for (std::size_t c = b.c0; c < b.c1; ++c)
                values[r * layout.cols() + c] = tile[(r - b.r0) * b.cols() + c - b.c0];
    }
    return values;
}

/// The DEM's values with NaN on nodata, as the tiled chain takes them.
std::vector<float> with_nan(const Raster<float>& dem)
{
    std::vector<float> z = dem.values();
    for (std::size_t i = 0; i < z.size(); ++i)
        if (!dem.mask()[i])
            z[i] = std::numeric_limits<float>::quiet_NaN();
    return z;
}

/// Counts cells where two float rasters differ (NaN equals NaN).
std::size_t differences(const std::vector<float>& a, const std::vector<float>& b)
{
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        n += !(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])));
    return n;
}

template<class T>
std::size_t differences(const std::vector<T>& a, const std::vector<T>& b)
{
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        n += a[i] != b[i];
    return n;
}

struct InMemory
{
    Raster<float> filled;
    Raster<std::uint8_t> directions;
    std::vector<std::uint8_t> streams;
    Basins links, outlets, merged;
};

InMemory in_memory(const Raster<float>& dem, double threshold, std::size_t min_cells)
{
    InMemory m;
    m.filled = fill_depressions(dem, {}, 0);
    m.directions = flow_directions(m.filled);
    const Raster<double> acc = flow_accumulation(m.directions);
    m.streams.assign(acc.values().size(), 0);
    for (std::size_t i = 0; i < acc.values().size(); ++i)
        m.streams[i] = m.directions.values()[i] != kNoFlow && acc.values()[i] >= threshold;
    m.links = delineate_basins(m.directions, acc, threshold, BasinMode::Links);
    m.outlets = delineate_basins(m.directions, acc, threshold, BasinMode::Outlets);
    m.merged = m.links;
    merge_small_basins(m.merged, min_cells);
    return m;
}

void expect_tiled_equal(const Raster<float>& dem,
                        const InMemory& m,
                        std::size_t side,
                        double threshold,
                        std::size_t min_cells)
{
    const std::size_t rows = dem.rows(), cols = dem.cols();
    SCOPED_TRACE("tile side " + std::to_string(side));
    const TiledRaster<float> tiled_dem = to_tiles(with_nan(dem), rows, cols, side, std::nanf(""));
    const TiledRaster<float> filled = tiled::fill_depressions(tiled_dem, memory_tile_storage);
    EXPECT_EQ(differences(from_tiles(filled), with_nan(m.filled)), 0u);

    const TiledRaster<std::uint8_t> directions =
      tiled::flow_directions(filled,
                             dem.grid().dx(),
                             dem.grid().dy(),
                             memory_tile_storage,
                             std::numeric_limits<std::size_t>::max());
    EXPECT_EQ(differences(from_tiles(directions), m.directions.values()), 0u);

    std::size_t stream_count = 0;
    const TiledRaster<std::uint8_t> streams =
      tiled::stream_cells(directions, threshold, memory_tile_storage, stream_count);
    EXPECT_EQ(differences(from_tiles(streams), m.streams), 0u);
    EXPECT_EQ(stream_count, m.links.stream_cells);

    for (BasinMode mode : { BasinMode::Links, BasinMode::Outlets }) {
        const Basins& expected = mode == BasinMode::Links ? m.links : m.outlets;
        tiled::TiledBasins basins =
          tiled::delineate_basins(directions, streams, stream_count, mode, memory_tile_storage);
        EXPECT_EQ(differences(from_tiles(basins.labels), expected.labels.values()), 0u);
        EXPECT_EQ(basins.downstream, expected.downstream);
        if (mode == BasinMode::Links) {
            tiled::merge_small_basins(basins, min_cells);
            EXPECT_EQ(differences(from_tiles(basins.labels), m.merged.labels.values()), 0u);
            EXPECT_EQ(basins.downstream, m.merged.downstream);
        }
    }
}

} // namespace

TEST(TiledHydrology, EveryStageEqualsTheInMemoryChainForAnyTileSideAndThreadCount)
{
    for (const auto& [rows, cols, step] :
         { std::tuple<std::size_t, std::size_t, float>{ 61, 83, 1.0f }, { 90, 47, 0.5f } }) {
        const Raster<float> dem = dem_of(rows, cols, unsigned(rows * cols), step);
        const double threshold = 40.0;
        const std::size_t min_cells = 30;
        const InMemory m = in_memory(dem, threshold, min_cells);
        ASSERT_GT(m.links.downstream.size(), 10u); // enough basins to cross tile borders
        for (int threads : { 1, 2, 8 }) {
            SCOPED_TRACE(std::to_string(threads) + " threads");
            tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                      std::size_t(threads));
            for (std::size_t side : { 1u, 5u, 16u, 29u, 200u })
                expect_tiled_equal(dem, m, side, threshold, min_cells);
        }
    }
}

TEST(TiledHydrology, AFlatCrossingTilesIsDrainedWhole)
{
    // One long flat terrace across many tiles, draining at its east end only, with higher land
    // around it: its directions need the whole flat (both gradients).
    const std::size_t rows = 20, cols = 60;
    Raster<float> dem(Grid(Box{ 0.0, 0.0, double(cols), double(rows) }, 1.0, 1.0));
    dem.mask().assign(rows * cols, 1);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c)
            dem(r, c) = (r >= 4 && r < 16 && c >= 2) ? 5.0f : 9.0f + float(r % 3);
    dem(10, cols - 1) = 1.0f; // the outlet; the last column is beside the edge, so the flat
                              // is 12 x 57 cells
    const InMemory m = in_memory(dem, 10.0, 5);
    for (std::size_t side : { 3u, 7u, 13u })
        expect_tiled_equal(dem, m, side, 10.0, 5);

    // A budget too small for the flat's window is an error naming the flat's size.
    const TiledRaster<float> tiles = to_tiles(with_nan(dem), rows, cols, 7, std::nanf(""));
    const TiledRaster<float> filled = tiled::fill_depressions(tiles, memory_tile_storage);
    try {
        tiled::flow_directions(filled, 1.0, 1.0, memory_tile_storage, 100);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("a flat spans 12 x 57 cells"), std::string::npos)
          << e.what();
    }
}

TEST(TiledRaster, ReadsTilesWithTheirRingAndAnyBox)
{
    const std::size_t rows = 7, cols = 9;
    std::vector<int> values(rows * cols);
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = int(i);
    const TiledRaster<int> tiled = to_tiles(values, rows, cols, 4, -1);
    EXPECT_EQ(tiled.layout().tiles(), 6u);
    EXPECT_EQ(from_tiles(tiled), values);
    // Tile 4 (rows 4-6, columns 4-7) with its ring: rows 3-7, columns 3-8; row 7 is off the grid.
    const std::vector<int> ring = tiled.read_with_ring(4);
    ASSERT_EQ(ring.size(), 5u * 6u);
    for (std::size_t r = 0; r < 5; ++r)
        for (std::size_t c = 0; c < 6; ++c) {
            const std::size_t gr = 3 + r, gc = 3 + c;
            EXPECT_EQ(ring[r * 6 + c], gr < rows && gc < cols ? int(gr * cols + gc) : -1);
        }
    const std::vector<int> box = tiled.read_box({ std::size_t(-1), 3, 7, 10 });
    ASSERT_EQ(box.size(), 4u * 3u);
    for (std::size_t r = 0; r < 4; ++r)
        for (std::size_t c = 0; c < 3; ++c) {
            const std::size_t gr = r - 1, gc = 7 + c;
            EXPECT_EQ(box[r * 3 + c], gr < rows && gc < cols ? int(gr * cols + gc) : -1);
        }
}

TEST(TiledHydrology, NodataHolesAreFilledAsInMemory)
{
    // Holes inside the grid (some across tile borders, one touching another only at a corner)
    // and holes touching the edge, on several tile sides and thread counts.
    for (unsigned seed : { 3u, 8u }) {
        Raster<float> dem = dem_of(53, 71, seed, 1.0f);
        dem.mask()[0 * 71 + 30] = 0; // an edge hole
        for (std::size_t r = 20; r < 26; ++r)
            dem.mask()[r * 71 + 40] = 0; // a thin hole across a tile border
        dem.mask()[26 * 71 + 41] = 0;    // joined to it at a corner
        Raster<float> expected = dem;
        const std::size_t filled = fill_nodata_holes(expected);
        ASSERT_GT(filled, 7u);
        for (int threads : { 1, 2, 8 }) {
            tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                      std::size_t(threads));
            for (std::size_t side : { 1u, 6u, 20u, 100u }) {
                SCOPED_TRACE("tile side " + std::to_string(side) + ", " + std::to_string(threads) +
                             " threads");
                TiledRaster<float> tiles =
                  to_tiles(with_nan(dem), dem.rows(), dem.cols(), side, std::nanf(""));
                EXPECT_EQ(tiled::fill_nodata_holes(tiles), filled);
                EXPECT_EQ(differences(from_tiles(tiles), with_nan(expected)), 0u);
            }
        }
    }
}

TEST(TiledHydrology, ProgressRisesAndCanCancelEveryStage)
{
    const Raster<float> dem = dem_of(40, 40, 5, 1.0f);
    const TiledRaster<float> tiles = to_tiles(with_nan(dem), 40, 40, 16, std::nanf(""));
    double last = -1.0;
    bool rising = true;
    const Progress watch = [&](double f, std::string_view) {
        rising = rising && f >= last && f <= 1.0;
        last = f;
        return true;
    };
    const Progress stop = [](double, std::string_view) { return false; };
    const TiledRaster<float> filled = tiled::fill_depressions(tiles, memory_tile_storage, watch);
    EXPECT_TRUE(rising);
    EXPECT_EQ(last, 1.0);
    EXPECT_THROW(tiled::fill_depressions(tiles, memory_tile_storage, stop), Cancelled);
    const std::size_t big = std::numeric_limits<std::size_t>::max();
    EXPECT_THROW(tiled::flow_directions(filled, 5.0, 5.0, memory_tile_storage, big, stop),
                 Cancelled);
    const TiledRaster<std::uint8_t> directions =
      tiled::flow_directions(filled, 5.0, 5.0, memory_tile_storage, big);
    std::size_t count = 0;
    EXPECT_THROW(tiled::stream_cells(directions, 20.0, memory_tile_storage, count, stop),
                 Cancelled);
    const TiledRaster<std::uint8_t> streams =
      tiled::stream_cells(directions, 20.0, memory_tile_storage, count);
    EXPECT_THROW(tiled::delineate_basins(
                   directions, streams, count, BasinMode::Links, memory_tile_storage, stop),
                 Cancelled);
}

TEST(TiledHydrology, GridsOfOneRowOrOneColumn)
{
    for (const auto& [rows, cols] : { std::pair<std::size_t, std::size_t>{ 1, 37 }, { 37, 1 } }) {
        Raster<float> dem(Grid(Box{ 0.0, 0.0, double(cols), double(rows) }, 1.0, 1.0));
        dem.mask().assign(rows * cols, 1);
        for (std::size_t i = 0; i < rows * cols; ++i)
            dem.values()[i] = float((i * 7) % 5) + (i == 20 ? 9.0f : 0.0f);
        dem.mask()[11] = 0;
        const InMemory m = in_memory(dem, 3.0, 4);
        for (std::size_t side : { 1u, 4u, 10u, 64u })
            expect_tiled_equal(dem, m, side, 3.0, 4);
    }
}
