#include "landel/analysis/monitoring/same_land.h"
#include "landel/core/error.h"
#include "wkt.h"

#include <gtest/gtest.h>

using namespace landel;
using test::wkb;

namespace {

/// A 1000 m square (1e6 m²) at @p x0, @p y0, @p top metres tall.
std::string area(double x0, double y0, double top = 1000.0)
{
    const auto s = [](double v) { return std::to_string(v); };
    return wkb("POLYGON((" + s(x0) + " " + s(y0) + "," + s(x0 + 1000) + " " + s(y0) + "," +
               s(x0 + 1000) + " " + s(y0 + top) + "," + s(x0) + " " + s(y0 + top) + "," + s(x0) +
               " " + s(y0) + "))");
}

} // namespace

TEST(SameLand, TheSameLandDrawnAlikeOrFromAnotherVertexIs)
{
    const std::string rotated =
      wkb("POLYGON((1000 0,1000 1000,0 1000,0 0,1000 0))"); // other start, other orientation
    const std::vector<bool> same =
      analysis::same_land({ area(0, 0), area(0, 0) }, { area(0, 0), rotated });
    EXPECT_EQ(same, std::vector<bool>({ true, true }));
}

TEST(SameLand, ADifferenceAboveTheToleranceIsNot)
{
    // 1 m taller: 1000 m² of 1e6 m², 1e-3 of the area. Shifted 1e-5 m: 2 × 1000 × 1e-5 m² =
    // 0.02 m², 2e-8 of the area, within 1e-6.
    const std::vector<bool> same =
      analysis::same_land({ area(0, 0), area(0, 0) }, { area(0, 0, 1001), area(1e-5, 0) });
    EXPECT_EQ(same, std::vector<bool>({ false, true }));
    EXPECT_EQ(analysis::same_land({ area(0, 0) }, { area(0, 0, 1001) }, 2e-3),
              std::vector<bool>({ true }));
}

TEST(SameLand, TwoEmptyAreasAreAndAnEmptyOneAndLandAreNot)
{
    const std::string empty = wkb("MULTIPOLYGON EMPTY");
    EXPECT_EQ(analysis::same_land({ empty, empty }, { empty, area(0, 0) }),
              std::vector<bool>({ true, false }));
}

TEST(SameLand, ListsOfDifferentLengthsAreAnError)
{
    EXPECT_THROW(analysis::same_land({ area(0, 0) }, {}), InvalidArgument);
}
