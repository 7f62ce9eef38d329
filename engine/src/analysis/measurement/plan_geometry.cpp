// Plan-quantity geometry kept for the raster pass, and cutting segments at cell edges.

#include "landel/geometry/ops.h"
#include "raster_pass.h"

#include <algorithm>
#include <cmath>

namespace landel::analysis::detail {

void PlanGeometry::add_lines(const geometry::GeosContext& ctx, const GEOSGeometry* g)
{
    std::vector<const GEOSGeometry*> parts;
    geometry::collect_parts(ctx, g, parts);
    for (const GEOSGeometry* part : parts) {
        const int type = GEOSGeomTypeId_r(ctx.handle(), part);
        if (type != GEOS_LINESTRING && type != GEOS_LINEARRING)
            continue; // points where a line touches the land's border carry no length
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.handle(), part);
        unsigned int size = 0;
        if (!seq || !GEOSCoordSeq_getSize_r(ctx.handle(), seq, &size))
            ctx.fail("coordinate sequence");
        std::vector<double> xy(2 * std::size_t(size));
        for (unsigned int i = 0; i < size; ++i)
            if (!GEOSCoordSeq_getXY_r(ctx.handle(), seq, i, &xy[2 * i], &xy[2 * i + 1]))
                ctx.fail("coordinates");
        lines.push_back(std::move(xy));
    }
}

void PlanGeometry::add_point_feature(const geometry::GeosContext& ctx, const GEOSGeometry* g)
{
    std::vector<const GEOSGeometry*> parts;
    geometry::collect_parts(ctx, g, parts);
    std::vector<std::array<double, 2>> points;
    for (const GEOSGeometry* part : parts) {
        if (GEOSGeomTypeId_r(ctx.handle(), part) != GEOS_POINT)
            continue;
        std::array<double, 2> xy{};
        if (!GEOSGeomGetX_r(ctx.handle(), part, &xy[0]) ||
            !GEOSGeomGetY_r(ctx.handle(), part, &xy[1]))
            ctx.fail("point coordinates");
        points.push_back(xy);
    }
    point_features.push_back(std::move(points));
}

} // namespace landel::analysis::detail
