#pragma once
// Internal: a monotone priority queue for the tile floods (tiled_fill.cpp).
//
// The radix heap of Ahuja, Mehlhorn, Orlin & Tarjan (1990), "Faster algorithms for the
// shortest path problem", Journal of the ACM 37(2), 213-223, doi:10.1145/77600.77615, on
// 32-bit keys. It serves queues whose pops never decrease and whose pushes are never below
// the last pop, as a Priority-Flood's are: a cell enters the queue only above the level of
// the cell that reached it. Element e sits in bucket b = the highest bit in which its key
// differs from the last pop's (0: equal keys). A pop takes bucket 0; when that is empty, the
// first non-empty bucket's smallest key becomes the last pop and its elements spread over the
// lower buckets. Each element moves at most 32 times, and in practice once or twice: a push
// and a pop cost a few instructions instead of a binary heap's log n comparisons.
//
// Elements with equal keys pop in no particular order; the tile floods need none (the filled
// surface is unique).

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace landel::analysis::hydrology::detail {

/// The order-preserving map of a finite float onto 32 bits: a < b exactly when
/// key(a) < key(b); -0 and +0 share a key.
inline std::uint32_t radix_key(float z)
{
    std::uint32_t bits;
    std::memcpy(&bits, &z, sizeof bits);
    if (bits == 0x80000000u) // -0
        bits = 0;
    return (bits & 0x80000000u) ? ~bits : bits | 0x80000000u;
}

template<class Value>
class RadixHeap
{
public:
    bool empty() const { return m_size == 0; }

    /// @pre key >= the key of the last pop().
    void push(std::uint32_t key, Value value)
    {
        m_buckets[bucket(key)].push_back({ key, value });
        ++m_size;
    }

    /// Removes and returns a value with the smallest key. @pre !empty().
    Value pop()
    {
        if (m_buckets[0].empty())
            refill_first_bucket();
        const Value v = m_buckets[0].back().second;
        m_buckets[0].pop_back();
        --m_size;
        return v;
    }

private:
    using Entry = std::pair<std::uint32_t, Value>;

    std::size_t bucket(std::uint32_t key) const
    {
        return key == m_last ? 0 : std::size_t(32 - __builtin_clz(key ^ m_last));
    }

    void refill_first_bucket()
    {
        std::size_t b = 1;
        while (m_buckets[b].empty())
            ++b;
        std::vector<Entry>& from = m_buckets[b];
        std::uint32_t smallest = from.front().first;
        for (const Entry& e : from)
            smallest = std::min(smallest, e.first);
        m_last = smallest;
        for (const Entry& e : from)
            m_buckets[bucket(e.first)].push_back(e); // always a bucket below b
        from.clear();
    }

    std::array<std::vector<Entry>, 33> m_buckets;
    std::uint32_t m_last = 0;
    std::size_t m_size = 0;
};

/// Removes and returns a value with the smallest key (for detail::next_cell()).
template<class Value>
Value pop_lowest(RadixHeap<Value>& open)
{
    return open.pop();
}

} // namespace landel::analysis::hydrology::detail
