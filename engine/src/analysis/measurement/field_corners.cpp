#include "landel/analysis/measurement/field_corners.h"

#include "landel/geometry/ops.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace landel::analysis {

namespace {

using Xy = std::pair<double, double>;

/// The ring's vertices without the closing one and without repeats.
std::vector<Xy> ring_vertices(const geometry::GeosContext& ctx, const GEOSGeometry* ring)
{
    std::vector<Xy> v;
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.handle(), ring);
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(ctx.handle(), seq, &n))
        return v;
    for (unsigned int k = 0; k < n; ++k) {
        Xy p;
        GEOSCoordSeq_getXY_r(ctx.handle(), seq, k, &p.first, &p.second);
        if (v.empty() || p != v.back())
            v.push_back(p);
    }
    while (v.size() > 1 && v.front() == v.back())
        v.pop_back();
    return v;
}

/// Twice the ring's signed area (shoelace): positive when its vertices run anticlockwise.
double twice_signed_area(const std::vector<Xy>& v)
{
    double s = 0.0;
    for (std::size_t k = 0; k < v.size(); ++k) {
        const Xy& a = v[k];
        const Xy& b = v[(k + 1) % v.size()];
        s += a.first * b.second - b.first * a.second;
    }
    return s;
}

/// The corners of one ring; @p inside_left says whether the parcel lies to the left of the
/// ring's direction.
void ring_corners(const std::vector<Xy>& v,
                  bool inside_left,
                  double max_angle_rad,
                  std::vector<FieldCorner>& out)
{
    const std::size_t n = v.size();
    if (n < 3)
        return;
    for (std::size_t k = 0; k < n; ++k) {
        const Xy& prev = v[(k + n - 1) % n];
        const Xy& at = v[k];
        const Xy& next = v[(k + 1) % n];
        const double ax = prev.first - at.first, ay = prev.second - at.second;
        const double bx = next.first - at.first, by = next.second - at.second;
        const double la = std::hypot(ax, ay), lb = std::hypot(bx, by);
        // Turning left from the edge in to the edge out is convex when the parcel is on the
        // left; the cross product of (at - prev) and (next - at) gives the turn.
        const double turn = (at.first - prev.first) * by - (at.second - prev.second) * bx;
        if (!(inside_left ? turn > 0.0 : turn < 0.0))
            continue; // straight on or a reflex vertex: no corner of the field
        const double angle = std::acos(std::clamp((ax * bx + ay * by) / (la * lb), -1.0, 1.0));
        if (!(angle > 0.0) || angle > max_angle_rad)
            continue; // a spike (edges back on themselves) holds nothing; a blunt vertex is no
                      // corner
        FieldCorner c;
        c.x = at.first;
        c.y = at.second;
        const double hx = ax / la + bx / lb, hy = ay / la + by / lb;
        const double h = std::hypot(hx, hy);
        c.bisector_x = hx / h;
        c.bisector_y = hy / h;
        c.angle_rad = angle;
        out.push_back(c);
    }
}

void polygon_corners(const geometry::GeosContext& ctx,
                     const GEOSGeometry* polygon,
                     double max_angle_rad,
                     std::vector<FieldCorner>& out)
{
    auto add = [&](const GEOSGeometry* ring, bool hole) {
        const std::vector<Xy> v = ring_vertices(ctx, ring);
        const bool anticlockwise = twice_signed_area(v) > 0.0;
        // The parcel lies left of an anticlockwise shell and of a clockwise hole.
        ring_corners(v, anticlockwise != hole, max_angle_rad, out);
    };
    add(GEOSGetExteriorRing_r(ctx.handle(), polygon), false);
    const int holes = GEOSGetNumInteriorRings_r(ctx.handle(), polygon);
    for (int h = 0; h < holes; ++h)
        add(GEOSGetInteriorRingN_r(ctx.handle(), polygon, h), true);
}

} // namespace

std::vector<FieldCorner> field_corners(const geometry::GeosContext& ctx,
                                       const GEOSGeometry* parcel,
                                       double max_angle_deg)
{
    std::vector<FieldCorner> out;
    const double max_angle_rad = max_angle_deg * M_PI / 180.0;
    const int type = GEOSGeomTypeId_r(ctx.handle(), parcel);
    if (type == GEOS_POLYGON) {
        polygon_corners(ctx, parcel, max_angle_rad, out);
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int parts = GEOSGetNumGeometries_r(ctx.handle(), parcel);
        for (int p = 0; p < parts; ++p) {
            const GEOSGeometry* part = GEOSGetGeometryN_r(ctx.handle(), parcel, p);
            if (GEOSGeomTypeId_r(ctx.handle(), part) == GEOS_POLYGON)
                polygon_corners(ctx, part, max_angle_rad, out);
        }
    }
    return out;
}

std::pair<double, double> corner_disc_centre(const FieldCorner& corner,
                                             double radius_m,
                                             double setback_m)
{
    const double d = (radius_m + setback_m) / std::sin(corner.angle_rad / 2.0);
    return { corner.x + corner.bisector_x * d, corner.y + corner.bisector_y * d };
}

CornerBlock corner_block(const FieldCorner& corner, double setback_m)
{
    CornerBlock b;
    const double half = corner.angle_rad / 2.0;
    const double d = setback_m / std::sin(half);
    b.x = corner.x + corner.bisector_x * d;
    b.y = corner.y + corner.bisector_y * d;
    // The edges leave the vertex at half the angle on either side of the bisector.
    const double c = std::cos(half), s = std::sin(half);
    b.ux = corner.bisector_x * c - corner.bisector_y * s;
    b.uy = corner.bisector_x * s + corner.bisector_y * c;
    b.vx = corner.bisector_x * c + corner.bisector_y * s;
    b.vy = -corner.bisector_x * s + corner.bisector_y * c;
    b.angle_rad = corner.angle_rad;
    return b;
}

double corner_block_side(const CornerBlock& block, double area_m2)
{
    return std::sqrt(area_m2 / std::sin(block.angle_rad));
}

geometry::GeomPtr corner_block_polygon(const geometry::GeosContext& ctx,
                                       const CornerBlock& block,
                                       double side_m)
{
    // u is v turned counter-clockwise by the angle (below pi), so (first vertex, +v, +u+v,
    // +u) runs counter-clockwise.
    const std::vector<double> xs = { block.x,
                                     block.x + side_m * block.vx,
                                     block.x + side_m * (block.ux + block.vx),
                                     block.x + side_m * block.ux,
                                     block.x };
    const std::vector<double> ys = { block.y,
                                     block.y + side_m * block.vy,
                                     block.y + side_m * (block.uy + block.vy),
                                     block.y + side_m * block.uy,
                                     block.y };
    return geometry::polygon_of(ctx, xs, ys, "corner block");
}

} // namespace landel::analysis
