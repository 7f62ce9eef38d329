// Pledges counted against areas (bid/pledges.h), with figures worked out by hand.

#include "landel/bid/pledges.h"
#include "landel/core/error.h"
#include "wkt.h"

#include <gtest/gtest.h>

#include <cmath>

using landel::bid::Catalogue;
using landel::bid::check_pledge;
using landel::bid::count_pledges;
using landel::bid::Pledge;
using landel::bid::pledge_score;
using landel::bid::PledgeArea;
using landel::test::square;
using landel::test::wkb;

namespace {

Catalogue catalogue()
{
    Catalogue c;
    landel::bid::CatalogueEntry hedge;
    hedge.type = "hedge";
    hedge.unit = "m";
    hedge.m2_per_unit = 2.0;
    hedge.plan_width_m = 2.0;
    landel::bid::CatalogueEntry wood;
    wood.type = "small_wood";
    wood.unit = "ha";
    wood.m2_per_unit = 10000.0;
    landel::bid::CatalogueEntry pond;
    pond.type = "pond";
    pond.unit = "pond";
    pond.m2_per_unit = 500.0;
    pond.plan_width_m = 20.0;
    c.entries = { hedge, wood, pond };
    return c;
}

/// Areas A (0..100 m) and B (100..200 m), 1 ha each. A's top 10 m strip is masked (not rural
/// land) and it has an existing hedge over y 40..42 (200 m²).
std::vector<PledgeArea> areas()
{
    PledgeArea a{ "A",
                  wkb(square(0, 0, 100)),
                  wkb("POLYGON((0 0,100 0,100 90,0 90,0 0))"),
                  { wkb("POLYGON((0 40,100 40,100 42,0 42,0 40))"), "" } };
    PledgeArea b{ "B", wkb(square(100, 0, 100)), "", { "", "" } };
    return { a, b };
}

Pledge pledge(const std::string& participant,
              const std::string& type,
              int year,
              const std::string& wkt,
              std::optional<double> quantity = std::nullopt,
              const std::string& area_id = "")
{
    Pledge p;
    p.label = "pledge of " + participant;
    p.participant = participant;
    p.type = type;
    p.year = year;
    p.quantity = quantity;
    p.area_id = area_id;
    p.geometry_wkb = wkt.empty() ? "" : wkb(wkt);
    return p;
}

} // namespace

TEST(Pledges, AHedgeHalfOnAnExistingHedgeCountsHalf)
{
    // A 2 m strip along y = 42 from x 10 to 60: y 41..43, 100 m², half of it on the hedge.
    const auto count = count_pledges(
      { pledge("Boer A", "hedge", 2028, "LINESTRING(10 42,60 42)") }, areas(), catalogue());
    ASSERT_EQ(count.parts.size(), 1u);
    const auto& p = count.parts[0];
    EXPECT_TRUE(p.placed);
    EXPECT_NEAR(p.gross_ha, 0.0100, 1e-12);
    EXPECT_NEAR(p.on_elements_ha, 0.0050, 1e-12);
    EXPECT_NEAR(p.counted_ha, 0.0050, 1e-12);
    EXPECT_NEAR(p.on_masks_ha, 0.0, 1e-12);
    EXPECT_NEAR(p.quantity, 50.0, 1e-9); // 100 m² / 2 m² per metre
    EXPECT_NEAR(*count.geometry_quantity[0], 50.0, 1e-9);
}

TEST(Pledges, APledgeCrossingTwoAreasIsSplitByItsLand)
{
    // From x 50 to 150 along y = 20: 200 m², 100 m² in each area; the participant is in both.
    const auto count = count_pledges(
      { pledge("Boer A", "hedge", 2030, "LINESTRING(50 20,150 20)") }, areas(), catalogue());
    ASSERT_EQ(count.parts.size(), 2u);
    EXPECT_EQ(count.parts[0].area, 0u);
    EXPECT_EQ(count.parts[1].area, 1u);
    for (const auto& p : count.parts) {
        EXPECT_NEAR(p.gross_ha, 0.01, 1e-12);
        EXPECT_NEAR(p.counted_ha, 0.01, 1e-12);
        EXPECT_NEAR(p.quantity, 50.0, 1e-9);
    }
}

TEST(Pledges, MaskedLandAndAnEarlierPledgeDoNotCount)
{
    // A wood of 20 x 20 m over y 80..100: its top 10 m are masked. The 2030 wood, listed
    // first, overlaps the 2026 wood by 10 x 10 m of rural land, which the 2026 one keeps.
    const auto count = count_pledges(
      { pledge("Gemeente", "small_wood", 2030, "POLYGON((20 70,40 70,40 90,20 90,20 70))"),
        pledge("Boer B", "small_wood", 2026, "POLYGON((10 80,30 80,30 100,10 100,10 80))") },
      areas(),
      catalogue());
    ASSERT_EQ(count.parts.size(), 2u);
    const auto& first = count.parts[0]; // counted first: the earlier year
    EXPECT_EQ(first.pledge, 1u);
    EXPECT_NEAR(first.gross_ha, 0.04, 1e-12);
    EXPECT_NEAR(first.on_masks_ha, 0.02, 1e-12);
    EXPECT_NEAR(first.counted_ha, 0.02, 1e-12);
    const auto& second = count.parts[1];
    EXPECT_EQ(second.pledge, 0u);
    EXPECT_NEAR(second.gross_ha, 0.04, 1e-12);
    EXPECT_NEAR(second.on_pledges_ha, 0.01, 1e-12);
    EXPECT_NEAR(second.counted_ha, 0.03, 1e-12);
    EXPECT_NEAR(second.quantity, 0.04, 1e-12); // hectares of the drawn wood
}

TEST(Pledges, APointIsOneUnitAndAPledgeWithoutGeometryCountsItsQuantity)
{
    const double pi = std::acos(-1.0);
    const auto count = count_pledges({ pledge("Waterschap", "pond", 2030, "POINT(150 50)"),
                                       pledge("Boer C", "hedge", 2030, "", 300.0, "B") },
                                     areas(),
                                     catalogue());
    ASSERT_EQ(count.parts.size(), 2u);
    // The disc of 20 m is an inscribed 128-gon (footprint.h): (n/2) r² sin(2π/n).
    const double disc_m2 = 64.0 * 100.0 * std::sin(2.0 * pi / 128.0);
    EXPECT_NEAR(count.parts[0].counted_ha, disc_m2 / 1e4, 1e-10);
    EXPECT_NEAR(count.parts[0].quantity, 1.0, 1e-12);
    EXPECT_FALSE(count.parts[1].placed);
    EXPECT_NEAR(count.parts[1].counted_ha, 300.0 * 2.0 / 1e4, 1e-12);
    EXPECT_TRUE(count.outside.empty());
}

TEST(Pledges, AGeometryOutsideEveryAreaIsNamed)
{
    const auto count = count_pledges(
      { pledge("Boer D", "hedge", 2030, "LINESTRING(500 500,600 500)") }, areas(), catalogue());
    EXPECT_TRUE(count.parts.empty());
    ASSERT_EQ(count.outside.size(), 1u);
    EXPECT_EQ(count.outside[0], 0u);
}

TEST(Pledges, BadPledgesAreRejectedWithTheirLabel)
{
    const auto a = areas();
    const Catalogue c = catalogue();
    const auto message = [&](const Pledge& p) {
        try {
            check_pledge(p, c, a, 2024);
        } catch (const landel::InvalidArgument& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(message(pledge("X", "hegde", 2030, "", 10.0, "A")),
              "pledge of X: type 'hegde' is not in the catalogue");
    EXPECT_EQ(message(pledge("X", "hedge", 2030, "", -1.0, "A")),
              "pledge of X: quantity -1.000000 is negative or not a number");
    EXPECT_EQ(message(pledge("X", "hedge", 2020, "", 10.0, "A")),
              "pledge of X: year 2020 is before the measurement year 2024");
    EXPECT_EQ(message(pledge("X", "hedge", 2030, "", 10.0, "Z")),
              "pledge of X: area_id 'Z' is not an area of the run");
    Pledge nobody = pledge("X", "hedge", 2030, "", 10.0, "A");
    nobody.participant.clear();
    EXPECT_EQ(message(nobody), "pledge of X: no participant");
    EXPECT_EQ(message(pledge("X", "small_wood", 2030, "POINT(5 5)")),
              "pledge of X: type 'small_wood' has no plan_width_m in the catalogue, so it is "
              "drawn as polygons, not as points");
    EXPECT_EQ(message(pledge("X", "hedge", 2030, "", std::nullopt, "A")),
              "pledge of X: no quantity and no geometry: give one of them");
    EXPECT_EQ(message(pledge("X", "hedge", 2030, "LINESTRING(0 0,10 0)")), "accepted");
}

TEST(Pledges, ScoreOnTheMarkemodelScale)
{
    EXPECT_DOUBLE_EQ(pledge_score(0.0, 4.0), 1.0);  // nothing
    EXPECT_DOUBLE_EQ(pledge_score(4.0, 4.0), 3.0);  // on the path
    EXPECT_DOUBLE_EQ(pledge_score(8.0, 4.0), 5.0);  // twice the path
    EXPECT_DOUBLE_EQ(pledge_score(2.0, 4.0), 2.0);  // half
    EXPECT_DOUBLE_EQ(pledge_score(20.0, 4.0), 5.0); // capped
    EXPECT_DOUBLE_EQ(pledge_score(0.0, 0.0), 3.0);  // nothing needed, nothing done
    EXPECT_DOUBLE_EQ(pledge_score(1.0, 0.0), 5.0);  // nothing needed, done all the same
}
