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

/// Twice the signed area of a ring (> 0 counter-clockwise), as Σ (x_i − x_0)(y_{i+1} − y_{i−1}):
/// relative to the ring's first vertex. The plain shoelace Σ x_i y_{i+1} − x_{i+1} y_i on RD
/// New coordinates multiplies numbers of ~1e5 by ~4e5 and rounds at ~1e-5 m², which turned
/// rings under ~10 mm² the wrong way round. Offsets between coordinates of one ring are
/// exact in double (Sterbenz) when they lie within a factor 2 of each other, as a ring's do
/// away from the origin, so each term here is one product rounded at the ring's own scale.
double signed_area2(const std::vector<double>& xy)
{
    const std::size_t n = xy.size() / 2;
    const double x0 = xy[0];
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t prev = (i + n - 1) % n, next = (i + 1) % n;
        s += (xy[2 * i] - x0) * (xy[2 * next + 1] - xy[2 * prev + 1]);
    }
    return s;
}

/// The grid in its own frame: origin at the north-west corner (x right, y up, so y <= 0 on
/// the grid), column c spanning [c·dx, (c+1)·dx] and row r [−(r+1)·dy, −r·dy]. Every cell edge
/// is computed by one expression wherever it is used, so neighbouring cells share their
/// edges exactly and the pieces of an edge tile it without gap or overlap.
struct Frame
{
    double dx, dy;
    std::size_t cols, rows;
    double col_left(long c) const { return double(c) * dx; }
    double row_bottom(long r) const { return -double(r + 1) * dy; }
    double row_top(long r) const { return -double(r) * dy; }
};

/// Adds one edge's signed contributions: exact values for the rows it crosses into @p exact,
/// and, for the rows below it, the width of the strip into @p below (carried down the column
/// and multiplied by each row's height afterwards). Coordinates are in the grid's frame.
void add_edge(const Frame& f,
              double xa,
              double ya,
              double xb,
              double yb,
              double sign,
              std::vector<double>& exact,
              std::vector<double>& below)
{
    if (xa == xb)
        return; // vertical edges bound no vertical strip
    const double lo = std::max(std::min(xa, xb), 0.0);
    const double hi = std::min(std::max(xa, xb), f.col_left(long(f.cols)));
    if (!(lo < hi))
        return;
    // ∫ from xa to xb equals (direction) × ∫ over [lo, hi].
    const double k = sign * (xb > xa ? 1.0 : -1.0);
    const double slope = (yb - ya) / (xb - xa);
    const long cols = long(f.cols), rows = long(f.rows);
    const long c0 = std::max(0L, long(std::floor(lo / f.dx)));
    const long c1 = std::min(cols - 1, long(std::ceil(hi / f.dx)) - 1);
    for (long c = c0; c <= c1; ++c) {
        const double u0 = std::max(lo, f.col_left(c)), u1 = std::min(hi, f.col_left(c + 1));
        if (!(u0 < u1))
            continue;
        const double w = u1 - u0;
        // The edge's rise from its vertex a to u0 and u1: small for a short edge, so the
        // heights below keep the digits that a tiny ring's area lives in.
        const double d0 = (u0 - xa) * slope, d1 = (u1 - xa) * slope;
        if (!std::isfinite(d0) || !std::isfinite(d1))
            continue; // the slope overflowed: a strip under ~1e-300 of the rise wide adds nothing
        const double ylo = ya + std::min(d0, d1), yhi = ya + std::max(d0, d1);
        // Rows the edge may cross, taken generously (a whole row of margin each way): the
        // exact formula also gives the right full or empty value for a row it merely touches.
        const long r_top = long(std::floor(-yhi / f.dy)) - 1;
        const long r_bottom = long(std::ceil(-ylo / f.dy));
        for (long r = std::max(0L, r_top); r <= std::min(rows - 1, r_bottom); ++r) {
            // Heights above the row's lower edge; ya − bottom is exact when the vertex lies
            // near the row, as every vertex of a small ring does.
            const double bottom = f.row_bottom(r), base = ya - bottom;
            exact[std::size_t(r * cols + c)] +=
              k * clamped_integral(w, base + d0, base + d1, f.row_top(r) - bottom);
        }
        const long first_full = std::max(0L, r_bottom + 1);
        if (first_full < rows)
            below[std::size_t(first_full * cols + c)] += k * w;
    }
}

} // namespace

std::vector<double> coverage_fractions(const std::vector<CoverageRing>& rings, const Grid& grid)
{
    std::vector<double> fractions, work;
    coverage_fractions(rings, grid, fractions, work);
    return fractions;
}

void coverage_fractions(const std::vector<CoverageRing>& rings,
                        const Grid& grid,
                        std::vector<double>& exact,
                        std::vector<double>& below)
{
    const std::size_t rows = grid.rows(), cols = grid.cols();
    exact.assign(grid.size(), 0.0);
    below.assign(grid.size(), 0.0);
    // Everything below runs in the grid's frame (Frame): offsets from its north-west corner.
    // On absolute RD New coordinates a cell edge computed as xmin + c·dx and the next one as
    // that + dx differ by up to ~6e-11 m, a slice that cells then counted twice or not at all
    // (~1e-11 m² on a 1 m² ring of 0.1 m cells), and heights interpolated along an edge
    // rounded at ~6e-11 m (a thousandth of a 1e-7 m wide needle). Offsets from the corner
    // are exact for coordinates within a factor 2 of it; others are rounded once per vertex,
    // which moves the vertex by an ulp but keeps every ring closed.
    const Frame frame{ grid.dx(), grid.dy(), cols, rows };
    const double ox = grid.extent().xmin, oy = grid.extent().ymax;
    for (const CoverageRing& ring : rings) {
        const std::size_t n = ring.xy.size() / 2;
        if (n < 3)
            continue;
        // For a counter-clockwise ring, area(interior ∩ cell) = −Σ∫; holes subtract.
        const double orient = signed_area2(ring.xy) > 0.0 ? 1.0 : -1.0;
        const double sign = (ring.hole ? -1.0 : 1.0) * -orient;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t j = (i + 1) % n;
            add_edge(frame,
                     ring.xy[2 * i] - ox,
                     ring.xy[2 * i + 1] - oy,
                     ring.xy[2 * j] - ox,
                     ring.xy[2 * j + 1] - oy,
                     sign,
                     exact,
                     below);
        }
    }
    // The strip widths carried down each column, times each row's height (its own edges'
    // difference, so that the rows tile the column exactly), turned into fractions in place
    // (row by row, so memory is read in order).
    const double cell = grid.cell_area();
    for (std::size_t r = 0; r < rows; ++r) {
        double* e = exact.data() + r * cols;
        double* b = below.data() + r * cols;
        const double* carried = r ? below.data() + (r - 1) * cols : nullptr;
        const double height = frame.row_top(long(r)) - frame.row_bottom(long(r));
        for (std::size_t c = 0; c < cols; ++c) {
            if (carried)
                b[c] += carried[c];
            // Round-off can leave ±1e-16 outside [0, 1].
            e[c] = std::clamp((e[c] + b[c] * height) / cell, 0.0, 1.0);
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
                                       const GEOSGeometry* polygonal,
                                       const Grid& grid)
{
    return coverage_fractions(coverage_rings(ctx, polygonal), grid);
}

} // namespace landel::analysis
