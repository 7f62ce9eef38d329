// The deterministic parallel loop: the error of the lowest index wins for any thread count,
// later indices are skipped once an earlier one failed, and a Cancelled stops the loop.
#include "landel/core/progress.h"
#include "landel/parallel/for_each_index.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

using landel::Cancelled;
using landel::parallel::for_each_index;

TEST(ForEachIndex, LowestIndexErrorWinsForAnyThreadCount)
{
    for (const std::size_t threads : { 1u, 2u, 4u }) {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
        for (int round = 0; round < 20; ++round) {
            std::string message;
            try {
                for_each_index(1000, [](std::size_t i) {
                    if (i % 97 == 13)
                        throw std::runtime_error("item " + std::to_string(i));
                });
            } catch (const std::runtime_error& e) {
                message = e.what();
            }
            EXPECT_EQ(message, "item 13") << threads << " threads";
        }
    }
}

TEST(ForEachIndex, CallsAfterAFailureAreSkippedOnOneThread)
{
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
    std::vector<char> ran(100, 0);
    EXPECT_THROW(for_each_index(100,
                                [&](std::size_t i) {
                                    ran[i] = 1;
                                    if (i == 10)
                                        throw std::runtime_error("ten");
                                }),
                 std::runtime_error);
    // Every index below the failure ran; on one thread the loop goes in order, so none above.
    for (std::size_t i = 0; i <= 10; ++i)
        EXPECT_TRUE(ran[i]) << i;
    for (std::size_t i = 11; i < 100; ++i)
        EXPECT_FALSE(ran[i]) << i;
}

TEST(ForEachIndex, CancelledStopsTheLoop)
{
    for (const std::size_t threads : { 1u, 2u }) {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
        std::atomic<std::size_t> calls{ 0 };
        EXPECT_THROW(for_each_index(100000,
                                    [&](std::size_t i) {
                                        ++calls;
                                        if (i == 5)
                                            throw Cancelled();
                                    }),
                     Cancelled);
        // Without the stop every one of the 100,000 calls would run; with it, only those
        // already under way or taken before the flag was seen.
        EXPECT_LT(calls.load(), 100000u / 2) << threads << " threads";
        if (threads == 1)
            EXPECT_EQ(calls.load(), 6u);
    }
}
