#include "landel/analysis/measurement/patch_filter.h"
#include "landel/geometry/ops.h"
#include "wkt.h"

#include <gtest/gtest.h>

using namespace landel;

namespace {
std::vector<bool> judge(const std::vector<std::string>& wkts, double max_ha)
{
    geometry::GeosContext ctx;
    std::vector<geometry::GeomPtr> polys;
    std::vector<const GEOSGeometry*> refs;
    for (const auto& w : wkts) {
        polys.push_back(geometry::from_wkt(ctx, w));
        refs.push_back(polys.back().get());
    }
    return analysis::filter_patches(ctx, refs, max_ha * 1e4).keep;
}
} // namespace

TEST(PatchFilter, LargeWoodIsDropped)
{
    // 2 ha = 200 m x 100 m
    EXPECT_EQ(judge({ "POLYGON((0 0,200 0,200 100,0 100,0 0))" }, 1.5), std::vector<bool>{ false });
}

TEST(PatchFilter, EdgeSharingPairUnderTheLimitStays)
{
    // Two 0.6 ha woods (60 m x 100 m) sharing the edge x = 60: one 1.2 ha patch.
    EXPECT_EQ(
      judge({ "POLYGON((0 0,60 0,60 100,0 100,0 0))", "POLYGON((60 0,120 0,120 100,60 100,60 0))" },
            1.5),
      (std::vector<bool>{ true, true }));
}

TEST(PatchFilter, EdgeSharingPairOverTheLimitIsDroppedWhole)
{
    // 0.9 + 0.9 ha sharing an edge: 1.8 ha patch, both parts go.
    EXPECT_EQ(
      judge({ "POLYGON((0 0,90 0,90 100,0 100,0 0))", "POLYGON((90 0,180 0,180 100,90 100,90 0))" },
            1.5),
      (std::vector<bool>{ false, false }));
}

TEST(PatchFilter, CornerTouchDoesNotJoin)
{
    // 0.9 + 0.9 ha meeting in one point only: two patches, both kept.
    EXPECT_EQ(judge({ "POLYGON((0 0,90 0,90 100,0 100,0 0))",
                      "POLYGON((90 100,180 100,180 200,90 200,90 100))" },
                    1.5),
              (std::vector<bool>{ true, true }));
}

TEST(PatchFilter, HolesDoNotCount)
{
    // 1.6 ha outer ring with a 0.16 ha hole: net 1.44 ha, kept.
    EXPECT_EQ(
      judge({ "POLYGON((0 0,160 0,160 100,0 100,0 0),(10 10,30 10,30 90,10 90,10 10))" }, 1.5),
      std::vector<bool>{ true });
}
