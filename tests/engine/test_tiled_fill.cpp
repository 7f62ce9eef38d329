// Depression filling in tiles (the tile-parallel Priority-Flood of Barnes 2016): for DEMs whose
// depressions, flats and nodata holes cross tile borders, every tile size and thread count
// gives the serial flood's surface, cell for cell, and both equal the filled surface computed
// from its definition (minimax_fill below).
#include "landel/analysis/hydrology/hydrology.h"
#include "landel/core/error.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace landel;
using namespace landel::analysis::hydrology;

namespace {

enum class Terrain
{
    noise,      ///< white noise: pits everywhere, the worst case for the flood front
    bowls,      ///< a few wide bowls across many tiles, with whole-number steps (flats)
    holes_edge, ///< a tilted plane with nodata blobs, some crossing tile borders and the edge
};

Raster<float> dem_of(Terrain terrain, std::size_t rows, std::size_t cols, unsigned seed)
{
    std::mt19937 random(seed);
    std::uniform_real_distribution<float> noise(0.0f, 10.0f);
    Raster<float> dem(Grid(Box{ 0.0, 0.0, double(cols), double(rows) }, 1.0, 1.0));
    dem.mask().assign(rows * cols, 1);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
            const float x = float(c), y = float(r);
            switch (terrain) {
                case Terrain::noise:
                    dem(r, c) = noise(random);
                    break;
                case Terrain::bowls:
                    dem(r, c) = std::floor(20.0f + 8.0f * std::sin(x / 9.0f) * std::cos(y / 7.0f) +
                                           0.3f * noise(random));
                    break;
                case Terrain::holes_edge:
                    dem(r, c) = std::floor(0.1f * (x + y) + noise(random));
                    break;
            }
        }
    if (terrain != Terrain::noise) {
        std::uniform_int_distribution<std::size_t> row(0, rows - 1), col(0, cols - 1);
        for (int blob = 0; blob < 6; ++blob) {
            const std::size_t r0 = row(random), c0 = col(random);
            for (std::size_t r = r0; r < std::min(rows, r0 + 9); ++r)
                for (std::size_t c = c0; c < std::min(cols, c0 + 13); ++c)
                    dem.mask()[r * cols + c] = 0;
        }
    }
    return dem;
}

/// The filled surface by its definition, with none of the fill's machinery: F(c) is the least,
/// over the paths from c to a seed (a valid cell on the edge or beside nodata), of the highest
/// elevation on the path. Relaxed to a fixed point: F = z on seeds, then
/// F(c) = max(z(c), min over valid neighbours F(n)) until nothing changes.
std::vector<float> minimax_fill(const Raster<float>& dem)
{
    const std::size_t rows = dem.rows(), cols = dem.cols();
    const auto valid = [&](std::size_t r, std::size_t c) {
        return r < rows && c < cols && dem.mask()[r * cols + c] != 0;
    };
    std::vector<float> f(dem.values().size(), std::numeric_limits<float>::infinity());
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
            if (!valid(r, c)) {
                f[r * cols + c] = dem(r, c);
                continue;
            }
            bool seed = false;
            for (int d = 0; d < 8; ++d)
                seed = seed || !valid(r + direction_row_offset[d], c + direction_col_offset[d]);
            if (seed)
                f[r * cols + c] = dem(r, c);
        }
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t c = 0; c < cols; ++c) {
                if (!valid(r, c))
                    continue;
                float lowest = std::numeric_limits<float>::infinity();
                for (int d = 0; d < 8; ++d) {
                    const std::size_t nr = r + direction_row_offset[d],
                                      nc = c + direction_col_offset[d];
                    if (valid(nr, nc))
                        lowest = std::min(lowest, f[nr * cols + nc]);
                }
                const float v = std::max(dem(r, c), lowest);
                if (v < f[r * cols + c]) {
                    f[r * cols + c] = v;
                    changed = true;
                }
            }
    }
    return f;
}

Raster<float> filled_on(const Raster<float>& dem, std::size_t tile_side, int threads)
{
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
    return fill_depressions(dem, {}, tile_side);
}

} // namespace

TEST(TiledFill, EqualsTheSerialFloodForEveryTileSizeAndThreadCount)
{
    for (Terrain terrain : { Terrain::noise, Terrain::bowls, Terrain::holes_edge })
        for (unsigned seed : { 1u, 2u }) {
            const Raster<float> dem = dem_of(terrain, 97, 131, seed);
            const Raster<float> serial = filled_on(dem, 0, 1);
            ASSERT_EQ(serial.values(), minimax_fill(dem)) << "terrain " << int(terrain);
            std::size_t raised = 0;
            for (std::size_t i = 0; i < dem.values().size(); ++i)
                raised += serial.values()[i] > dem.values()[i];
            ASSERT_GT(raised, 100u) << "the DEM has depressions to fill";
            for (std::size_t side : { 1, 2, 3, 7, 16, 50, 96 })
                for (int threads : { 1, 2, 8 }) {
                    const Raster<float> tiled = filled_on(dem, side, threads);
                    ASSERT_EQ(tiled.values(), serial.values())
                      << "terrain " << int(terrain) << ", seed " << seed << ", tiles of " << side
                      << ", " << threads << " threads";
                    ASSERT_EQ(tiled.mask(), dem.mask());
                }
        }
}

TEST(TiledFill, ADepressionSpanningManyTilesIsFilledToItsOneSpillPoint)
{
    // A 60 x 60 bowl whose rim is 10 everywhere but one cell at 4 on the east edge: every
    // tile of 8 x 8 inside it has its own lower border, yet all fill to 4.
    Raster<float> dem(Grid(Box{ 0.0, 0.0, 60.0, 60.0 }, 1.0, 1.0));
    for (std::size_t r = 0; r < 60; ++r)
        for (std::size_t c = 0; c < 60; ++c) {
            const bool rim = r == 0 || c == 0 || r == 59 || c == 59;
            dem(r, c) = rim ? 10.0f : float((r * 7 + c * 3) % 4);
        }
    dem(30, 59) = 4.0f;
    const Raster<float> tiled = filled_on(dem, 8, 2);
    for (std::size_t r = 1; r < 59; ++r)
        for (std::size_t c = 1; c < 59; ++c)
            ASSERT_EQ(tiled(r, c), 4.0f) << r << ", " << c;
    EXPECT_EQ(tiled.values(), filled_on(dem, 0, 1).values());
}

TEST(TiledFill, NonFiniteCellIsTheSameErrorAsSerially)
{
    Raster<float> dem = dem_of(Terrain::holes_edge, 40, 40, 3);
    dem.mask()[25 * 40 + 31] = 1;
    dem(25, 31) = std::nanf("");
    std::string serial, tiled;
    try {
        fill_depressions(dem, {}, 0);
    } catch (const InvalidArgument& e) {
        serial = e.what();
    }
    try {
        fill_depressions(dem, {}, 8);
    } catch (const InvalidArgument& e) {
        tiled = e.what();
    }
    EXPECT_NE(serial.find("row 25, col 31"), std::string::npos) << serial;
    EXPECT_EQ(tiled, serial);
}
