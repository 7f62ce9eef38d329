// The radix heap of the tile floods: pops come in key order, however pushes and pops
// interleave (as long as no push is below the last pop), and the float keys keep the order of
// the elevations, negative ones (below NAP) included.
#include "radix_heap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <queue>
#include <random>
#include <vector>

using landel::analysis::hydrology::detail::radix_key;
using landel::analysis::hydrology::detail::RadixHeap;

TEST(RadixHeap, FloatKeysKeepTheOrderOfElevations)
{
    const std::vector<float> z{ -1e30f, -7.25f, -0.5f, -1e-30f, 0.0f, 1e-30f,
                                0.01f,  0.02f,  1.0f,  1.5f,    1e30f };
    for (std::size_t k = 1; k < z.size(); ++k)
        EXPECT_LT(radix_key(z[k - 1]), radix_key(z[k])) << z[k - 1] << " < " << z[k];
    EXPECT_EQ(radix_key(-0.0f), radix_key(0.0f));
}

TEST(RadixHeap, PopsInKeyOrderAsAMonotoneQueue)
{
    std::mt19937 random(7);
    std::uniform_real_distribution<float> rise(0.0f, 3.0f);
    std::uniform_int_distribution<int> pushes(0, 4);
    for (float start : { -40.0f, 0.0f, 12.5f }) {
        RadixHeap<int> heap;
        std::priority_queue<float, std::vector<float>, std::greater<float>> reference;
        std::vector<float> value_of;
        float last = start;
        for (int step = 0; step < 20000; ++step) {
            for (int p = pushes(random); p > 0; --p) {
                // Whole centimetres, as elevations come: many equal keys.
                const float z = std::round((last + rise(random)) * 100.0f) / 100.0f;
                heap.push(radix_key(std::max(z, last)), int(value_of.size()));
                value_of.push_back(std::max(z, last));
                reference.push(value_of.back());
            }
            if (reference.empty())
                continue;
            const float expected = reference.top();
            reference.pop();
            last = value_of[std::size_t(heap.pop())];
            ASSERT_EQ(last, expected) << "step " << step;
        }
        while (!reference.empty()) {
            ASSERT_EQ(value_of[std::size_t(heap.pop())], reference.top());
            reference.pop();
        }
        EXPECT_TRUE(heap.empty());
    }
}
