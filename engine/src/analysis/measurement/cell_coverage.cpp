#include "landel/analysis/measurement/cell_coverage.h"

#include "landel/core/error.h"

#include <algorithm>
#include <cmath>

namespace landel::analysis {

namespace {

/// ∫ over a piece of edge of horizontal length w of clamp(t, 0, h), where t runs linearly
/// from a to b (heights above the row's lower edge). Computed piecewise, so a nearly
/// horizontal edge loses no precision.
double clamped_integral(double w, double a, double b, double h)
{
    if (a > b)
        std::swap(a, b); // the same values are met either way
    if (b <= 0.0)
        return 0.0;
    if (a >= h)
        return w * h;
    const double rise = b - a;
    if (!(rise > 0.0))
        return w * std::clamp(a, 0.0, h);
    const double t1 = std::max(a, 0.0), t2 = std::min(b, h);
    double out = w * (t2 - t1) / rise * 0.5 * (t1 + t2);
    if (b > h)
        out += w * (b - h) / rise * h;
    return out;
}

double signed_area2(const std::vector<double>& xy)
{
    const std::size_t n = xy.size() / 2;
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t j = (i + 1) % n;
        s += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
    }
    return s;
}

/// Adds one edge's signed contributions: exact values for the rows it crosses into @p exact,
/// full-band markers for the rows below it into @p below.
void add_edge(const Grid& grid, double xa, double ya, double xb, double yb, double sign,
              std::vector<double>& exact, std::vector<double>& below)
{
    if (xa == xb)
        return; // vertical edges bound no vertical strip
    const Box& e = grid.extent();
    const double lo = std::max(std::min(xa, xb), e.xmin), hi = std::min(std::max(xa, xb), e.xmax);
    if (!(lo < hi))
        return;
    // ∫ from xa to xb equals (direction) × ∫ over [lo, hi].
    const double k = sign * (xb > xa ? 1.0 : -1.0);
    const double slope = (yb - ya) / (xb - xa);
    const std::size_t cols = grid.cols(), rows = grid.rows();
    const double dx = grid.dx(), dy = grid.dy();
    const long c0 = std::max(0L, long(std::floor((lo - e.xmin) / dx)));
    const long c1 = std::min(long(cols) - 1, long(std::ceil((hi - e.xmin) / dx)) - 1);
    for (long c = c0; c <= c1; ++c) {
        const double u0 = std::max(lo, grid.x_left(std::size_t(c)));
        const double u1 = std::min(hi, grid.x_left(std::size_t(c)) + dx);
        if (!(u0 < u1))
            continue;
        const double w = u1 - u0;
        const double y0 = ya + (u0 - xa) * slope, y1 = ya + (u1 - xa) * slope;
        if (!std::isfinite(y0) || !std::isfinite(y1))
            continue; // the slope overflowed: a strip under ~1e-300 of the rise wide adds nothing
        const double ylo = std::min(y0, y1), yhi = std::max(y0, y1);
        // Rows the edge may cross, taken generously: the exact formula also gives the right
        // full or empty value for a row it merely touches.
        const long r_top = long(std::floor((e.ymax - yhi) / dy)) - 1;
        const long r_bottom = long(std::ceil((e.ymax - ylo) / dy));
        for (long r = std::max(0L, r_top); r <= std::min(long(rows) - 1, r_bottom); ++r) {
            const double bottom = grid.y_top(std::size_t(r)) - dy;
            exact[std::size_t(r) * cols + std::size_t(c)] +=
              k * clamped_integral(w, y0 - bottom, y1 - bottom, dy);
        }
        const long first_full = std::max(0L, r_bottom + 1);
        if (first_full < long(rows))
            below[std::size_t(first_full) * cols + std::size_t(c)] += k * w * dy;
    }
}

} // namespace

std::vector<double> coverage_fractions(const std::vector<CoverageRing>& rings, const Grid& grid)
{
    std::vector<double> fractions, work;
    coverage_fractions(rings, grid, fractions, work);
    return fractions;
}

void coverage_fractions(const std::vector<CoverageRing>& rings, const Grid& grid,
                        std::vector<double>& exact, std::vector<double>& below)
{
    const std::size_t rows = grid.rows(), cols = grid.cols();
    exact.assign(grid.size(), 0.0);
    below.assign(grid.size(), 0.0);
    for (const CoverageRing& ring : rings) {
        const std::size_t n = ring.xy.size() / 2;
        if (n < 3)
            continue;
        // For a counter-clockwise ring, area(interior ∩ cell) = −Σ∫; holes subtract.
        const double orient = signed_area2(ring.xy) > 0.0 ? 1.0 : -1.0;
        const double sign = (ring.hole ? -1.0 : 1.0) * -orient;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t j = (i + 1) % n;
            add_edge(grid, ring.xy[2 * i], ring.xy[2 * i + 1], ring.xy[2 * j], ring.xy[2 * j + 1],
                     sign, exact, below);
        }
    }
    // The full bands carried down each column, turned into fractions in place (row by row,
    // so memory is read in order).
    const double cell = grid.cell_area();
    for (std::size_t r = 0; r < rows; ++r) {
        double* e = exact.data() + r * cols;
        double* b = below.data() + r * cols;
        const double* carried = r ? below.data() + (r - 1) * cols : nullptr;
        for (std::size_t c = 0; c < cols; ++c) {
            if (carried)
                b[c] += carried[c];
            // Round-off can leave ±1e-16 outside [0, 1].
            e[c] = std::clamp((e[c] + b[c]) / cell, 0.0, 1.0);
        }
    }
}

std::vector<CoverageRing> coverage_rings(const geometry::GeosContext& ctx,
                                         const GEOSGeometry* polygonal)
{
    std::vector<CoverageRing> rings;
    auto add_ring = [&](const GEOSGeometry* ring, bool hole) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.handle(), ring);
        unsigned int size = 0;
        if (!seq || !GEOSCoordSeq_getSize_r(ctx.handle(), seq, &size))
            ctx.fail("coordinate sequence");
        if (size == 0)
            return;
        CoverageRing out;
        out.hole = hole;
        out.xy.resize(2 * std::size_t(size));
        for (unsigned int i = 0; i < size; ++i)
            if (!GEOSCoordSeq_getXY_r(ctx.handle(), seq, i, &out.xy[2 * i], &out.xy[2 * i + 1]))
                ctx.fail("coordinates");
        rings.push_back(std::move(out));
    };
    auto add_polygon = [&](const GEOSGeometry* p) {
        add_ring(GEOSGetExteriorRing_r(ctx.handle(), p), false);
        const int holes = GEOSGetNumInteriorRings_r(ctx.handle(), p);
        for (int h = 0; h < holes; ++h)
            add_ring(GEOSGetInteriorRingN_r(ctx.handle(), p, h), true);
    };
    const int type = GEOSGeomTypeId_r(ctx.handle(), polygonal);
    if (type == GEOS_POLYGON) {
        add_polygon(polygonal);
    } else if (type == GEOS_MULTIPOLYGON) {
        const int n = GEOSGetNumGeometries_r(ctx.handle(), polygonal);
        for (int i = 0; i < n; ++i)
            add_polygon(GEOSGetGeometryN_r(ctx.handle(), polygonal, i));
    } else {
        throw InvalidArgument("coverage fractions need a Polygon or MultiPolygon");
    }
    return rings;
}

std::vector<double> coverage_fractions(const geometry::GeosContext& ctx,
                                       const GEOSGeometry* polygonal, const Grid& grid)
{
    return coverage_fractions(coverage_rings(ctx, polygonal), grid);
}

} // namespace landel::analysis
