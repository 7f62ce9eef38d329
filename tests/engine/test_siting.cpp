// Choosing candidate sites (bid/siting.h) and what a site adds to the network
// (ElementNetwork::eca_with), checked by hand and against a full recomputation.
#include "landel/analysis/connectivity/connectivity.h"
#include "landel/bid/siting.h"
#include "wkt.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace landel;

namespace {

using test::rect_wkb;

} // namespace

TEST(Siting, EcaPerEuroPrefersTheBestGainPerEuroAndCostPerHaTheCheapest)
{
    const std::vector<bid::SiteOption> options{
        { 1.0, 1000.0, 0.5 },       // 0.0005 ha/EUR, 1000 EUR/ha
        { 1.0, 4000.0, 4.0 },       // 0.001 ha/EUR, 4000 EUR/ha
        { 2.0, 1000.0, 0.5 },       // 0.0005 ha/EUR (a tie with 0), 500 EUR/ha
        { 1.0, std::nullopt, 9.0 }, // uncosted: last
    };
    EXPECT_EQ(bid::siting_order(options, bid::SitingRule::EcaPerEuro),
              (std::vector<std::size_t>{ 1, 0, 2, 3 }));
    EXPECT_EQ(bid::siting_order(options, bid::SitingRule::CostPerHa),
              (std::vector<std::size_t>{ 2, 0, 1, 3 }));
}

TEST(Siting, PicksCloseEachMilestoneExactlyAndTheCutSiteServesTheNext)
{
    const std::vector<bid::SiteOption> options{ { 1.0, 1.0, 0.0 },
                                                { 2.0, 1.0, 0.0 },
                                                { 4.0, 1.0, 0.0 } };
    // 2030 needs 2 ha, 2050 2.5 ha more: all of 0 and half of 1 for 2030; the other half of 1
    // and 1.5 of the 4 ha of 2 for 2050.
    const auto picks = bid::pick_sites(options, { 0, 1, 2 }, { 2.0, 2.5 });
    ASSERT_EQ(picks.size(), 4u);
    EXPECT_EQ(picks[0].option, 0u);
    EXPECT_DOUBLE_EQ(picks[0].ha, 1.0);
    EXPECT_EQ(picks[1].option, 1u);
    EXPECT_EQ(picks[1].milestone, 0u);
    EXPECT_DOUBLE_EQ(picks[1].ha, 1.0);
    EXPECT_DOUBLE_EQ(picks[1].share, 0.5);
    EXPECT_EQ(picks[2].option, 1u);
    EXPECT_EQ(picks[2].milestone, 1u);
    EXPECT_DOUBLE_EQ(picks[2].from, 0.5);
    EXPECT_DOUBLE_EQ(picks[2].ha, 1.0);
    EXPECT_EQ(picks[3].option, 2u);
    EXPECT_DOUBLE_EQ(picks[3].ha, 1.5);
    double total = 0.0;
    for (const auto& p : picks)
        total += p.ha;
    EXPECT_DOUBLE_EQ(total, 4.5);
    // More than the options hold: all of them, the rest unmet.
    EXPECT_EQ(bid::pick_sites(options, { 0, 1, 2 }, { 10.0 }).size(), 3u);
}

TEST(Siting, EcaWithASiteEqualsTheRecomputedNetwork)
{
    analysis::ConnectivitySettings s;
    const std::vector<std::string> patches{ rect_wkb(0, 0, 10, 10),
                                            rect_wkb(300, 0, 320, 20),
                                            rect_wkb(700, 0, 710, 10),
                                            rect_wkb(0, 500, 40, 510) };
    const analysis::ElementNetwork network(patches, s, true);
    // Sites between patches (a stepping stone), touching one, far from all, and large.
    for (const std::string& site : { rect_wkb(150, 0, 160, 10),
                                     rect_wkb(10, 0, 30, 2),
                                     rect_wkb(2000, 2000, 2010, 2010),
                                     rect_wkb(320, 0, 700, 5) }) {
        std::vector<std::string> with = patches;
        with.push_back(site);
        EXPECT_NEAR(network.eca_with(site), analysis::connectivity(with, s).eca_ha, 1e-12);
    }
    EXPECT_GT(network.eca_with(rect_wkb(150, 0, 160, 10)), network.figures().eca_ha);
}

TEST(Siting, EcaWithASiteInADenseNetworkEqualsTheRecomputedNetwork)
{
    // A 6 x 6 grid of patches 60 m apart, of varied sizes (none overlapped by a site, as no
    // candidate overlaps an element): from a site most patches are reached
    // sooner through nearer ones, so eca_with measures few direct hops (the others cannot
    // shorten a path); the figure must still equal the network recomputed with the site.
    analysis::ConnectivitySettings s;
    std::vector<std::string> patches;
    for (int i = 0; i < 6; ++i)
        for (int j = 0; j < 6; ++j) {
            const double x = 60.0 * i, y = 60.0 * j, w = 4.0 + (i * 7 + j * 3) % 9;
            patches.push_back(rect_wkb(x, y, x + w, y + w));
        }
    const analysis::ElementNetwork network(patches, s, true);
    for (const std::string& site : { rect_wkb(-30, -30, -20, -20),
                                     rect_wkb(25, 25, 45, 45),
                                     rect_wkb(400, 0, 420, 330),
                                     rect_wkb(-900, 100, -880, 120),
                                     rect_wkb(133, 130, 134, 250) }) {
        std::vector<std::string> with = patches;
        with.push_back(site);
        EXPECT_NEAR(network.eca_with(site), analysis::connectivity(with, s).eca_ha, 1e-12);
    }
}
