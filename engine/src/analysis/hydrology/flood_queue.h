#pragma once
// Internal: the priority queue of a Priority-Flood (fill.cpp, tiled_fill.cpp).

#include <cstddef>
#include <cstdint>
#include <deque>
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

/// Removes and returns the lowest queued cell. (radix_heap.h has the same for its queue.)
template<class Index>
Index pop_lowest(FloodQueue<Index>& open)
{
    const Index i = open.top().index;
    open.pop();
    return i;
}

/// The next cell of a Priority-Flood: a raised cell first (raised cells sit at the level of
/// the cell that raised them, no higher than anything still in the queue), else the lowest
/// queued one, from either kind of queue. @pre one of the two is not empty.
template<class Queue, class Index>
std::size_t next_cell(Queue& open, std::deque<Index>& raised)
{
    if (!raised.empty()) {
        const std::size_t i = raised.front();
        raised.pop_front();
        return i;
    }
    return pop_lowest(open);
}

} // namespace landel::analysis::hydrology::detail
