#pragma once
/// @file union_find.h
/// Disjoint sets (union-find) in which every set's root is its smallest member, so that the
/// sets, and whatever is numbered by their roots, do not depend on the order of the joins.
/// Finding a root halves the path on the way (Tarjan & van Leeuwen 1984, "Worst-case analysis
/// of set union algorithms", Journal of the ACM 31(2), 245-281).

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace landel {

template<typename Index = std::size_t>
class SmallestRootSets
{
public:
    /// @p n sets of one member each: 0 .. n - 1.
    explicit SmallestRootSets(std::size_t n)
      : m_parent(n)
    {
        for (std::size_t i = 0; i < n; ++i)
            m_parent[i] = Index(i);
    }

    /// The smallest member of @p i's set.
    Index root(Index i)
    {
        while (m_parent[i] != i)
            i = m_parent[i] = m_parent[m_parent[i]];
        return i;
    }

    /// Joins the sets of @p a and @p b; false when they were one already.
    bool join(Index a, Index b)
    {
        a = root(a);
        b = root(b);
        if (a == b)
            return false;
        m_parent[std::max(a, b)] = std::min(a, b);
        return true;
    }

    /// Every member's root, index = member. A parent is always smaller than its child, so one
    /// pass in order of the members compresses every path.
    std::vector<Index> roots() &&
    {
        for (std::size_t i = 0; i < m_parent.size(); ++i)
            m_parent[i] = m_parent[m_parent[i]];
        return std::move(m_parent);
    }

private:
    std::vector<Index> m_parent;
};

} // namespace landel
