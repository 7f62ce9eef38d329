// SmallestRootSets: the sets of random joins, in any join order, against the connected
// components of the same joins found by a breadth-first search; every root is its set's
// smallest member.

#include "landel/core/union_find.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <queue>
#include <random>

using landel::SmallestRootSets;

namespace {

// Per member, the smallest member of its component.
std::vector<std::uint32_t> smallest_of_components(std::size_t n,
                                                  const std::vector<std::pair<int, int>>& joins)
{
    std::vector<std::vector<int>> next(n);
    for (const auto& [a, b] : joins) {
        next[std::size_t(a)].push_back(b);
        next[std::size_t(b)].push_back(a);
    }
    std::vector<std::uint32_t> smallest(n, std::uint32_t(n));
    for (std::size_t start = 0; start < n; ++start) {
        if (smallest[start] != n)
            continue; // members are visited in order: the first of a component is its smallest
        std::queue<int> q;
        q.push(int(start));
        smallest[start] = std::uint32_t(start);
        while (!q.empty()) {
            const int v = q.front();
            q.pop();
            for (int w : next[std::size_t(v)])
                if (smallest[std::size_t(w)] == n) {
                    smallest[std::size_t(w)] = std::uint32_t(start);
                    q.push(w);
                }
        }
    }
    return smallest;
}

} // namespace

TEST(SmallestRootSets, RootsAreTheSmallestMemberInAnyJoinOrder)
{
    std::mt19937 rng(4);
    const std::size_t n = 2000;
    std::vector<std::pair<int, int>> joins(1500);
    for (auto& j : joins)
        j = { int(rng() % n), int(rng() % n) };
    const std::vector<std::uint32_t> expected = smallest_of_components(n, joins);
    for (int order = 0; order < 3; ++order) {
        std::shuffle(joins.begin(), joins.end(), rng);
        SmallestRootSets<std::uint32_t> sets(n);
        std::size_t merges = 0;
        for (const auto& [a, b] : joins)
            merges += sets.join(std::uint32_t(a), std::uint32_t(b));
        for (std::size_t i = 0; i < n; ++i)
            ASSERT_EQ(sets.root(std::uint32_t(i)), expected[i]) << "member " << i;
        const std::size_t components = std::size_t(std::count_if(
          expected.begin(), expected.end(), [&, i = std::uint32_t(0)](std::uint32_t s) mutable {
              return s == i++;
          }));
        EXPECT_EQ(merges, n - components); // each join that merged removed one set
        EXPECT_EQ(std::move(sets).roots(), expected);
    }
}
