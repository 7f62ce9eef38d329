#include "landel/analysis/measurement/targets.h"
#include "landel/core/error.h"

#include <gtest/gtest.h>

using namespace landel::analysis;

namespace {
const std::vector<Milestone> nplg{ { 2030, 0.05 }, { 2050, 0.10 } };
}

TEST(Targets, GapsAndStatusBelowFirstMilestone)
{
    const auto t = evaluate_targets(2.0, 100.0, nplg);
    EXPECT_DOUBLE_EQ(t.target_ha[0], 5.0);
    EXPECT_DOUBLE_EQ(t.target_ha[1], 10.0);
    EXPECT_DOUBLE_EQ(t.gap_ha[0], 3.0);
    EXPECT_DOUBLE_EQ(t.gap_ha[1], 8.0);
    EXPECT_DOUBLE_EQ(*t.share_pct, 2.0);
    EXPECT_EQ(t.status, "below_2030");
}

TEST(Targets, LatestMetMilestoneNamesTheStatus)
{
    EXPECT_EQ(evaluate_targets(6.0, 100.0, nplg).status, "met_2030");
    EXPECT_EQ(evaluate_targets(12.0, 100.0, nplg).status, "met_2050");
}

TEST(Targets, GapUnderOneSquareMetreCountsAsZero)
{
    // 5 ha target, 4.99995 ha present: a 0.5 m^2 gap is round-off, not a gap.
    const auto t = evaluate_targets(5.0 - 0.00005, 100.0, nplg);
    EXPECT_EQ(t.gap_ha[0], 0.0);
    EXPECT_EQ(t.status, "met_2030");
    const auto u = evaluate_targets(5.0 - 0.0002, 100.0, nplg);
    EXPECT_NEAR(u.gap_ha[0], 0.0002, 1e-12);
    EXPECT_EQ(u.status, "below_2030");
}

TEST(Targets, NoRuralLandHasNoShare)
{
    const auto t = evaluate_targets(0.0, 0.00005, nplg);
    EXPECT_FALSE(t.share_pct.has_value());
    EXPECT_EQ(t.status, "no_rural_land");
}

TEST(Targets, MilestoneRulesAreEnforced)
{
    EXPECT_NO_THROW(validate_milestones(nplg, "targets"));
    EXPECT_THROW(validate_milestones({ { 2050, 0.1 }, { 2030, 0.05 } }, "targets"),
                 landel::InvalidArgument);
    EXPECT_THROW(validate_milestones({ { 2030, 0.1 }, { 2050, 0.05 } }, "targets"),
                 landel::InvalidArgument);
    EXPECT_THROW(validate_milestones({ { 2030, 0.0 } }, "targets"), landel::InvalidArgument);
    EXPECT_THROW(validate_milestones({ { 2030, 1.5 } }, "targets"), landel::InvalidArgument);
}
