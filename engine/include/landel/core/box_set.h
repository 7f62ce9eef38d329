#pragma once
/// @file box_set.h
/// A set of boxes (e.g. the envelopes of a run's areas) that tells quickly whether another box
/// meets one of them: what a reader keeps of a source is what lies near some area, not
/// everything in the box around all areas.

#include "landel/core/box.h"

#include <cstdint>
#include <vector>

namespace landel {

class BoxSet
{
public:
    BoxSet() = default;
    /// Empty boxes are left out.
    explicit BoxSet(const std::vector<Box>& boxes);

    bool empty() const { return m_boxes.empty(); }
    /// The box around all boxes (empty when the set is).
    const Box& envelope() const { return m_envelope; }

    /// True when @p b grown by @p by on every side meets (shares a point with) one of the
    /// boxes. An empty @p b meets nothing.
    bool meets(const Box& b, double by = 0.0) const;

private:
    /// The boxes are bucketed in a uniform grid of cells about their own size, so a test
    /// looks at the few boxes near @p b only.
    std::vector<Box> m_boxes;
    Box m_envelope;
    double m_cell = 1.0;
    std::int64_t m_cols = 0, m_rows = 0;
    std::vector<std::vector<std::uint32_t>> m_cells;

    std::int64_t column(double x) const;
    std::int64_t row(double y) const;
};

} // namespace landel
