#include "landel/analysis/monitoring/trajectory.h"
#include "landel/core/error.h"

#include <gtest/gtest.h>

using namespace landel::analysis;

namespace {

// Baseline 2024 with 2 ha of elements on 100 ha of rural land (2 %), milestone 5 % in 2030:
// the rate needed is (5 - 2) / (2030 - 2024) = 0.5 percent points a year, so the path passes
// 2 + 2 x 0.5 = 3 % in 2026, and the increment needed is 0.05 x 100 - 2 = 3 ha.
TrajectoryInput in_2026(double last_element_ha, double last_rural_ha = 100.0)
{
    return TrajectoryInput{
        2024, 2.0, 100.0, 2026, last_element_ha, last_rural_ha, { 2030, 0.05 }
    };
}

constexpr double eps = 1e-12;

} // namespace

TEST(Trajectory, ExactlyOnThePath)
{
    // 3 ha on 100 ha in 2026 = 3 %, the path's share; achieved (3 - 2) / 2 = 0.5 pp a year,
    // so 5 % is reached 2026 + (5 - 3) / 0.5 = 2030.
    const Trajectory t = trajectory(in_2026(3.0));
    EXPECT_EQ(t.year, 2030);
    EXPECT_NEAR(t.needed_ha, 3.0, eps);
    EXPECT_NEAR(t.realised_ha, 1.0, eps);
    ASSERT_TRUE(t.realised_pct);
    EXPECT_NEAR(*t.realised_pct, 100.0 / 3.0, eps);
    EXPECT_NEAR(t.rate_needed, 0.5, eps);
    EXPECT_NEAR(t.rate_achieved, 0.5, eps);
    EXPECT_NEAR(t.path_share_pct, 3.0, eps);
    EXPECT_EQ(t.status, PathStatus::OnTrack);
    ASSERT_TRUE(t.year_reached);
    EXPECT_NEAR(*t.year_reached, 2030.0, eps);
}

TEST(Trajectory, OnThePathMeasuredOnEachYearsOwnRuralLand)
{
    // 2.7 ha on 90 ha of rural land in 2026 is 3 %: on the path, though fewer hectares than
    // 3 % of the baseline's 100 ha. The increment realised is 0.7 of the 3 ha needed.
    const Trajectory t = trajectory(in_2026(2.7, 90.0));
    EXPECT_NEAR(t.last_share_pct, 3.0, eps);
    EXPECT_EQ(t.status, PathStatus::OnTrack);
    EXPECT_NEAR(*t.realised_pct, 100.0 * 0.7 / 3.0, eps);
}

TEST(Trajectory, BehindThePath)
{
    // 2.5 % in 2026: achieved (2.5 - 2) / 2 = 0.25 pp a year, half the rate needed; at that
    // rate 5 % comes 2026 + (5 - 2.5) / 0.25 = 2036.
    const Trajectory t = trajectory(in_2026(2.5));
    EXPECT_NEAR(t.rate_achieved, 0.25, eps);
    EXPECT_NEAR(t.rate_needed, 0.5, eps);
    EXPECT_EQ(t.status, PathStatus::Behind);
    EXPECT_NEAR(*t.realised_pct, 100.0 * 0.5 / 3.0, eps);
    EXPECT_NEAR(*t.year_reached, 2036.0, 1e-9);
    // 1 m^2 short of the path (1e-4 ha on 100 ha = 1e-4 pp) is behind too.
    EXPECT_EQ(trajectory(in_2026(3.0 - 1e-4)).status, PathStatus::Behind);
}

TEST(Trajectory, AlreadyMet)
{
    // 5.2 % in 2026: met; no year to reach it.
    const Trajectory t = trajectory(in_2026(5.2));
    EXPECT_EQ(t.status, PathStatus::Met);
    EXPECT_FALSE(t.year_reached);
    EXPECT_NEAR(*t.realised_pct, 100.0 * 3.2 / 3.0, eps);

    // Met at the baseline (6 % of 100 ha): nothing needed, so no realised percentage.
    TrajectoryInput base_met = in_2026(6.5);
    base_met.base_element_ha = 6.0;
    const Trajectory u = trajectory(base_met);
    EXPECT_NEAR(u.needed_ha, 5.0 - 6.0, eps);
    EXPECT_FALSE(u.realised_pct);
    EXPECT_EQ(u.status, PathStatus::Met);
}

TEST(Trajectory, NegativeOrZeroRateNeverReaches)
{
    // 1.5 % in 2026: (1.5 - 2) / 2 = -0.25 pp a year.
    const Trajectory t = trajectory(in_2026(1.5));
    EXPECT_NEAR(t.rate_achieved, -0.25, eps);
    EXPECT_EQ(t.status, PathStatus::Behind);
    EXPECT_FALSE(t.year_reached);
    EXPECT_NEAR(*t.realised_pct, 100.0 * -0.5 / 3.0, eps);
    EXPECT_FALSE(trajectory(in_2026(2.0)).year_reached);
}

TEST(Trajectory, PastTheMilestoneThePathIsTheTarget)
{
    // Last year 2032 beyond the 2030 milestone: the path stays at 5 %; 4.9 % is behind.
    TrajectoryInput in = in_2026(4.9);
    in.last_year = 2032;
    const Trajectory t = trajectory(in);
    EXPECT_NEAR(t.path_share_pct, 5.0, eps);
    EXPECT_EQ(t.status, PathStatus::Behind);
}

TEST(Trajectory, NoRuralLandIsAShareOfZero)
{
    TrajectoryInput in = in_2026(1.0);
    in.base_rural_ha = 0.0;
    const Trajectory t = trajectory(in);
    EXPECT_EQ(t.base_share_pct, 0.0);
    // (1 % - 0) / 2 years.
    EXPECT_NEAR(t.rate_achieved, 0.5, eps);
}

TEST(Trajectory, YearsOutOfOrderAreRejected)
{
    TrajectoryInput same = in_2026(3.0);
    same.last_year = same.base_year;
    EXPECT_THROW(trajectory(same), landel::InvalidArgument);
    TrajectoryInput past = in_2026(3.0);
    past.milestone.year = 2024;
    EXPECT_THROW(trajectory(past), landel::InvalidArgument);
}

TEST(Trajectory, StatusNames)
{
    EXPECT_STREQ(to_string(PathStatus::Met), "met");
    EXPECT_STREQ(to_string(PathStatus::OnTrack), "on_track");
    EXPECT_STREQ(to_string(PathStatus::Behind), "behind");
}
