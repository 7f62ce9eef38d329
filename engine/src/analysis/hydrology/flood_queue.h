#pragma once
// Internal: the priority queue of a Priority-Flood (fill.cpp, tiled_fill.cpp).

#include <cstdint>
#include <queue>
#include <vector>

namespace landel::analysis::hydrology::detail {

/// A queued cell. The index type is 32-bit whenever the grid allows it: the queue is the
/// fill's largest allocation after the output itself.
template<class Index>
struct QueuedCell
{
    float elevation;
    Index index;
};

/// Orders the min-heap: lowest elevation first, then lowest index, so pops are deterministic.
template<class Index>
struct Later
{
    bool operator()(const QueuedCell<Index>& a, const QueuedCell<Index>& b) const
    {
        return a.elevation > b.elevation || (a.elevation == b.elevation && a.index > b.index);
    }
};

template<class Index>
using FloodQueue =
  std::priority_queue<QueuedCell<Index>, std::vector<QueuedCell<Index>>, Later<Index>>;

} // namespace landel::analysis::hydrology::detail
