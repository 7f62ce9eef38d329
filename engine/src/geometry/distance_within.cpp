// Two polygons are within a distance d when their boundaries are (an edge of each within d),
// or else when one holds the other (then a vertex of one lies inside the other): if their
// boundaries are farther apart than d, either their interiors share no point and the
// distance is that of the boundaries, or one boundary lies wholly inside the other polygon.
#include "landel/geometry/distance_within.h"

#include "landel/core/box.h"
#include "landel/core/error.h"
#include "landel/geometry/ops.h"

#include <algorithm>
#include <vector>

namespace landel::geometry {

namespace {

struct Segment
{
    double x0, y0, x1, y1;
    Box box() const
    {
        return { std::min(x0, x1), std::min(y0, y1), std::max(x0, x1), std::max(y0, y1) };
    }
};

std::vector<const GEOSGeometry*> rings_of(const GeosContext& ctx, const GEOSGeometry* g)
{
    std::vector<const GEOSGeometry*> polygons, rings;
    collect_parts(ctx, g, polygons);
    for (const GEOSGeometry* p : polygons) {
        if (GEOSGeomTypeId_r(ctx.handle(), p) != GEOS_POLYGON)
            continue;
        rings.push_back(GEOSGetExteriorRing_r(ctx.handle(), p));
        const int holes = GEOSGetNumInteriorRings_r(ctx.handle(), p);
        for (int h = 0; h < holes; ++h)
            rings.push_back(GEOSGetInteriorRingN_r(ctx.handle(), p, h));
    }
    return rings;
}

/// The edges of @p g whose boxes meet @p reach.
std::vector<Segment> edges_within(const GeosContext& ctx, const GEOSGeometry* g, const Box& reach)
{
    std::vector<Segment> out;
    std::vector<double> xy;
    for (const GEOSGeometry* ring : rings_of(ctx, g)) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.handle(), ring);
        unsigned int n = 0;
        if (!seq || !GEOSCoordSeq_getSize_r(ctx.handle(), seq, &n) || n < 2)
            continue;
        xy.resize(2 * std::size_t{ n });
        if (!GEOSCoordSeq_copyToBuffer_r(ctx.handle(), seq, xy.data(), 0, 0))
            throw GeometryError("distance within: cannot read a ring's coordinates");
        for (unsigned int i = 0; i + 1 < n; ++i) {
            const Segment s{ xy[2 * i], xy[2 * i + 1], xy[2 * i + 2], xy[2 * i + 3] };
            if (s.box().intersects(reach))
                out.push_back(s);
        }
    }
    return out;
}

double squared_distance_to_segment(double px, double py, const Segment& s)
{
    const double dx = s.x1 - s.x0, dy = s.y1 - s.y0;
    const double length2 = dx * dx + dy * dy;
    double t = length2 > 0 ? ((px - s.x0) * dx + (py - s.y0) * dy) / length2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    const double ex = s.x0 + t * dx - px, ey = s.y0 + t * dy - py;
    return ex * ex + ey * ey;
}

int side(double ax, double ay, double bx, double by, double px, double py)
{
    const double cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
    return (cross > 0) - (cross < 0);
}

/// Whether the segments cross (strictly; touching and collinear cases give a zero
/// point-to-segment distance below).
bool cross(const Segment& s, const Segment& t)
{
    return side(s.x0, s.y0, s.x1, s.y1, t.x0, t.y0) * side(s.x0, s.y0, s.x1, s.y1, t.x1, t.y1) <
             0 &&
           side(t.x0, t.y0, t.x1, t.y1, s.x0, s.y0) * side(t.x0, t.y0, t.x1, t.y1, s.x1, s.y1) < 0;
}

bool segments_within(const Segment& s, const Segment& t, double distance)
{
    if (cross(s, t))
        return true;
    const double d2 = distance * distance;
    return squared_distance_to_segment(s.x0, s.y0, t) <= d2 ||
           squared_distance_to_segment(s.x1, s.y1, t) <= d2 ||
           squared_distance_to_segment(t.x0, t.y0, s) <= d2 ||
           squared_distance_to_segment(t.x1, t.y1, s) <= d2;
}

/// Whether a vertex of @p inner lies in @p outer (only asked when no edges are near).
bool holds_vertex_of(const GeosContext& ctx, const GEOSGeometry* outer, const GEOSGeometry* inner)
{
    const std::vector<const GEOSGeometry*> rings = rings_of(ctx, inner);
    if (rings.empty())
        return false;
    double x = 0, y = 0;
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.handle(), rings.front());
    if (!seq || !GEOSCoordSeq_getXY_r(ctx.handle(), seq, 0, &x, &y))
        return false;
    const GeomPtr point = ctx.own(GEOSGeom_createPointFromXY_r(ctx.handle(), x, y), "point");
    return ctx.check_predicate(GEOSIntersects_r(ctx.handle(), outer, point.get()), "intersects");
}

} // namespace

bool within_distance(const GeosContext& ctx,
                     const GEOSGeometry* a,
                     const GEOSGeometry* b,
                     double distance)
{
    const Box env_a = envelope(ctx, a), env_b = envelope(ctx, b);
    if (!grown(env_a, distance).intersects(env_b))
        return false;
    const std::vector<Segment> near_b = edges_within(ctx, a, grown(env_b, distance));
    const std::vector<Segment> near_a = edges_within(ctx, b, grown(env_a, distance));
    for (const Segment& s : near_b) {
        const Box reach = grown(s.box(), distance);
        for (const Segment& t : near_a)
            if (t.box().intersects(reach) && segments_within(s, t, distance))
                return true;
    }
    return (env_b.contains(env_a) && holds_vertex_of(ctx, b, a)) ||
           (env_a.contains(env_b) && holds_vertex_of(ctx, a, b));
}

} // namespace landel::geometry
