#pragma once
/// @file box_index.h
/// A static, bulk-loaded R-tree over boxes (Boost.Geometry). Built once, then queried
/// concurrently: const queries on a Boost rtree are thread-safe, unlike GEOS 3.11's STRtree,
/// which builds itself lazily on the first query.

#include "landel/core/box.h"

#include <cstddef>
#include <memory>
#include <vector>

namespace landel::geometry {

class BoxIndex
{
public:
    /// Indexes boxes[i] under the id i; empty boxes are left out.
    explicit BoxIndex(const std::vector<Box>& boxes);
    ~BoxIndex();
    BoxIndex(BoxIndex&&) noexcept;
    BoxIndex& operator=(BoxIndex&&) noexcept;

    /// Ids of the boxes intersecting @p box, in ascending order (so callers iterate
    /// deterministically whatever the tree layout).
    std::vector<std::size_t> query(const Box& box) const;

    /// Number of boxes intersecting @p box.
    std::size_t count(const Box& box) const;

private:
    struct Tree;
    std::unique_ptr<Tree> m_tree;
};

} // namespace landel::geometry
