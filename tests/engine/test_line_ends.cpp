// Line ends and whether they connect (docs/siting.md, "The element network").

#include "landel/analysis/measurement/measurement.h"
#include "wkt.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>

using namespace landel;
using namespace landel::analysis;

namespace {

ElementFeature feature(const std::string& wkt, int type, double width, std::int64_t fid)
{
    ElementFeature f;
    f.wkb = test::wkb(wkt);
    f.type = type;
    f.width_m = width;
    f.fid = fid;
    return f;
}

/// Two hedges on one line, 20 m apart end to end (flat ends: their strips are 20 m apart
/// too), a tree 10 m beyond the second hedge's far end, and a hedge around a yard (closed: no
/// ends), in a 400 x 100 m area.
MeasureRequest hedges(double gap_m)
{
    MeasureRequest r;
    r.areas_label = "areas";
    r.types = { "hedge", "solitary_tree" };
    r.milestones = { { 2030, 0.05 }, { 2050, 0.10 } };
    AreaFeature a;
    a.id = "A";
    a.wkb = test::wkb(test::square(0, 0, 400));
    r.areas = { a };
    r.sources = {
        { "hedges",
          { feature("LINESTRING(10 50, 110 50)", 0, 2.0, 1),
            feature("LINESTRING(130 50, 230 50)", 0, 2.0, 2),
            feature("LINESTRING(300 300, 350 300, 350 350, 300 350, 300 300)", 0, 2.0, 3) },
          {} },
        { "trees", { feature("POINT(244 50)", 1, 8.0, 4) }, {} }
    };
    r.line_end_gap_m = gap_m;
    return r;
}

} // namespace

TEST(LineEnds, EndsWithinTheGapOfAnotherElementConnect)
{
    // At 25 m: the facing ends (20 m apart) connect, and the second hedge's far end reaches the
    // tree's crown (14 m to the centre, 4 m radius: 10 m); the first hedge's far end does not.
    const MeasureResult at25 = measure(hedges(25.0));
    EXPECT_EQ(at25.areas[0].line_ends, 4);
    EXPECT_EQ(at25.areas[0].connected_line_ends, 3);
    // At 15 m only the end beside the tree; at 5 m none.
    EXPECT_EQ(measure(hedges(15.0)).areas[0].connected_line_ends, 1);
    EXPECT_EQ(measure(hedges(5.0)).areas[0].connected_line_ends, 0);
}

TEST(LineEnds, NotCountedWithoutAGap)
{
    MeasureRequest r = hedges(25.0);
    r.line_end_gap_m.reset();
    EXPECT_EQ(measure(r).areas[0].line_ends, -1);
}

TEST(LineEnds, AnEndOutsideTheRuralLandIsNotCountedNorIsLandOutsideIt)
{
    // A road mask from x = 100 to 125 over the gap between the hedges: the first hedge's near
    // end (110 50) lies on the road and is not counted. The second hedge's near end (130 50)
    // is 20 m from the first hedge's strip, but that part of it lies on the road, no element
    // land: its land in the rural land ends at x = 100, 30 m away.
    MeasureRequest r = hedges(25.0);
    r.masks = { { "roads", -1, { test::wkb("POLYGON((100 0,125 0,125 400,100 400,100 0))") } } };
    const AreaMeasure a = measure(r).areas[0];
    EXPECT_EQ(a.line_ends, 3);           // 10 50, 130 50, 230 50
    EXPECT_EQ(a.connected_line_ends, 1); // 230 50, beside the tree
    r.line_end_gap_m = 35.0;
    EXPECT_EQ(measure(r).areas[0].connected_line_ends, 2);
}

TEST(LineEnds, TheSameCountsForOneAndTwoThreads)
{
    std::int64_t counts[2] = {};
    for (int threads : { 1, 2 }) {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
        counts[threads - 1] = measure(hedges(25.0)).areas[0].connected_line_ends;
    }
    EXPECT_EQ(counts[0], counts[1]);
}
