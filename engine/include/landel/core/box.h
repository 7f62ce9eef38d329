#pragma once
/// @file box.h
/// Axis-aligned rectangle in the run CRS.

#include <algorithm>
#include <limits>

namespace landel {

/// Axis-aligned box. A default-constructed Box is empty (xmin > xmax).
struct Box
{
    double xmin = std::numeric_limits<double>::infinity();
    double ymin = std::numeric_limits<double>::infinity();
    double xmax = -std::numeric_limits<double>::infinity();
    double ymax = -std::numeric_limits<double>::infinity();

    bool empty() const { return xmin > xmax || ymin > ymax; }
    double width() const { return empty() ? 0.0 : xmax - xmin; }
    double height() const { return empty() ? 0.0 : ymax - ymin; }

    /// True when the closed boxes share at least one point.
    bool intersects(const Box& o) const
    {
        return !empty() && !o.empty() && xmin <= o.xmax && o.xmin <= xmax && ymin <= o.ymax &&
               o.ymin <= ymax;
    }

    /// True when @p o lies inside this box (boundaries included).
    bool contains(const Box& o) const
    {
        return !empty() && !o.empty() && xmin <= o.xmin && ymin <= o.ymin && o.xmax <= xmax &&
               o.ymax <= ymax;
    }

    /// Grows the box to include @p o.
    void expand(const Box& o)
    {
        xmin = std::min(xmin, o.xmin);
        ymin = std::min(ymin, o.ymin);
        xmax = std::max(xmax, o.xmax);
        ymax = std::max(ymax, o.ymax);
    }
};

/// @p b grown by @p by on every side (an empty box stays empty).
inline Box grown(Box b, double by)
{
    b.xmin -= by;
    b.ymin -= by;
    b.xmax += by;
    b.ymax += by;
    return b;
}

} // namespace landel
