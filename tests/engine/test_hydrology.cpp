#include "landel/analysis/hydrology/hydrology.h"
#include "landel/core/error.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <cstdlib>
#include <random>

using namespace landel;
using namespace landel::analysis::hydrology;

namespace {

constexpr std::uint8_t E = 0, SE = 1, S = 2, SW = 3, W = 4, NW = 5, N = 6, NE = 7, O = kOutlet;

Grid grid_of(std::size_t rows, std::size_t cols, double dx = 1.0, double dy = 1.0)
{
    return Grid(Box{ 0.0, 0.0, double(cols) * dx, double(rows) * dy }, dx, dy);
}

template<class T>
Raster<T> raster_of(const std::vector<std::vector<T>>& rows, double dx = 1.0, double dy = 1.0)
{
    Raster<T> r(grid_of(rows.size(), rows.front().size(), dx, dy));
    for (std::size_t i = 0; i < rows.size(); ++i)
        for (std::size_t j = 0; j < rows[i].size(); ++j)
            r(i, j) = rows[i][j];
    return r;
}

/// Follows the directions from cell @p i to its outlet; -1 when it takes more steps than there
/// are cells (a cycle) or steps off the grid or into nodata without being an outlet.
long steps_to_outlet(const Raster<std::uint8_t>& dir, std::size_t i)
{
    const std::size_t cols = dir.cols(), n = dir.values().size();
    for (long steps = 0; steps <= long(n); ++steps) {
        const std::uint8_t d = dir.values()[i];
        if (d == kOutlet)
            return steps;
        if (d > 7)
            return -1;
        const long r = long(i / cols) + direction_row_offset[d];
        const long c = long(i % cols) + direction_col_offset[d];
        if (r < 0 || c < 0 || r >= long(dir.rows()) || c >= long(cols))
            return -1;
        i = std::size_t(r) * cols + std::size_t(c);
        if (!dir.valid(i / cols, i % cols))
            return -1;
    }
    return -1;
}

/// Checks that every valid cell drains to an outlet and that the outlets collect every cell.
void expect_drains_completely(const Raster<std::uint8_t>& dir, const Raster<double>& acc)
{
    double at_outlets = 0.0;
    std::size_t valid = 0;
    for (std::size_t i = 0; i < dir.values().size(); ++i) {
        if (!dir.valid(i / dir.cols(), i % dir.cols())) {
            EXPECT_EQ(dir.values()[i], kNoFlow);
            EXPECT_EQ(acc.values()[i], 0.0);
            continue;
        }
        ++valid;
        EXPECT_GE(steps_to_outlet(dir, i), 0) << "cell " << i;
        if (dir.values()[i] == kOutlet)
            at_outlets += acc.values()[i];
    }
    EXPECT_EQ(at_outlets, double(valid));
}

std::vector<std::size_t> outlets_of(const Raster<std::uint8_t>& dir)
{
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < dir.values().size(); ++i)
        if (dir.values()[i] == kOutlet)
            out.push_back(i);
    return out;
}

/// A Y-shaped network on 5 x 5 cells: two tributaries meet at (2, 2) and leave at (4, 2).
Raster<std::uint8_t> y_network()
{
    return raster_of<std::uint8_t>({ { SE, S, SW, S, SW },
                                     { E, SE, S, SW, W },
                                     { E, E, S, W, W },
                                     { E, E, S, W, W },
                                     { E, E, O, W, W } });
}

/// Three outlets on 3 x 4 cells: (0, 0) takes row 0, (1, 3) rows 1 and 2, (2, 3) itself.
Raster<std::uint8_t> three_outlets()
{
    return raster_of<std::uint8_t>({ { O, W, W, W }, { E, E, E, O }, { N, N, N, O } });
}

} // namespace

TEST(Hydrology, ValleyDrainsToItsSingleOutlet)
{
    // z = 10 |col - 2| + (3 - row): two slopes down to a stream in column 2 that runs south.
    Raster<float> dem(grid_of(4, 5));
    for (std::size_t r = 0; r < 4; ++r)
        for (std::size_t c = 0; c < 5; ++c)
            dem(r, c) = float(10 * std::abs(int(c) - 2) + (3 - int(r)));
    const Raster<float> filled = fill_depressions(dem);
    EXPECT_EQ(filled.values(), dem.values());

    const Raster<std::uint8_t> dir = flow_directions(filled);
    EXPECT_EQ(dir.values(),
              raster_of<std::uint8_t>(
                { { E, E, S, W, W }, { E, E, S, W, W }, { E, E, S, W, W }, { E, E, O, W, W } })
                .values());
    const Raster<double> acc = flow_accumulation(dir);
    EXPECT_EQ(acc.values(),
              raster_of<double>(
                { { 1, 2, 5, 2, 1 }, { 1, 2, 10, 2, 1 }, { 1, 2, 15, 2, 1 }, { 1, 2, 20, 2, 1 } })
                .values());
    expect_drains_completely(dir, acc);
}

TEST(Hydrology, SteepestDescentWeighsDistance)
{
    // From the centre: E drops 1 over 1, SE drops 1.3 over sqrt(2) (0.92 per unit): east wins,
    // although SE has the larger drop.
    const Raster<float> square =
      raster_of<float>({ { 20, 20, 20 }, { 20, 10, 9 }, { 20, 20, 8.7f } });
    EXPECT_EQ(flow_directions(square)(1, 1), E);
    // With 2-unit columns, E drops 0.5 per unit and S (0.6 over 1) wins.
    const Raster<float> wide =
      raster_of<float>({ { 20, 20, 20 }, { 20, 10, 9 }, { 20, 9.4f, 20 } }, 2.0, 1.0);
    EXPECT_EQ(flow_directions(wide)(1, 1), S);
}

TEST(Hydrology, PitIsFilledToItsSpillLevel)
{
    // The pit (2, 1)-(2, 2) spills over (1, 2) at 5 into the edge notch (0, 2) at 4.
    const Raster<float> dem = raster_of<float>({ { 10, 10, 4, 10, 10 },
                                                 { 10, 6, 5, 6, 10 },
                                                 { 10, 2, 1, 6, 10 },
                                                 { 10, 6, 6, 6, 10 },
                                                 { 10, 10, 10, 10, 10 } });
    const Raster<float> filled = fill_depressions(dem);
    EXPECT_EQ(filled.values(),
              raster_of<float>({ { 10, 10, 4, 10, 10 },
                                 { 10, 6, 5, 6, 10 },
                                 { 10, 5, 5, 6, 10 },
                                 { 10, 6, 6, 6, 10 },
                                 { 10, 10, 10, 10, 10 } })
                .values());
    const Raster<std::uint8_t> dir = flow_directions(filled);
    const Raster<double> acc = flow_accumulation(dir);
    EXPECT_EQ(outlets_of(dir), std::vector<std::size_t>{ 2 });
    EXPECT_EQ(acc(0, 2), 25.0);
    expect_drains_completely(dir, acc);
}

TEST(Hydrology, FlatPlateauDrainsToItsOnlyOutlet)
{
    // A 5 x 5 plateau at 10 inside a rim at 20, open only at (0, 3).
    Raster<float> dem(grid_of(7, 7), 20.0f);
    for (std::size_t r = 1; r < 6; ++r)
        for (std::size_t c = 1; c < 6; ++c)
            dem(r, c) = 10.0f;
    dem(0, 3) = 10.0f;
    const Raster<std::uint8_t> dir = flow_directions(fill_depressions(dem));
    const Raster<double> acc = flow_accumulation(dir);
    EXPECT_EQ(outlets_of(dir), std::vector<std::size_t>{ 3 });
    EXPECT_EQ(acc(0, 3), 49.0);
    expect_drains_completely(dir, acc);

    // A DEM that is one flat: the edge cells are outlets and the inside drains to them.
    const Raster<std::uint8_t> level = flow_directions(Raster<float>(grid_of(4, 4), 1.0f));
    expect_drains_completely(level, flow_accumulation(level));
    EXPECT_EQ(outlets_of(level).size(), 12u);
}

TEST(Hydrology, FlatFlowsAwayFromHigherTerrain)
{
    // A valley floor at 10 (rows 1-7, columns 1-5) between walls at 20; it drains through
    // (7, 2)-(7, 4) into the outlet (8, 3) at 5.
    Raster<float> dem(grid_of(9, 7), 20.0f);
    for (std::size_t r = 1; r < 8; ++r)
        for (std::size_t c = 1; c < 6; ++c)
            dem(r, c) = 10.0f;
    dem(8, 3) = 5.0f;
    const Raster<std::uint8_t> dir = flow_directions(fill_depressions(dem));
    // (4, 4) and (4, 5) are equally close to the floor's outlet; (4, 5) lies against the
    // wall, so flow from (3, 5) turns to (4, 4), and symmetrically from (3, 1) to (4, 2).
    EXPECT_EQ(dir(3, 5), SW);
    EXPECT_EQ(dir(3, 1), SE);
    expect_drains_completely(dir, flow_accumulation(dir));
}

TEST(Hydrology, NodataHoleIsAnOutletUntilFilled)
{
    // A bowl around a nodata hole at (3, 3), z = ring number, with a notch at 2 in the east
    // edge (3, 6).
    Raster<float> dem(grid_of(7, 7));
    for (std::size_t r = 0; r < 7; ++r)
        for (std::size_t c = 0; c < 7; ++c)
            dem(r, c) = float(std::max(std::abs(int(r) - 3), std::abs(int(c) - 3)));
    dem(3, 6) = 2.0f;
    dem.mask().assign(49, 1);
    dem.mask()[3 * 7 + 3] = 0;

    // The hole swallows the bowl: nothing to fill, the first ring drains into the hole.
    const Raster<float> filled = fill_depressions(dem);
    EXPECT_EQ(filled.values(), dem.values());
    const Raster<std::uint8_t> dir = flow_directions(filled);
    EXPECT_EQ(dir(3, 3), kNoFlow);
    for (std::size_t r = 2; r <= 4; ++r)
        for (std::size_t c = 2; c <= 4; ++c)
            if (r != 3 || c != 3) {
                EXPECT_EQ(dir(r, c), kOutlet) << r << "," << c;
            }
    const Raster<double> acc = flow_accumulation(dir);
    EXPECT_EQ(acc(3, 3), 0.0);
    expect_drains_completely(dir, acc);

    // Filled at its rim's lowest level (1), the hole becomes part of a lake that fills to 2
    // and leaves through the notch.
    Raster<float> closed = dem;
    EXPECT_EQ(fill_nodata_holes(closed), 1u);
    EXPECT_EQ(closed(3, 3), 1.0f);
    EXPECT_TRUE(closed.valid(3, 3));
    const Raster<std::uint8_t> dir2 = flow_directions(fill_depressions(closed));
    const Raster<double> acc2 = flow_accumulation(dir2);
    EXPECT_EQ(outlets_of(dir2), std::vector<std::size_t>{ 3 * 7 + 6 });
    EXPECT_EQ(acc2(3, 6), 49.0);
    expect_drains_completely(dir2, acc2);
}

TEST(Hydrology, HolesTouchingTheEdgeAreKept)
{
    Raster<float> dem(grid_of(5, 5), 3.0f);
    dem.mask().assign(25, 1);
    dem.mask()[0] = 0;         // on the edge
    dem.mask()[1 * 5 + 1] = 0; // touches the edge hole diagonally: the same hole
    dem.mask()[3 * 5 + 3] = 0; // interior: filled
    dem(2, 2) = 1.0f;          // on the interior hole's rim
    EXPECT_EQ(fill_nodata_holes(dem), 1u);
    EXPECT_FALSE(dem.valid(0, 0));
    EXPECT_FALSE(dem.valid(1, 1));
    EXPECT_TRUE(dem.valid(3, 3));
    EXPECT_EQ(dem(3, 3), 1.0f);
}

TEST(Hydrology, LinkBasinsOnAYNetwork)
{
    const Raster<std::uint8_t> dir = y_network();
    const Raster<double> acc = flow_accumulation(dir);
    EXPECT_EQ(acc.values(),
              raster_of<double>({ { 1, 1, 1, 1, 1 },
                                  { 1, 5, 1, 4, 1 },
                                  { 1, 2, 15, 2, 1 },
                                  { 1, 2, 20, 2, 1 },
                                  { 1, 2, 25, 2, 1 } })
                .values());
    // Streams (>= 4): the tributaries (1, 1) and (1, 3), the trunk (2, 2)-(4, 2).
    const Basins basins = delineate_basins(dir, acc, 4.0, BasinMode::Links);
    EXPECT_EQ(basins.stream_cells, 5u);
    EXPECT_EQ(basins.labels.values(),
              raster_of<std::int32_t>({ { 1, 1, 1, 2, 2 },
                                        { 1, 1, 3, 2, 2 },
                                        { 3, 3, 3, 3, 3 },
                                        { 3, 3, 3, 3, 3 },
                                        { 3, 3, 3, 3, 3 } })
                .values());
    EXPECT_EQ(basins.downstream, (std::vector<std::int32_t>{ 0, 3, 3, 0 }));

    const Basins one = delineate_basins(dir, acc, 4.0, BasinMode::Outlets);
    EXPECT_EQ(one.labels.values(), std::vector<std::int32_t>(25, 1));
    EXPECT_EQ(one.downstream, (std::vector<std::int32_t>{ 0, 0 }));
    EXPECT_EQ(one.stream_cells, 5u);
}

TEST(Hydrology, OutletBasinsIncludeSmallOutlets)
{
    const Raster<std::uint8_t> dir = three_outlets();
    const Raster<double> acc = flow_accumulation(dir);
    EXPECT_EQ(acc.values(),
              raster_of<double>({ { 4, 3, 2, 1 }, { 2, 4, 6, 7 }, { 1, 1, 1, 1 } }).values());
    const std::vector<std::int32_t> expected =
      raster_of<std::int32_t>({ { 1, 1, 1, 1 }, { 2, 2, 2, 2 }, { 2, 2, 2, 3 } }).values();

    const Basins outlets = delineate_basins(dir, acc, 3.0, BasinMode::Outlets);
    EXPECT_EQ(outlets.labels.values(), expected);
    EXPECT_EQ(outlets.downstream, (std::vector<std::int32_t>{ 0, 0, 0, 0 }));
    EXPECT_EQ(outlets.stream_cells, 5u);

    // Links: the outlet (2, 3) carries no stream and still gets its own basin.
    const Basins links = delineate_basins(dir, acc, 3.0, BasinMode::Links);
    EXPECT_EQ(links.labels.values(), expected);
    EXPECT_EQ(links.downstream, (std::vector<std::int32_t>{ 0, 0, 0, 0 }));
}

TEST(Hydrology, NodataEndsBasinsAndKeepsLabelZero)
{
    // The right tributary's link (1, 3) drains into a nodata cell at (2, 2): its flow ends.
    Raster<std::uint8_t> dir = y_network();
    dir.mask().assign(25, 1);
    dir.mask()[2 * 5 + 2] = 0;
    dir(2, 2) = kNoFlow;
    const Raster<double> acc = flow_accumulation(dir);
    EXPECT_EQ(acc(2, 2), 0.0);
    EXPECT_EQ(acc(1, 1), 5.0);
    EXPECT_EQ(acc(4, 2), 10.0); // itself, (3, 2) and the two pairs beside the trunk
    const Basins basins = delineate_basins(dir, acc, 4.0, BasinMode::Links);
    EXPECT_EQ(basins.labels(2, 2), 0);
    for (std::int32_t d : basins.downstream)
        EXPECT_EQ(d, 0);
}

TEST(Hydrology, SmallBasinsMergeDownstream)
{
    const Raster<std::uint8_t> dir = y_network();
    const Raster<double> acc = flow_accumulation(dir);
    const Basins links = delineate_basins(dir, acc, 4.0, BasinMode::Links);

    // Sizes 5, 4, 16: the right tributary (4) joins the trunk.
    Basins five = links;
    merge_small_basins(five, 5);
    EXPECT_EQ(five.labels.values(),
              raster_of<std::int32_t>({ { 1, 1, 1, 2, 2 },
                                        { 1, 1, 2, 2, 2 },
                                        { 2, 2, 2, 2, 2 },
                                        { 2, 2, 2, 2, 2 },
                                        { 2, 2, 2, 2, 2 } })
                .values());
    EXPECT_EQ(five.downstream, (std::vector<std::int32_t>{ 0, 2, 0 }));
    EXPECT_EQ(five.stream_cells, 5u);

    Basins six = links;
    merge_small_basins(six, 6);
    EXPECT_EQ(six.labels.values(), std::vector<std::int32_t>(25, 1));
    EXPECT_EQ(six.downstream, (std::vector<std::int32_t>{ 0, 0 }));

    // Basins that drain nowhere stay, however small.
    Basins outlets = delineate_basins(
      three_outlets(), flow_accumulation(three_outlets()), 3.0, BasinMode::Outlets);
    const Basins before = outlets;
    merge_small_basins(outlets, 100);
    EXPECT_EQ(outlets.labels.values(), before.labels.values());
    EXPECT_EQ(outlets.downstream, before.downstream);
}

TEST(Hydrology, MergeOrderIsSmallestThenLowestLabel)
{
    // Chain 1 (2 cells) -> 2 (2 cells) -> 3 (10 cells). Label 1 goes first and makes a basin of
    // 4, which stays; merging 2 first would have swallowed 1 as well.
    Basins chain;
    chain.labels = Raster<std::int32_t>(grid_of(1, 14), 3);
    chain.labels(0, 0) = chain.labels(0, 1) = 1;
    chain.labels(0, 2) = chain.labels(0, 3) = 2;
    chain.downstream = { 0, 2, 3, 0 };
    Basins three = chain;
    merge_small_basins(three, 3);
    EXPECT_EQ(three.labels.values(),
              (std::vector<std::int32_t>{ 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2 }));
    EXPECT_EQ(three.downstream, (std::vector<std::int32_t>{ 0, 2, 0 }));

    // Under 5, the union of 1 and 2 (4 cells) merges again, into 3.
    Basins five = chain;
    merge_small_basins(five, 5);
    EXPECT_EQ(five.labels.values(), std::vector<std::int32_t>(14, 1));
    EXPECT_EQ(five.downstream, (std::vector<std::int32_t>{ 0, 0 }));
}

TEST(Hydrology, BurnStreamsLowersValidMaskedCells)
{
    Raster<float> dem(grid_of(1, 3), 5.0f);
    dem.mask() = { 1, 1, 0 };
    burn_streams(dem, { 0, 1, 1 }, 2.0f);
    EXPECT_EQ(dem.values(), (std::vector<float>{ 5, 3, 5 }));
    EXPECT_THROW(burn_streams(dem, { 1 }, 2.0f), InvalidArgument);
    EXPECT_THROW(burn_streams(dem, { 0, 0, 0 }, -1.0f), InvalidArgument);
}

TEST(Hydrology, BadInputsAreRejected)
{
    Raster<float> dem(grid_of(3, 3), 1.0f);
    dem(1, 1) = std::nanf("");
    EXPECT_THROW(fill_depressions(dem), InvalidArgument);
    EXPECT_THROW(flow_directions(dem), InvalidArgument);

    // Two cells pointing at each other.
    const Raster<std::uint8_t> cycle =
      raster_of<std::uint8_t>({ { O, O, O, O }, { O, E, W, O }, { O, O, O, O } });
    EXPECT_THROW(flow_accumulation(cycle), InvalidArgument);
    EXPECT_THROW(flow_accumulation(raster_of<std::uint8_t>({ { 9 } })), InvalidArgument);
    EXPECT_THROW(
      delineate_basins(cycle, Raster<double>(grid_of(3, 4), 1.0), 2.0, BasinMode::Outlets),
      InvalidArgument);
    EXPECT_THROW(delineate_basins(cycle, Raster<double>(grid_of(2, 2)), 2.0, BasinMode::Links),
                 GridMismatch);
}

TEST(Hydrology, ProgressCanCancel)
{
    Raster<float> dem(grid_of(50, 50), 1.0f);
    const Progress stop = [](double, std::string_view) { return false; };
    EXPECT_THROW(fill_depressions(dem, stop), Cancelled);
    EXPECT_THROW(flow_directions(dem, stop), Cancelled);
    EXPECT_THROW(flow_accumulation(flow_directions(dem), stop), Cancelled);
}

namespace {

/// Rough random terrain (a tilted surface plus noise) with scattered nodata and a nodata lake.
Raster<float> random_dem(std::size_t size, unsigned seed)
{
    std::mt19937 random(seed);
    std::uniform_real_distribution<float> noise(0.0f, 10.0f);
    std::uniform_int_distribution<int> coin(0, 99);
    Raster<float> dem(grid_of(size, size, 5.0, 5.0));
    dem.mask().assign(size * size, 1);
    for (std::size_t r = 0; r < size; ++r)
        for (std::size_t c = 0; c < size; ++c) {
            // Whole numbers, so flats of equal cells occur as well as pits.
            dem(r, c) = std::floor(0.05f * float(r + c) + noise(random));
            if (coin(random) < 2)
                dem.mask()[r * size + c] = 0;
        }
    for (std::size_t r = size / 3; r < size / 2; ++r)
        for (std::size_t c = size / 3; c < size / 2; ++c)
            dem.mask()[r * size + c] = 0;
    return dem;
}

struct Chain
{
    Raster<float> filled;
    Raster<std::uint8_t> dir;
    Raster<double> acc;
    Basins links, outlets;
};

Chain run_chain(const Raster<float>& dem)
{
    Chain chain;
    chain.filled = fill_depressions(dem);
    chain.dir = flow_directions(chain.filled);
    chain.acc = flow_accumulation(chain.dir);
    chain.links = delineate_basins(chain.dir, chain.acc, 50.0, BasinMode::Links);
    merge_small_basins(chain.links, 30);
    chain.outlets = delineate_basins(chain.dir, chain.acc, 50.0, BasinMode::Outlets);
    return chain;
}

} // namespace

TEST(Hydrology, RandomDemGivesTheSameResultOnOneAndTwoThreads)
{
    const Raster<float> dem = random_dem(300, 42);
    Chain one, two;
    {
        tbb::global_control threads(tbb::global_control::max_allowed_parallelism, 1);
        one = run_chain(dem);
    }
    {
        tbb::global_control threads(tbb::global_control::max_allowed_parallelism, 2);
        two = run_chain(dem);
    }
    EXPECT_EQ(one.filled.values(), two.filled.values());
    EXPECT_EQ(one.dir.values(), two.dir.values());
    EXPECT_EQ(one.acc.values(), two.acc.values());
    EXPECT_EQ(one.links.labels.values(), two.links.labels.values());
    EXPECT_EQ(one.links.downstream, two.links.downstream);
    EXPECT_EQ(one.outlets.labels.values(), two.outlets.labels.values());

    // Invariants: filled >= dem; each step goes to a valid neighbour no higher; all drains.
    const std::size_t cols = dem.cols();
    for (std::size_t i = 0; i < dem.values().size(); ++i) {
        if (dem.mask()[i] == 0) {
            EXPECT_EQ(one.filled.values()[i], dem.values()[i]);
            EXPECT_EQ(one.links.labels.values()[i], 0);
            continue;
        }
        ASSERT_GE(one.filled.values()[i], dem.values()[i]);
        EXPECT_GT(one.links.labels.values()[i], 0);
        const std::uint8_t d = one.dir.values()[i];
        ASSERT_LE(d, kOutlet);
        if (d == kOutlet)
            continue;
        const std::size_t j =
          (i / cols + direction_row_offset[d]) * cols + (i % cols + direction_col_offset[d]);
        ASSERT_EQ(dem.mask()[j], 1);
        ASSERT_LE(one.filled.values()[j], one.filled.values()[i]);
    }
    expect_drains_completely(one.dir, one.acc);

    // Each merged basin drains into another basin or nowhere, with labels 1..m all used.
    const std::size_t m = one.links.downstream.size() - 1;
    std::vector<std::size_t> size(m + 1, 0);
    for (std::int32_t l : one.links.labels.values())
        ++size[std::size_t(l)];
    for (std::size_t l = 1; l <= m; ++l) {
        EXPECT_GT(size[l], 0u);
        if (size[l] < 30) {
            EXPECT_EQ(one.links.downstream[l], 0) << "a small basin was left unmerged";
        }
    }
}

TEST(Hydrology, BasinLabellingIsTheSameOnAnyThreadCount)
{
    // 640 x 640 cells: the labelling runs in six bands of 102 rows, and its walks downstream
    // cross them. Labels, downstream basins and stream cells equal one thread's; labels number
    // the basins in order of their first cell; every cell has its downstream cell's label
    // unless it is an outlet or a stream cell of another link.
    const Raster<float> dem = random_dem(640, 7);
    const Raster<std::uint8_t> dir = flow_directions(fill_depressions(dem));
    const Raster<double> acc = flow_accumulation(dir);
    for (BasinMode mode : { BasinMode::Links, BasinMode::Outlets }) {
        Basins one;
        {
            tbb::global_control threads(tbb::global_control::max_allowed_parallelism, 1);
            one = delineate_basins(dir, acc, 200.0, mode);
        }
        for (std::size_t t : { 2, 8 }) {
            tbb::global_control threads(tbb::global_control::max_allowed_parallelism, t);
            const Basins many = delineate_basins(dir, acc, 200.0, mode);
            EXPECT_EQ(many.labels.values(), one.labels.values()) << t << " threads";
            EXPECT_EQ(many.downstream, one.downstream);
            EXPECT_EQ(many.stream_cells, one.stream_cells);
        }
        std::int32_t highest = 0;
        const std::size_t cols = dem.cols();
        for (std::size_t i = 0; i < dem.values().size(); ++i) {
            const std::int32_t l = one.labels.values()[i];
            ASSERT_LE(l, highest + 1) << "labels follow the basins' first cells";
            highest = std::max(highest, l);
            const std::uint8_t d = dir.values()[i];
            if (l == 0 || d == kOutlet)
                continue;
            const std::size_t j =
              (i / cols + direction_row_offset[d]) * cols + (i % cols + direction_col_offset[d]);
            if (acc.values()[j] < 200.0 || mode == BasinMode::Outlets)
                EXPECT_EQ(one.labels.values()[j], l);
        }
        EXPECT_EQ(std::size_t(highest) + 1, one.downstream.size());
    }
}

TEST(Hydrology, FlatsGiveTheSameDirectionsInAnyBandsAndThreads)
{
    // Whole-number terrain (flats everywhere) and, walled in, a U-shaped flat cut across every
    // band border, whose arms meet only at its bottom, 120 rows down: its pieces in the upper
    // bands are joined only through the lower ones. Its one way out is at the grid's top edge.
    Raster<float> dem = random_dem(200, 7);
    std::size_t u_cells = 0;
    for (std::size_t r = 0; r < 140; ++r)
        for (std::size_t c = 0; c < 140; ++c) {
            const bool arm = (c >= 5 && c < 25) || (c >= 115 && c < 135);
            const bool bottom = r >= 120 && r < 130 && c >= 5 && c < 135;
            const bool u = r >= 1 && r < 130 && (arm || bottom);
            const bool exit = r == 0 && c >= 10 && c < 15;
            dem(r, c) = u || exit ? 3.0f : 20.0f;
            dem.mask()[r * 200 + c] = 1;
            u_cells += u;
        }
    const Raster<float> filled = fill_depressions(dem);
    Raster<std::uint8_t> one_band;
    {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
        one_band = flow_directions(filled, {}, filled.rows());
    }
    for (std::size_t rows : { 1, 2, 3, 7, 16, 50, 0 })
        for (int threads : { 1, 2, 8 }) {
            tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                      std::size_t(threads));
            ASSERT_EQ(flow_directions(filled, {}, rows).values(), one_band.values())
              << "bands of " << rows << " rows, " << threads << " threads";
        }
    // The whole U, far arm included, drains out through its exit.
    const Raster<double> acc = flow_accumulation(one_band);
    expect_drains_completely(one_band, acc);
    double out = 0.0;
    for (std::size_t c = 10; c < 15; ++c) {
        EXPECT_EQ(one_band(0, c), kOutlet);
        out += acc(0, c);
    }
    EXPECT_GE(out, double(u_cells));
}
