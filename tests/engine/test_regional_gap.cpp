#include "landel/bid/regional_gap.h"
#include "landel/core/error.h"

#include <gtest/gtest.h>

#include <cmath>

using landel::bid::allocate_regional_gap;
using landel::bid::AreaStanding;

namespace {

/// An area of @p rural_ha with @p element_ha against 5% and 10% milestones, computed by hand.
AreaStanding area(double rural_ha, double element_ha, double room_ha = HUGE_VAL)
{
    AreaStanding a;
    a.element_ha = element_ha;
    a.room_ha = room_ha;
    for (double share : { 0.05, 0.10 }) {
        a.target_ha.push_back(share * rural_ha);
        a.gap_ha.push_back(std::max(0.0, share * rural_ha - element_ha));
    }
    return a;
}

} // namespace

TEST(RegionalGap, OneAreasSurplusOffsetsAnothersShortfall)
{
    // 100 ha each. A has 8 ha (5% met, 2 ha short of 10%), B has 1 ha (4 and 9 ha short).
    const auto r = allocate_regional_gap({ area(100, 8), area(100, 1) }, 2, 1e-4);
    // 2030: targets 5 + 5 = 10 ha, elements 9 ha: the region lacks 1 ha, the areas 0 + 4 ha.
    EXPECT_DOUBLE_EQ(r.target_ha[0], 10.0);
    EXPECT_DOUBLE_EQ(r.area_gap_ha[0], 4.0);
    EXPECT_DOUBLE_EQ(r.gap_ha[0], 1.0);
    EXPECT_DOUBLE_EQ(r.allocated_ha[0][0], 0.0); // above target: takes nothing
    EXPECT_DOUBLE_EQ(r.allocated_ha[1][0], 1.0);
    // 2050: targets 20 ha, elements 9: 11 ha; shortfalls 2 and 9 share it 2:9.
    EXPECT_DOUBLE_EQ(r.area_gap_ha[1], 11.0);
    EXPECT_DOUBLE_EQ(r.gap_ha[1], 11.0);
    EXPECT_DOUBLE_EQ(r.allocated_ha[0][1], 2.0);
    EXPECT_DOUBLE_EQ(r.allocated_ha[1][1], 9.0);
    EXPECT_DOUBLE_EQ(r.unallocated_ha[1], 0.0);
}

TEST(RegionalGap, SharesFollowTheShortfall)
{
    // A: 100 ha with 2 ha, B: 200 ha with 4 ha, C: 300 ha with 39 ha (9 ha above its 10%).
    const auto r = allocate_regional_gap({ area(100, 2), area(200, 4), area(300, 39) }, 2, 1e-4);
    // 2050: targets 10 + 20 + 30 = 60 ha, elements 45 ha: 15 ha; shortfalls 8 and 16.
    EXPECT_DOUBLE_EQ(r.gap_ha[1], 15.0);
    EXPECT_DOUBLE_EQ(r.area_gap_ha[1], 24.0);
    EXPECT_DOUBLE_EQ(r.allocated_ha[0][1], 5.0);
    EXPECT_DOUBLE_EQ(r.allocated_ha[1][1], 10.0);
    EXPECT_DOUBLE_EQ(r.allocated_ha[2][1], 0.0);
}

TEST(RegionalGap, AnAreaTakesNoMoreThanItsRoom)
{
    // Two areas of 100 ha without elements, 10 ha short each in 2050; A has room for 4 ha.
    const auto r = allocate_regional_gap({ area(100, 0, 4.0), area(100, 0) }, 2, 1e-4);
    EXPECT_DOUBLE_EQ(r.allocated_ha[0][0], 4.0); // 2030: 5 each would be more than 4
    EXPECT_DOUBLE_EQ(r.allocated_ha[1][0], 6.0);
    EXPECT_DOUBLE_EQ(r.allocated_ha[0][1], 4.0);
    EXPECT_DOUBLE_EQ(r.allocated_ha[1][1], 16.0); // above its own 10 ha: the region's 20 ha
    EXPECT_DOUBLE_EQ(r.unallocated_ha[1], 0.0);
}

TEST(RegionalGap, WhatNoAreaCanTakeIsUnallocated)
{
    const auto r = allocate_regional_gap({ area(100, 0, 3.0), area(100, 0, 2.0) }, 2, 1e-4);
    EXPECT_DOUBLE_EQ(r.allocated_ha[0][1], 3.0);
    EXPECT_DOUBLE_EQ(r.allocated_ha[1][1], 2.0);
    EXPECT_DOUBLE_EQ(r.unallocated_ha[1], 15.0);
}

TEST(RegionalGap, ARegionAtItsTargetHasNoGap)
{
    // Together exactly at 5%: no regional gap in 2030 though B is short.
    const auto r = allocate_regional_gap({ area(100, 7), area(100, 3) }, 2, 1e-4);
    EXPECT_DOUBLE_EQ(r.area_gap_ha[0], 2.0);
    EXPECT_DOUBLE_EQ(r.gap_ha[0], 0.0);
    EXPECT_DOUBLE_EQ(r.allocated_ha[1][0], 0.0);
}

TEST(RegionalGap, BadFiguresAreRejected)
{
    AreaStanding a = area(100, 1);
    a.gap_ha.pop_back();
    EXPECT_THROW(allocate_regional_gap({ a }, 2, 1e-4), landel::InvalidArgument);
    AreaStanding b = area(100, 1);
    b.element_ha = -1.0;
    EXPECT_THROW(allocate_regional_gap({ b }, 2, 1e-4), landel::InvalidArgument);
}
