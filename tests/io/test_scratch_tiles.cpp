// Tiles in scratch files (io::scratch_tile_storage): what is written is read back, the file
// leaves nothing in its directory, a directory that cannot hold it is a one-line error; and
// the out-of-memory catchment chain on scratch files gives the in-memory basins of the real
// Winterswijk AHN, cell for cell.
#include "landel/analysis/hydrology/hydrology.h"
#include "landel/analysis/hydrology/tiled.h"
#include "landel/io/error.h"
#include "landel/io/raster_source.h"
#include "landel/io/scratch_tiles.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>

using namespace landel;
namespace fs = std::filesystem;

TEST(ScratchTiles, TilesReadBackAndNothingIsLeftBehind)
{
    const fs::path dir = fs::temp_directory_path() / "landel-test-scratch-tiles";
    fs::remove_all(dir);
    fs::create_directories(dir);
    {
        const TileLayout layout(5, 7, 3);
        TiledRaster<double> tiles(layout, io::scratch_tile_storage(dir), -1.0);
        for (std::size_t t = layout.tiles(); t-- > 0;) { // any order
            std::vector<double> values(layout.box(t).size());
            for (std::size_t k = 0; k < values.size(); ++k)
                values[k] = double(t) * 100.0 + double(k);
            tiles.write(t, values);
        }
        for (std::size_t t = 0; t < layout.tiles(); ++t) {
            const std::vector<double> values = tiles.read(t);
            ASSERT_EQ(values.size(), layout.box(t).size());
            for (std::size_t k = 0; k < values.size(); ++k)
                EXPECT_EQ(values[k], double(t) * 100.0 + double(k));
        }
        EXPECT_TRUE(fs::is_empty(dir)); // the file has no name while in use
    }
    EXPECT_TRUE(fs::is_empty(dir));
    fs::remove_all(dir);

    try {
        TiledRaster<float> no(TileLayout(2, 2, 2), io::scratch_tile_storage(dir / "missing"), 0.f);
        FAIL() << "no error";
    } catch (const io::IoError& e) {
        EXPECT_NE(std::string(e.what()).find("cannot make a scratch file in '"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos) << e.what();
    }
}

TEST(ScratchTiles, TheTiledChainGivesTheInMemoryBasinsOfTheRealWinterswijkAhn)
{
    const fs::path path = fs::path(LANDEL_SOURCE_DIR) /
                          "../shared/data/real/achterhoek-wrij-ahn/derived/dtm_5m_filled_m.tif";
    if (!fs::exists(path))
        GTEST_SKIP() << "no real data at " << path;
    const io::Crs crs = io::Crs::from_user_input("EPSG:28992", "test");
    io::RasterSource src(path, "areas.dem", crs);
    const Grid grid = src.info().grid;
    const Raster<float> dem = src.read_values(grid);
    namespace hy = analysis::hydrology;
    const double threshold = 20000.0;

    const Raster<std::uint8_t> dirs = hy::flow_directions(hy::fill_depressions(dem));
    hy::Basins expected =
      hy::delineate_basins(dirs, hy::flow_accumulation(dirs), threshold, hy::BasinMode::Links);
    hy::merge_small_basins(expected, 800); // 2 ha of 5 m cells

    // Tiles of 700 cells: the grid's 2000 x 2500 cells cut across basins, flats and holes.
    const TileLayout layout(grid.rows(), grid.cols(), 700);
    const TileStorageFactory scratch = io::scratch_tile_storage(fs::temp_directory_path());
    TiledRaster<float> tiles(layout, scratch, std::numeric_limits<float>::quiet_NaN());
    for (std::size_t t = 0; t < layout.tiles(); ++t) {
        const CellBox b = layout.box(t);
        std::vector<float> values(b.size());
        for (std::size_t r = b.r0; r < b.r1; ++r)
            for (std::size_t c = b.c0; c < b.c1; ++c)
                values[(r - b.r0) * b.cols() + c - b.c0] =
                  dem.valid(r, c) ? dem(r, c) : std::numeric_limits<float>::quiet_NaN();
        tiles.write(t, values);
    }
    const TiledRaster<float> filled = hy::tiled::fill_depressions(tiles, scratch);
    const TiledRaster<std::uint8_t> directions =
      hy::tiled::flow_directions(filled, grid.dx(), grid.dy(), scratch, std::size_t(1) << 24);
    std::size_t streams_count = 0;
    const TiledRaster<std::uint8_t> streams =
      hy::tiled::stream_cells(directions, threshold, scratch, streams_count);
    hy::tiled::TiledBasins basins = hy::tiled::delineate_basins(
      directions, streams, streams_count, hy::BasinMode::Links, scratch);
    hy::tiled::merge_small_basins(basins, 800);

    EXPECT_EQ(streams_count, expected.stream_cells);
    EXPECT_EQ(basins.downstream, expected.downstream);
    EXPECT_GT(basins.downstream.size(), 100u);
    std::size_t differing = 0;
    for (std::size_t t = 0; t < layout.tiles(); ++t) {
        const CellBox b = layout.box(t);
        const std::vector<std::int32_t> labels = basins.labels.read(t);
        for (std::size_t r = b.r0; r < b.r1; ++r)
            for (std::size_t c = b.c0; c < b.c1; ++c)
                differing += labels[(r - b.r0) * b.cols() + c - b.c0] != expected.labels(r, c);
    }
    EXPECT_EQ(differing, 0u);
}
