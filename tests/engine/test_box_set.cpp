// BoxSet against the plain test of every box, on random boxes of mixed sizes and far-apart
// clusters, for grown and touching queries.
#include "landel/core/box_set.h"

#include <gtest/gtest.h>

#include <random>

namespace {

using landel::Box;
using landel::BoxSet;

bool meets_any(const std::vector<Box>& boxes, const Box& q, double by)
{
    for (const Box& b : boxes)
        if (b.intersects(landel::grown(q, by)))
            return true;
    return false;
}

TEST(BoxSet, AgreesWithTestingEveryBox)
{
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> at(0.0, 10000.0), size(1.0, 800.0);
    std::vector<Box> boxes;
    for (int i = 0; i < 300; ++i) {
        // Two clusters far apart, as areas of two provinces.
        const double shift = i % 2 ? 0.0 : 2e5;
        const double x = at(rng) + shift, y = at(rng), w = size(rng), h = size(rng) / 4;
        boxes.push_back({ x, y, x + w, y + h });
    }
    boxes.push_back(Box{}); // empty boxes are left out
    const BoxSet set(boxes);
    int hits = 0;
    for (int i = 0; i < 20000; ++i) {
        const double x = at(rng) * 21.0 - 1000.0, y = at(rng) * 1.2 - 1000.0, w = size(rng) / 8;
        const Box q{ x, y, x + w, y + w };
        const double by = i % 3 == 0 ? 0.0 : size(rng) / 10;
        const bool expected = meets_any(boxes, q, by);
        ASSERT_EQ(set.meets(q, by), expected) << "query " << x << " " << y << " by " << by;
        hits += expected;
    }
    EXPECT_GT(hits, 100);
    EXPECT_LT(hits, 19900);
}

TEST(BoxSet, TouchingCountsEmptyDoesNot)
{
    const BoxSet set({ Box{ 0, 0, 10, 10 }, Box{ 100, 100, 110, 110 } });
    EXPECT_TRUE(set.meets(Box{ 10, 10, 20, 20 }));      // a shared corner
    EXPECT_FALSE(set.meets(Box{ 10.5, 0, 20, 5 }));     // half a metre off
    EXPECT_TRUE(set.meets(Box{ 10.5, 0, 20, 5 }, 0.5)); // reached when grown
    EXPECT_FALSE(set.meets(Box{ 50, 50, 60, 60 }));     // between the two
    EXPECT_FALSE(set.meets(Box{}));
    EXPECT_FALSE(BoxSet().meets(Box{ 0, 0, 1, 1 }));
    EXPECT_EQ(set.envelope().xmax, 110.0);
}

} // namespace
