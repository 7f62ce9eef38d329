// Which given areas belong to a batch unit.
#include "landel/analysis/measurement/area_selection.h"
#include "wkt.h"

#include <gtest/gtest.h>

using landel::analysis::areas_meeting;

TEST(AreaSelection, KeepsAreasInsideOrCutAndLeavesOutNeighboursAndSlivers)
{
    const std::vector<std::string> unit{ landel::test::wkb(
      "POLYGON((0 0,100 0,100 100,0 100,0 0))") };
    const std::vector<std::string> areas{
        landel::test::wkb("POLYGON((10 10,20 10,20 20,10 20,10 10))"),     // inside
        landel::test::wkb("POLYGON((90 10,150 10,150 20,90 20,90 10))"),   // cut: 100 m2 inside
        landel::test::wkb("POLYGON((100 0,200 0,200 100,100 100,100 0))"), // shares an edge only
        landel::test::wkb("POLYGON((300 0,400 0,400 100,300 100,300 0))"), // far away
        landel::test::wkb(
          "POLYGON((99.99 0,200 0,200 100,99.99 100,99.99 0))") // a 1 m2 sliver inside
    };
    const auto s = areas_meeting(unit, areas, 100.0);
    EXPECT_EQ(s.selected, (std::vector<std::size_t>{ 0, 1 }));
    EXPECT_EQ(s.slivers, 1u);
    EXPECT_NEAR(s.left_out_m2, 1.0, 1e-6);

    const auto all = areas_meeting(unit, areas, 0.5);
    EXPECT_EQ(all.selected, (std::vector<std::size_t>{ 0, 1, 4 }));
}
