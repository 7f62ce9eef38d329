#include "landel/analysis/measurement/free_edges.h"
#include "landel/core/error.h"
#include "wkt.h"

#include <gtest/gtest.h>

using namespace landel;

namespace {

std::string rect(double x0, double y0, double x1, double y1)
{
    const auto s = [](double v) { return std::to_string(v); };
    return "POLYGON((" + s(x0) + " " + s(y0) + "," + s(x1) + " " + s(y0) + "," + s(x1) + " " +
           s(y1) + "," + s(x0) + " " + s(y1) + "," + s(x0) + " " + s(y0) + "))";
}

} // namespace

TEST(FreeEdges, SharedEdgesCountOnceAndElementsTakeTheirClearance)
{
    const std::vector<std::string> areas{ test::wkb(rect(0, 0, 200, 100)),
                                          test::wkb(rect(0, 0, 100, 50)) };
    const std::vector<std::string> parcels{ test::wkb(rect(0, 0, 100, 100)),
                                            test::wkb(rect(100, 0, 200, 100)) };
    // Area 1 holds a 10 m strip over the parcels' shared edge; area 2 no element.
    const std::vector<std::vector<std::string>> elements{ { test::wkb(rect(95, 0, 105, 100)) },
                                                          {} };
    const std::vector<double> free = analysis::free_edge_length_m(areas, parcels, elements, 5.0);
    // Area 1: 600 m of outline + 100 m shared = 700, minus the shared edge and 20 m of the top
    // and bottom edges within 5 m of the strip (x 90..110).
    EXPECT_NEAR(free[0], 560.0, 1e-9);
    // Area 2 (the lower-left quarter): its left and bottom parcel edges, 50 + 100 m; its right
    // side lies on the shared edge x = 100 (50 m), its top edge is no parcel edge.
    EXPECT_NEAR(free[1], 200.0, 1e-9);
}

TEST(FreeEdges, NegativeClearanceIsRejected)
{
    EXPECT_THROW(analysis::free_edge_length_m({}, {}, {}, -1.0), InvalidArgument);
}

TEST(FreeEdges, LinesAreTheFreeEdgesAsPiecesOfAtLeastTheMinimumLength)
{
    const std::vector<std::string> lands{ test::wkb(rect(0, 0, 200, 100)) };
    const std::vector<std::string> parcels{ test::wkb(rect(0, 0, 100, 100)),
                                            test::wkb(rect(100, 0, 200, 100)) };
    const std::vector<std::vector<std::string>> elements{ { test::wkb(rect(95, 0, 105, 100)) } };
    // The same 560 m as the length above, in pieces: west (x 0..90 along the bottom, up the
    // west side and back along the top to x 90: 90 + 100 + 90) and east likewise.
    const auto lines = analysis::free_edge_lines(lands, parcels, elements, 5.0, 0.0);
    ASSERT_EQ(lines.size(), 1u);
    ASSERT_EQ(lines[0].size(), 2u);
    double total = 0.0;
    for (const std::string& l : lines[0]) {
        geometry::GeosContext ctx;
        const double length = geometry::length(ctx, geometry::from_wkb(ctx, l).get());
        EXPECT_NEAR(length, 280.0, 1e-9);
        total += length;
    }
    EXPECT_NEAR(total, analysis::free_edge_length_m(lands, parcels, elements, 5.0)[0], 1e-9);
    // Pieces shorter than the minimum are no candidates.
    EXPECT_TRUE(analysis::free_edge_lines(lands, parcels, elements, 5.0, 300.0)[0].empty());
    EXPECT_TRUE(analysis::free_edge_lines({ "" }, parcels, { {} }, 5.0, 0.0)[0].empty());
}
