#pragma once
// Internal: cutting a segment at the cell edges of a grid (plan quantities per cell).

#include "landel/core/grid.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace landel::analysis::detail {

/// Calls fn(length, x, y) for the pieces of segment (x0, y0)-(x1, y1) inside @p box, cut at
/// the cell edges of @p grid, with each piece's midpoint.
///
/// Absolute coordinates are fine here, unlike in cell_coverage.cpp: lengths come from
/// differences of the parameter t along the segment (they add up to the clipped length
/// exactly), never from products of coordinates, and a cell edge rounded at ~6e-11 m only
/// moves a cut, and so the share of length a cell gets, by that much.
template<class Fn>
void walk_segment(const Grid& grid,
                  const Box& box,
                  double x0,
                  double y0,
                  double x1,
                  double y1,
                  Fn&& fn)
{
    // Clip to the box (Liang-Barsky).
    double t0 = 0.0, t1 = 1.0;
    const double dx = x1 - x0, dy = y1 - y0;
    const double p[4] = { -dx, dx, -dy, dy };
    const double q[4] = { x0 - box.xmin, box.xmax - x0, y0 - box.ymin, box.ymax - y0 };
    for (int k = 0; k < 4; ++k) {
        if (p[k] == 0.0) {
            if (q[k] < 0.0)
                return;
            continue;
        }
        const double t = q[k] / p[k];
        if (p[k] < 0.0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
    }
    if (!(t0 < t1))
        return;
    std::vector<double> cuts{ t0, t1 };
    auto add_cuts = [&](double from, double delta, double origin, double step, bool descending) {
        if (delta == 0.0)
            return;
        const double a = from + t0 * delta, b = from + t1 * delta;
        const double lo = std::min(a, b), hi = std::max(a, b);
        // Edges at origin ± k·step strictly between lo and hi.
        const double k0 =
          descending ? std::floor((origin - hi) / step) : std::floor((lo - origin) / step);
        const double k1 =
          descending ? std::ceil((origin - lo) / step) : std::ceil((hi - origin) / step);
        for (double k = k0; k <= k1; ++k) {
            const double edge = descending ? origin - k * step : origin + k * step;
            if (edge > lo && edge < hi)
                cuts.push_back((edge - from) / delta);
        }
    };
    add_cuts(x0, dx, grid.extent().xmin, grid.dx(), false);
    add_cuts(y0, dy, grid.extent().ymax, grid.dy(), true);
    std::sort(cuts.begin(), cuts.end());
    const double length = std::hypot(dx, dy);
    for (std::size_t k = 1; k < cuts.size(); ++k) {
        const double ta = cuts[k - 1], tb = cuts[k];
        if (tb > ta)
            fn((tb - ta) * length, x0 + 0.5 * (ta + tb) * dx, y0 + 0.5 * (ta + tb) * dy);
    }
}

} // namespace landel::analysis::detail
