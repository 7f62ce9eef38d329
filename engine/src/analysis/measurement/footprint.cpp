#include "landel/analysis/measurement/footprint.h"

#include "landel/geometry/ops.h"

#include <vector>

namespace landel::analysis {

using geometry::GeomPtr;
using geometry::GeosContext;

int dimension_mask(const GeosContext& ctx, const GEOSGeometry* g)
{
    std::vector<const GEOSGeometry*> parts;
    geometry::collect_parts(ctx, g, parts);
    int mask = 0;
    for (const GEOSGeometry* p : parts) {
        switch (GEOSGeomTypeId_r(ctx.handle(), p)) {
            case GEOS_POINT:
                mask |= has_points;
                break;
            case GEOS_LINESTRING:
            case GEOS_LINEARRING:
                mask |= has_lines;
                break;
            case GEOS_POLYGON:
                mask |= has_polygons;
                break;
            default:
                break;
        }
    }
    return mask;
}

namespace {

GeomPtr strip(const GeosContext& ctx, const GEOSGeometry* lines, double width_m)
{
    // Vertices less than a micrometre apart carry nothing a landscape element could show,
    // and GEOS 3.11's buffer can crash on them (found fuzzing: a hedge whose vertices lay
    // 1e-307 to 1e-13 m apart segfaulted in the buffer's planar graph). They are merged
    // first; a strip changes by less than width x 1e-6 m per merged vertex.
    const GeomPtr cleaned =
      ctx.own(GEOSRemoveRepeatedPoints_r(ctx.handle(), lines, 1e-6), "remove repeated points");
    lines = cleaned.get();
    GEOSBufferParams* params = GEOSBufferParams_create_r(ctx.handle());
    GEOSBufferParams_setEndCapStyle_r(ctx.handle(), params, GEOSBUF_CAP_FLAT);
    GEOSBufferParams_setJoinStyle_r(ctx.handle(), params, GEOSBUF_JOIN_ROUND);
    GEOSBufferParams_setQuadrantSegments_r(ctx.handle(), params, quadrant_segments);
    GEOSGeometry* out = GEOSBufferWithParams_r(ctx.handle(), lines, params, width_m / 2.0);
    GEOSBufferParams_destroy_r(ctx.handle(), params);
    return ctx.own(out, "line buffer");
}

GeomPtr circles(const GeosContext& ctx, const GEOSGeometry* points, double width_m)
{
    return ctx.own(GEOSBuffer_r(ctx.handle(), points, width_m / 2.0, quadrant_segments),
                   "point buffer");
}

} // namespace

GeomPtr element_footprint(const GeosContext& ctx, const GEOSGeometry* g, double width_m)
{
    const int type = GEOSGeomTypeId_r(ctx.handle(), g);
    switch (type) {
        case GEOS_POINT:
        case GEOS_MULTIPOINT:
            return circles(ctx, g, width_m);
        case GEOS_LINESTRING:
        case GEOS_LINEARRING:
        case GEOS_MULTILINESTRING:
            return strip(ctx, g, width_m);
        case GEOS_POLYGON:
        case GEOS_MULTIPOLYGON:
            return geometry::clone(ctx, g);
        default:
            break;
    }
    // A GeometryCollection: footprint each part by its own rule, then merge them.
    std::vector<GeomPtr> pieces;
    const int n = GEOSGetNumGeometries_r(ctx.handle(), g);
    for (int i = 0; i < n; ++i)
        pieces.push_back(element_footprint(ctx, GEOSGetGeometryN_r(ctx.handle(), g, i), width_m));
    std::vector<const GEOSGeometry*> refs;
    for (const GeomPtr& p : pieces)
        refs.push_back(p.get());
    return geometry::polygonal_part(ctx, geometry::union_of(ctx, refs).get());
}

} // namespace landel::analysis
