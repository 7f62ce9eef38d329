#include "landel/analysis/measurement/targets.h"
#include "landel/bid/proposal.h"
#include "landel/core/error.h"

#include <gtest/gtest.h>

#include <numeric>

using namespace landel;
using bid::BidRequest;
using bid::Catalogue;

namespace {

/// Round figures so that expected costs are easy to check by hand.
Catalogue catalogue()
{
    Catalogue c;
    c.entries.push_back(
      { "hedge", "Hedge", "m", 2.0, { 8.0, 11.5, 15.0 }, 2.45, 0.10, 10, "ANLb", "", "" });
    c.entries.push_back(
      { "pond", "Pond", "pond", 500.0, { 800.0, 1150.0, 1500.0 }, 65.37, 0.10, 10, "", "", "" });
    c.entries.push_back({ "field_margin",
                          "Field margin",
                          "ha",
                          10000.0,
                          { 500.0, 750.0, 1000.0 },
                          2011.84,
                          0.10,
                          10,
                          "",
                          "",
                          "" });
    c.entries.push_back({ "orchard", "Orchard", "ha", 10000.0, {}, 1618.30, 0.10, 10, "", "", "" });
    return c;
}

BidRequest request(std::vector<double> gaps, std::vector<bid::MixShare> shares)
{
    BidRequest r;
    r.years = { 2030, 2050 };
    r.gap_ha = std::move(gaps);
    r.mix = { "test", std::move(shares) };
    return r;
}

} // namespace

TEST(Bid, AreaAtItsTargetGetsNoAdditions)
{
    const bid::AreaBid b = bid::propose(request({ 0.0, 2.0 }, { { "hedge", 1.0 } }), catalogue());
    EXPECT_EQ(b.types[0].add_ha[0], 0.0);
    EXPECT_EQ(b.types[0].qty[0], 0.0);
    EXPECT_EQ(b.build_mid[0], 0.0);
    EXPECT_EQ(b.manage_per_year[0], 0.0);
    EXPECT_DOUBLE_EQ(b.types[0].add_ha[1], 2.0);
}

TEST(Bid, OneHectareOfHedgeAtTwoMetresIsFiveKilometres)
{
    const bid::AreaBid b = bid::propose(request({ 1.0, 1.0 }, { { "hedge", 1.0 } }), catalogue());
    EXPECT_DOUBLE_EQ(b.types[0].add_ha[0], 1.0);
    EXPECT_EQ(b.types[0].qty[0], 5000.0);
    EXPECT_DOUBLE_EQ(b.build_low[0], 5000.0 * 8.0);
    EXPECT_DOUBLE_EQ(b.build_mid[0], 5000.0 * 11.5);
    EXPECT_DOUBLE_EQ(b.build_high[0], 5000.0 * 15.0);
    EXPECT_DOUBLE_EQ(b.manage_per_year[0], 5000.0 * 2.45);
    EXPECT_DOUBLE_EQ(b.land_per_year[0], 10000.0 * 0.10);
    // The 2050 gap equals the 2030 gap: nothing more, management stays.
    EXPECT_EQ(b.types[0].qty[1], 0.0);
    EXPECT_DOUBLE_EQ(b.manage_per_year[1], 5000.0 * 2.45);
    EXPECT_EQ(b.build_mid[1], 0.0);
}

TEST(Bid, MilestonesAddOnlyTheIncrement)
{
    const bid::AreaBid b = bid::propose(
      request({ 1.0, 3.0 }, { { "hedge", 0.5 }, { "field_margin", 0.5 } }), catalogue());
    EXPECT_DOUBLE_EQ(b.types[0].add_ha[0], 0.5);
    EXPECT_DOUBLE_EQ(b.types[0].add_ha[1], 1.0);
    EXPECT_EQ(b.types[0].qty[1], 5000.0);
    EXPECT_DOUBLE_EQ(b.types[1].qty[1], 1.0); // 1 ha of margin
    EXPECT_DOUBLE_EQ(b.manage_per_year[1], (2500.0 + 5000.0) * 2.45 + 1.5 * 2011.84);
}

TEST(Bid, QuantitiesRoundUpToTheUnitStep)
{
    // 0.1234 ha: 617 m of hedge (616.9 rounded up), 3 ponds (2.468), 0.13 ha of margin.
    const bid::AreaBid b =
      bid::propose(request({ 0.1234, 0.1234 }, { { "hedge", 1.0 } }), catalogue());
    EXPECT_EQ(b.types[0].qty[0], 617.0);
    const bid::AreaBid p =
      bid::propose(request({ 0.1234, 0.1234 }, { { "pond", 1.0 } }), catalogue());
    EXPECT_EQ(p.types[0].qty[0], 3.0);
    const bid::AreaBid f =
      bid::propose(request({ 0.1234, 0.1234 }, { { "field_margin", 1.0 } }), catalogue());
    EXPECT_NEAR(f.types[0].qty[0], 0.13, 1e-12);
}

TEST(Bid, CapacityMovesTheRemainderToTheNextType)
{
    BidRequest r = request({ 1.0, 2.0 }, { { "hedge", 0.8 }, { "pond", 0.2 } });
    r.capacity = { 1000.0, std::nullopt }; // 1000 m of free parcel edge = 0.2 ha of hedge
    const bid::AreaBid b = bid::propose(r, catalogue());
    EXPECT_DOUBLE_EQ(b.types[0].add_ha[0], 0.2);
    EXPECT_EQ(b.types[0].qty[0], 1000.0);
    EXPECT_DOUBLE_EQ(b.types[1].add_ha[0], 0.8); // its own 0.2 + the hedge's remaining 0.6
    EXPECT_DOUBLE_EQ(b.types[0].add_ha[1], 0.0); // no edge left in 2050
    EXPECT_DOUBLE_EQ(b.types[1].add_ha[1], 1.0);
    EXPECT_EQ(b.unplaced_ha[0], 0.0);
}

TEST(Bid, WhatNoTypeCanHoldIsUnplaced)
{
    BidRequest r = request({ 1.0, 1.0 }, { { "hedge", 1.0 } });
    r.capacity = { 2000.0 }; // 0.4 ha
    const bid::AreaBid b = bid::propose(r, catalogue());
    EXPECT_DOUBLE_EQ(b.types[0].add_ha[0], 0.4);
    EXPECT_DOUBLE_EQ(b.unplaced_ha[0], 0.6);
}

TEST(Bid, TotalsEqualTheSumOfTheTypes)
{
    const bid::AreaBid b = bid::propose(
      request({ 2.7, 6.1 }, { { "hedge", 0.4 }, { "pond", 0.1 }, { "field_margin", 0.5 } }),
      catalogue());
    const Catalogue c = catalogue();
    for (std::size_t m = 0; m < 2; ++m) {
        double ha = 0.0, mid = 0.0;
        for (const auto& t : b.types) {
            ha += t.add_ha[m];
            mid += t.qty[m] * c.find(t.type)->build.mid.value();
        }
        EXPECT_NEAR(ha + b.unplaced_ha[m], m == 0 ? 2.7 : 6.1 - 2.7, 1e-12);
        EXPECT_NEAR(b.build_mid[m], mid, 1e-6);
    }
}

TEST(Bid, UnknownCostFigureIsLeftOutAndNamed)
{
    const bid::AreaBid b =
      bid::propose(request({ 1.0, 1.0 }, { { "orchard", 0.5 }, { "hedge", 0.5 } }), catalogue());
    EXPECT_DOUBLE_EQ(b.build_mid[0], 2500.0 * 11.5); // the hedge only
    EXPECT_DOUBLE_EQ(b.manage_per_year[0], 0.5 * 1618.30 + 2500.0 * 2.45);
    EXPECT_EQ(b.uncosted, std::vector<std::string>{ "orchard (build)" });
    // An unused type with gaps in its figures is not named.
    const bid::AreaBid h = bid::propose(request({ 1.0, 1.0 }, { { "hedge", 1.0 } }), catalogue());
    EXPECT_TRUE(h.uncosted.empty());
}

TEST(Bid, BadMixesAreRejected)
{
    EXPECT_THROW(bid::propose(request({ 1, 1 }, {}), catalogue()), InvalidArgument);
    EXPECT_THROW(bid::propose(request({ 1, 1 }, { { "hedge", 0.5 } }), catalogue()),
                 InvalidArgument);
    EXPECT_THROW(bid::propose(request({ 1, 1 }, { { "maze", 1.0 } }), catalogue()),
                 InvalidArgument);
    EXPECT_THROW(
      bid::propose(request({ 1, 1 }, { { "hedge", 1.5 }, { "pond", -0.5 } }), catalogue()),
      InvalidArgument);
}

TEST(Bid, PhasingSpreadsConstructionAndAccumulatesManagement)
{
    const Catalogue c = catalogue();
    const bid::AreaBid b = bid::propose(request({ 1.0, 3.0 }, { { "hedge", 1.0 } }), c);
    const std::vector<bid::PhaseYear> years = bid::phase(b, { 2030, 2050 }, 2024, c);
    ASSERT_EQ(years.size(), 26u); // 2025..2050
    EXPECT_EQ(years.front().year, 2025);
    // 2025-2030: 1 ha in 6 equal steps; 2031-2050: 2 ha in 20.
    EXPECT_NEAR(years[0].added_ha, 1.0 / 6.0, 1e-12);
    EXPECT_NEAR(years[5].total_added_ha, 1.0, 1e-12);
    EXPECT_NEAR(years[6].added_ha, 0.1, 1e-12);
    EXPECT_NEAR(years.back().total_added_ha, 3.0, 1e-12);
    double build = 0.0;
    for (const auto& y : years)
        build += y.build_mid;
    EXPECT_NEAR(build, b.build_mid[0] + b.build_mid[1], 1e-6);
    EXPECT_EQ(years[0].manage, 0.0); // nothing built before 2025
    EXPECT_NEAR(years[1].manage, 5000.0 / 6.0 * 2.45, 1e-9);
    EXPECT_NEAR(years[6].manage, 5000.0 * 2.45, 1e-9); // 2031: all of 2030's hedge
    // Land: 1/6 ha from 2025 is paid 2025-2034, so 2035 pays for 2026-2030's and later parts.
    EXPECT_NEAR(years[0].land, 1e4 / 6.0 * 0.10, 1e-9);
}

TEST(Bid, FreeParcelEdgeIsSharedByTheLineTypes)
{
    Catalogue c = catalogue();
    c.entries.push_back(
      { "wooded_bank", "Wooded bank", "m", 5.0, { 15.0, 22.5, 30.0 }, 1.14, 0.10, 10, "", "", "" });
    BidRequest r =
      request({ 1.0, 1.0 }, { { "hedge", 0.5 }, { "wooded_bank", 0.3 }, { "pond", 0.2 } });
    r.edge_pools_m = { 2000.0 };
    r.edge_use = { { true, { 0 }, 2.0 }, { true, { 0 }, 5.0 }, {} };
    const bid::AreaBid b = bid::propose(r, c);
    // Hedge (2 m wide) wants 0.5 ha = 2500 m but gets the 2000 m of edge (0.4 ha); the wooded
    // bank finds no edge left; the rest (0.1 + 0.3) goes to the pond, which needs no edge.
    EXPECT_EQ(b.types[0].qty[0], 2000.0);
    EXPECT_DOUBLE_EQ(b.types[0].add_ha[0], 0.4);
    EXPECT_DOUBLE_EQ(b.types[1].add_ha[0], 0.0);
    EXPECT_NEAR(b.types[2].add_ha[0], 0.6, 1e-12);
    EXPECT_EQ(b.unplaced_ha[0], 0.0);
}

TEST(Bid, EachKindOfEdgeHoldsItsOwnTypes)
{
    // Two pools: 2,000 m of parcel edge and 500 m of ditch bank. The hedge (2 m) lies on parcel
    // edges only, the natural bank (3 m) on banks only, and the field margin (6 m) on both,
    // parcel edges first. A 1 ha gap: the hedge's 0.5 ha wants 2,500 m and gets the 2,000 m
    // (0.4 ha); the natural bank's 0.3 ha and the hedge's 0.1 want 1,333 m of bank and get the
    // 500 m (0.15 ha); the field margin finds no edge left on either; the pond takes the rest.
    Catalogue c = catalogue();
    c.entries.push_back({ "natural_bank", "Bank", "m", 3.0, {}, {}, {}, 0, "", "", "" });
    BidRequest r = request(
      { 1.0, 1.0 },
      { { "hedge", 0.5 }, { "natural_bank", 0.3 }, { "field_margin", 0.1 }, { "pond", 0.1 } });
    r.edge_pools_m = { 2000.0, 500.0 };
    r.edge_use = { { true, { 0 }, 2.0 }, { true, { 1 }, 3.0 }, { true, { 0, 1 }, 6.0 }, {} };
    const bid::AreaBid b = bid::propose(r, c);
    EXPECT_DOUBLE_EQ(b.types[0].add_ha[0], 0.4);
    EXPECT_DOUBLE_EQ(b.types[1].add_ha[0], 0.15);
    EXPECT_EQ(b.types[2].add_ha[0], 0.0);
    EXPECT_NEAR(b.types[3].add_ha[0], 0.45, 1e-12);
    // A listed type with no pool gets no edge; an unlisted one has no edge limit.
    r.edge_pools_m = { 1000.0 };
    r.edge_use = { { true, {}, 2.0 }, {}, { true, { 0 }, 6.0 }, {} };
    const bid::AreaBid none = bid::propose(r, c);
    EXPECT_EQ(none.types[0].add_ha[0], 0.0);
    EXPECT_DOUBLE_EQ(none.types[1].add_ha[0], 0.8); // 0.3 + the hedge's 0.5 down the mix
    EXPECT_DOUBLE_EQ(none.types[2].add_ha[0], 0.1);
    // A field margin whose first pool is shared takes the rest from the next.
    r.edge_pools_m = { 100.0, 200.0 };
    r.edge_use = { {}, {}, { true, { 0, 1 }, 6.0 }, {} };
    r.mix.shares = {
        { "hedge", 0.1 }, { "natural_bank", 0.1 }, { "field_margin", 0.6 }, { "pond", 0.2 }
    };
    const bid::AreaBid both = bid::propose(r, c);
    EXPECT_NEAR(both.types[2].add_ha[0], 300.0 * 6.0 / 1e4, 1e-12);
    EXPECT_THROW(
      [&] {
          BidRequest bad = r;
          bad.edge_use[2].pools = { 2 };
          bid::propose(bad, c);
      }(),
      InvalidArgument);
}

TEST(Bid, AreaExactlyAtFivePercentGetsNo2030Additions)
{
    // 100 ha of rural land with exactly 5 ha of elements: the 2030 target is met.
    const analysis::TargetEvaluation t =
      analysis::evaluate_targets(5.0, 100.0, { { 2030, 0.05 }, { 2050, 0.10 } });
    const bid::AreaBid b =
      bid::propose(request(t.gap_ha, { { "hedge", 0.5 }, { "pond", 0.5 } }), catalogue());
    for (const auto& type : b.types)
        EXPECT_EQ(type.add_ha[0], 0.0) << type.type;
    EXPECT_EQ(b.build_mid[0], 0.0);
    EXPECT_NEAR(b.types[0].add_ha[1] + b.types[1].add_ha[1], 5.0, 1e-12);
}

TEST(Bid, OneOffLandValueLossCountsPermanentTypesOnly)
{
    // 1 ha by 2030, half hedge (permanent), half field margin (not): at EUR 61,000/ha the
    // hedge's 0.5 ha lose EUR 30,500 of land value; the margin stays farmland.
    landel::bid::Catalogue cat;
    landel::bid::CatalogueEntry hedge;
    hedge.type = "hedge";
    hedge.unit = "m";
    hedge.m2_per_unit = 2.0;
    landel::bid::CatalogueEntry margin;
    margin.type = "field_margin";
    margin.unit = "ha";
    margin.m2_per_unit = 1e4;
    margin.permanent = false;
    cat.entries = { hedge, margin };
    landel::bid::BidRequest r;
    r.years = { 2030, 2050 };
    r.gap_ha = { 1.0, 3.0 };
    r.mix = { "*", { { "hedge", 0.5 }, { "field_margin", 0.5 } } };
    r.land_value_eur_per_ha = 61000.0;
    const landel::bid::AreaBid b = landel::bid::propose(r, cat);
    ASSERT_EQ(b.land_value_loss.size(), 2u);
    EXPECT_DOUBLE_EQ(b.land_value_loss[0], 30500.0);
    EXPECT_DOUBLE_EQ(b.land_value_loss[1], 61000.0); // 2050 adds 2 ha, 1 ha of it hedge
}
