#include "landel/geometry/ops.h"

#include "landel/core/error.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace landel::geometry {

GeomPtr from_wkb(const GeosContext& ctx, std::string_view wkb)
{
    GEOSWKBReader* reader = GEOSWKBReader_create_r(ctx.handle());
    GEOSGeometry* g = GEOSWKBReader_read_r(
      ctx.handle(), reader, reinterpret_cast<const unsigned char*>(wkb.data()), wkb.size());
    GEOSWKBReader_destroy_r(ctx.handle(), reader);
    return ctx.own(g, "WKB reading");
}

std::string to_wkb(const GeosContext& ctx, const GEOSGeometry* g)
{
    GEOSWKBWriter* writer = GEOSWKBWriter_create_r(ctx.handle());
    GEOSWKBWriter_setOutputDimension_r(ctx.handle(), writer, 2);
    GEOSWKBWriter_setByteOrder_r(ctx.handle(), writer, GEOS_WKB_NDR);
    GEOSWKBWriter_setFlavor_r(ctx.handle(), writer, GEOS_WKB_ISO);
    size_t size = 0;
    unsigned char* buf = GEOSWKBWriter_write_r(ctx.handle(), writer, g, &size);
    GEOSWKBWriter_destroy_r(ctx.handle(), writer);
    if (!buf)
        ctx.fail("WKB writing");
    std::string out(reinterpret_cast<const char*>(buf), size);
    GEOSFree_r(ctx.handle(), buf);
    return out;
}

GeomPtr from_wkt(const GeosContext& ctx, std::string_view wkt)
{
    GEOSWKTReader* reader = GEOSWKTReader_create_r(ctx.handle());
    std::string text(wkt);
    GEOSGeometry* g = GEOSWKTReader_read_r(ctx.handle(), reader, text.c_str());
    GEOSWKTReader_destroy_r(ctx.handle(), reader);
    return ctx.own(g, "WKT reading");
}

GeomPtr clone(const GeosContext& ctx, const GEOSGeometry* g)
{
    return ctx.own(GEOSGeom_clone_r(ctx.handle(), g), "clone");
}

double area(const GeosContext& ctx, const GEOSGeometry* g)
{
    double a = 0.0;
    if (!GEOSArea_r(ctx.handle(), g, &a))
        ctx.fail("area");
    return a;
}

double length(const GeosContext& ctx, const GEOSGeometry* g)
{
    double l = 0.0;
    if (!GEOSLength_r(ctx.handle(), g, &l))
        ctx.fail("length");
    return l;
}

bool is_empty(const GeosContext& ctx, const GEOSGeometry* g)
{
    return ctx.check_predicate(GEOSisEmpty_r(ctx.handle(), g), "isEmpty");
}

bool is_valid(const GeosContext& ctx, const GEOSGeometry* g)
{
    return ctx.check_predicate(GEOSisValid_r(ctx.handle(), g), "isValid");
}

Box envelope(const GeosContext& ctx, const GEOSGeometry* g)
{
    Box b;
    if (is_empty(ctx, g))
        return b;
    if (!GEOSGeom_getXMin_r(ctx.handle(), g, &b.xmin) ||
        !GEOSGeom_getYMin_r(ctx.handle(), g, &b.ymin) ||
        !GEOSGeom_getXMax_r(ctx.handle(), g, &b.xmax) ||
        !GEOSGeom_getYMax_r(ctx.handle(), g, &b.ymax))
        ctx.fail("envelope");
    return b;
}

GeomPtr box_polygon(const GeosContext& ctx, const Box& box)
{
    return ctx.own(GEOSGeom_createRectangle_r(ctx.handle(), box.xmin, box.ymin, box.xmax, box.ymax),
                   "rectangle");
}

GeomPtr polygon_of(const GeosContext& ctx,
                   const std::vector<double>& xs,
                   const std::vector<double>& ys,
                   const char* what)
{
    GEOSCoordSequence* seq =
      GEOSCoordSeq_copyFromArrays_r(ctx.handle(),
                                    xs.data(),
                                    ys.data(),
                                    nullptr,
                                    nullptr,
                                    unsigned(std::min(xs.size(), ys.size())));
    GEOSGeometry* ring = seq ? GEOSGeom_createLinearRing_r(ctx.handle(), seq) : nullptr;
    if (seq && !ring)
        GEOSCoordSeq_destroy_r(ctx.handle(), seq); // not taken over by a ring that failed
    return ctx.own(ring ? GEOSGeom_createPolygon_r(ctx.handle(), ring, nullptr, 0) : nullptr, what);
}

GeomPtr empty_multipolygon(const GeosContext& ctx)
{
    return ctx.own(GEOSGeom_createEmptyCollection_r(ctx.handle(), GEOS_MULTIPOLYGON),
                   "empty collection");
}

GeomPtr union_of(const GeosContext& ctx, const std::vector<const GEOSGeometry*>& parts)
{
    if (parts.empty())
        return empty_multipolygon(ctx);
    if (parts.size() == 1)
        return ctx.own(GEOSUnaryUnion_r(ctx.handle(), parts.front()), "union");
    // The collection takes ownership of its members, and building it touches them, so it gets
    // clones: the inputs stay untouched and may be read by other threads meanwhile.
    std::vector<GeomPtr> clones;
    clones.reserve(parts.size());
    for (const GEOSGeometry* p : parts)
        clones.push_back(clone(ctx, p));
    GeomPtr coll = make_collection(ctx, GEOS_GEOMETRYCOLLECTION, std::move(clones));
    return ctx.own(GEOSUnaryUnion_r(ctx.handle(), coll.get()), "union");
}

GeomPtr coverage_union(const GeosContext& ctx, const std::vector<const GEOSGeometry*>& parts)
{
    if (parts.size() < 2)
        return union_of(ctx, parts);
    std::vector<GeomPtr> clones;
    clones.reserve(parts.size());
    double parts_m2 = 0.0;
    for (const GEOSGeometry* p : parts) {
        clones.push_back(clone(ctx, p));
        parts_m2 += area(ctx, p);
    }
    GeomPtr coll = make_collection(ctx, GEOS_GEOMETRYCOLLECTION, std::move(clones));
    // GEOS 3.11 refuses (null, with a message) where its own check of the areas fails; the
    // overlay then does it.
    if (GEOSGeometry* united = GEOSCoverageUnion_r(ctx.handle(), coll.get())) {
        GeomPtr g = ctx.own(united, "coverage union");
        // Overlapping parts can come out as one ring crossing itself with the same area.
        if (std::abs(area(ctx, g.get()) - parts_m2) <= 1e-12 * parts_m2 && is_valid(ctx, g.get()))
            return g;
    }
    return union_of(ctx, parts);
}

GeomPtr with_ogc_orientation(const GeosContext& ctx, const GEOSGeometry* g)
{
    // GEOS's normal form has clockwise shells and counter-clockwise holes (and a fixed start
    // vertex and part order); reversed, that is OGC's.
    GeomPtr normal = clone(ctx, g);
    if (GEOSNormalize_r(ctx.handle(), normal.get()) != 0)
        throw GeometryError("normalize failed");
    return ctx.own(GEOSReverse_r(ctx.handle(), normal.get()), "reverse");
}

GeomPtr intersection(const GeosContext& ctx, const GEOSGeometry* a, const GEOSGeometry* b)
{
    return ctx.own(GEOSIntersection_r(ctx.handle(), a, b), "intersection");
}

GeomPtr clip_to_box(const GeosContext& ctx, const GEOSGeometry* g, const Box& box)
{
    // GEOS 3.11's rectangle clip can fail on a valid polygon (a ring it rebuilds of 3 points:
    // "Invalid number of points in LinearRing") or return an invalid one; the overlay with the
    // box then gives the same land the slow way.
    if (GEOSGeometry* clipped =
          GEOSClipByRect_r(ctx.handle(), g, box.xmin, box.ymin, box.xmax, box.ymax)) {
        GeomPtr fast = polygonal_part(ctx, ctx.own(clipped, "clip").get());
        if (is_valid(ctx, fast.get()))
            return fast;
    }
    GeomPtr rectangle = box_polygon(ctx, box);
    return polygonal_part(ctx, intersection(ctx, g, rectangle.get()).get());
}

GeomPtr difference(const GeosContext& ctx, const GEOSGeometry* a, const GEOSGeometry* b)
{
    return ctx.own(GEOSDifference_r(ctx.handle(), a, b), "difference");
}

GeomPtr make_valid(const GeosContext& ctx, const GEOSGeometry* g)
{
    GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(ctx.handle());
    GEOSMakeValidParams_setMethod_r(ctx.handle(), params, GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(ctx.handle(), params, 0);
    GEOSGeometry* out = GEOSMakeValidWithParams_r(ctx.handle(), g, params);
    GEOSMakeValidParams_destroy_r(ctx.handle(), params);
    return ctx.own(out, "make-valid");
}

bool coordinates_in_range(const GeosContext& ctx, const GEOSGeometry* g)
{
    const auto sequence_in_range = [&](const GEOSGeometry* simple) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.handle(), simple);
        unsigned int size = 0;
        if (!seq || !GEOSCoordSeq_getSize_r(ctx.handle(), seq, &size))
            ctx.fail("coordinate sequence");
        for (unsigned int i = 0; i < size; ++i) {
            double x = 0.0, y = 0.0;
            if (!GEOSCoordSeq_getXY_r(ctx.handle(), seq, i, &x, &y))
                ctx.fail("coordinates");
            if (!(std::abs(x) <= max_coordinate && std::abs(y) <= max_coordinate)) // NaN too
                return false;
        }
        return true;
    };
    switch (GEOSGeomTypeId_r(ctx.handle(), g)) {
        case GEOS_POINT:
        case GEOS_LINESTRING:
        case GEOS_LINEARRING:
            return sequence_in_range(g);
        case GEOS_POLYGON: {
            if (!sequence_in_range(GEOSGetExteriorRing_r(ctx.handle(), g)))
                return false;
            const int holes = GEOSGetNumInteriorRings_r(ctx.handle(), g);
            for (int h = 0; h < holes; ++h)
                if (!sequence_in_range(GEOSGetInteriorRingN_r(ctx.handle(), g, h)))
                    return false;
            return true;
        }
        default: { // collections
            const int n = GEOSGetNumGeometries_r(ctx.handle(), g);
            for (int i = 0; i < n; ++i)
                if (!coordinates_in_range(ctx, GEOSGetGeometryN_r(ctx.handle(), g, i)))
                    return false;
            return true;
        }
    }
}

GeomPtr union_of_wkb(const GeosContext& ctx, const std::vector<std::string>& wkbs)
{
    std::vector<GeomPtr> parts;
    std::vector<const GEOSGeometry*> refs;
    for (const std::string& w : wkbs) {
        if (w.empty())
            continue;
        parts.push_back(polygonal_from_wkb(ctx, w));
        refs.push_back(parts.back().get());
    }
    return refs.empty() ? nullptr : union_of(ctx, refs);
}

namespace {

/// The vertices of the LineString @p line as x, y pairs. @throws GeometryError naming @p what.
std::vector<double> line_vertices(const GeosContext& ctx,
                                  const GEOSGeometry* line,
                                  const char* what)
{
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.handle(), line);
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(ctx.handle(), seq, &n))
        throw GeometryError(std::string(what) + ": not a LineString");
    std::vector<double> xy(2 * std::size_t(n));
    for (unsigned int i = 0; i < n; ++i)
        GEOSCoordSeq_getXY_r(ctx.handle(), seq, i, &xy[2 * i], &xy[2 * i + 1]);
    return xy;
}

/// The LineString of the x, y pairs @p xy; an empty line when they are fewer than two points.
GeomPtr line_of(const GeosContext& ctx, const std::vector<double>& xy, const char* what)
{
    if (xy.size() < 4)
        return ctx.own(GEOSGeom_createEmptyLineString_r(ctx.handle()), "empty line");
    GEOSCoordSequence* out = GEOSCoordSeq_create_r(ctx.handle(), unsigned(xy.size() / 2), 2);
    for (std::size_t k = 0; k < xy.size() / 2; ++k)
        GEOSCoordSeq_setXY_r(ctx.handle(), out, unsigned(k), xy[2 * k], xy[2 * k + 1]);
    return ctx.own(GEOSGeom_createLineString_r(ctx.handle(), out), what);
}

} // namespace

GeomPtr line_prefix(const GeosContext& ctx, const GEOSGeometry* line, double length)
{
    const std::vector<double> in = line_vertices(ctx, line, "line_prefix");
    std::vector<double> xy;
    double walked = 0.0;
    for (std::size_t i = 0; i < in.size(); i += 2) {
        const double x = in[i], y = in[i + 1];
        if (i > 0) {
            const double px = in[i - 2], py = in[i - 1];
            const double step = std::hypot(x - px, y - py);
            if (walked + step >= length) { // the cut lies in this segment
                const double f = step > 0.0 ? (length - walked) / step : 0.0;
                xy.insert(xy.end(), { px + f * (x - px), py + f * (y - py) });
                break;
            }
            walked += step;
        }
        xy.insert(xy.end(), { x, y });
    }
    return line_of(ctx, xy, "line prefix");
}

GeomPtr line_suffix(const GeosContext& ctx, const GEOSGeometry* line, double from)
{
    const std::vector<double> in = line_vertices(ctx, line, "line_suffix");
    std::vector<double> xy;
    double walked = 0.0;
    for (std::size_t i = 0; i < in.size(); i += 2) {
        const double x = in[i], y = in[i + 1];
        if (i > 0 && xy.empty()) {
            const double px = in[i - 2], py = in[i - 1];
            const double step = std::hypot(x - px, y - py);
            if (walked + step > from) { // the cut lies in this segment
                const double f = step > 0.0 ? std::max(0.0, from - walked) / step : 0.0;
                xy.insert(xy.end(), { px + f * (x - px), py + f * (y - py) });
            }
            walked += step;
        }
        if (!xy.empty())
            xy.insert(xy.end(), { x, y });
    }
    return line_of(ctx, xy, "line suffix");
}

void collect_parts(const GeosContext& ctx,
                   const GEOSGeometry* g,
                   std::vector<const GEOSGeometry*>& out)
{
    const int type = GEOSGeomTypeId_r(ctx.handle(), g);
    if (type == GEOS_MULTIPOINT || type == GEOS_MULTILINESTRING || type == GEOS_MULTIPOLYGON ||
        type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(ctx.handle(), g);
        for (int i = 0; i < n; ++i)
            collect_parts(ctx, GEOSGetGeometryN_r(ctx.handle(), g, i), out);
        return;
    }
    if (!is_empty(ctx, g))
        out.push_back(g);
}

GeomPtr make_collection(const GeosContext& ctx, int type, std::vector<GeomPtr> members)
{
    std::vector<GEOSGeometry*> raw;
    raw.reserve(members.size());
    for (GeomPtr& m : members)
        raw.push_back(m.get());
    GEOSGeometry* coll = GEOSGeom_createCollection_r(
      ctx.handle(), type, raw.data(), static_cast<unsigned>(raw.size()));
    if (!coll)
        ctx.fail("collection"); // the members are still owned by `members` and freed
    for (GeomPtr& m : members)
        m.release(); // now owned by the collection
    return ctx.own(coll, "collection");
}

GeomPtr multipolygon_of(const GeosContext& ctx, const std::vector<const GEOSGeometry*>& polygons)
{
    std::vector<GeomPtr> clones;
    clones.reserve(polygons.size());
    for (const GEOSGeometry* p : polygons)
        clones.push_back(clone(ctx, p));
    return make_collection(ctx, GEOS_MULTIPOLYGON, std::move(clones));
}

GeomPtr polygonal_part(const GeosContext& ctx, const GEOSGeometry* g)
{
    std::vector<const GEOSGeometry*> parts;
    collect_parts(ctx, g, parts);
    std::vector<GeomPtr> polys;
    for (const GEOSGeometry* p : parts)
        if (GEOSGeomTypeId_r(ctx.handle(), p) == GEOS_POLYGON)
            polys.push_back(clone(ctx, p));
    return make_collection(ctx, GEOS_MULTIPOLYGON, std::move(polys));
}

GeomPtr polygonal_from_wkb(const GeosContext& ctx, std::string_view wkb)
{
    GeomPtr g = from_wkb(ctx, wkb);
    if (!is_valid(ctx, g.get()))
        g = make_valid(ctx, g.get());
    return polygonal_part(ctx, g.get());
}

} // namespace landel::geometry
