#include "landel/analysis/measurement/patch_filter.h"

#include "landel/geometry/box_index.h"
#include "landel/geometry/envelope_clusters.h"
#include "landel/geometry/ops.h"

namespace landel::analysis {

using geometry::GeomPtr;

PatchFilterResult filter_patches(const geometry::GeosContext& ctx,
                                 const std::vector<const GEOSGeometry*>& polygons,
                                 double max_area_m2)
{
    PatchFilterResult result;
    result.keep.assign(polygons.size(), true);
    if (polygons.empty())
        return result;

    // The patches are the parts of the union; a polygon touching no other (most small woods
    // and ponds) is its own patch without any overlay.
    std::vector<Box> env;
    for (const GEOSGeometry* p : polygons)
        env.push_back(geometry::envelope(ctx, p));
    const GeomPtr merged = geometry::union_by_clusters(ctx, polygons, env);
    std::vector<const GEOSGeometry*> patches;
    geometry::collect_parts(ctx, merged.get(), patches);

    std::vector<const GEOSGeometry*> too_large;
    for (const GEOSGeometry* patch : patches) {
        if (GEOSGeomTypeId_r(ctx.handle(), patch) != GEOS_POLYGON)
            continue;
        ++result.patches;
        const double a = geometry::area(ctx, patch);
        if (a > max_area_m2) {
            too_large.push_back(patch);
            ++result.dropped;
            result.dropped_m2 += a;
        }
    }
    if (too_large.empty())
        return result;

    std::vector<Box> boxes;
    for (const GEOSGeometry* p : too_large)
        boxes.push_back(geometry::envelope(ctx, p));
    const geometry::BoxIndex index(boxes);
    std::vector<geometry::PreparedPtr> prepared(too_large.size());

    for (std::size_t i = 0; i < polygons.size(); ++i) {
        GeomPtr inside =
          ctx.own(GEOSPointOnSurface_r(ctx.handle(), polygons[i]), "point on surface");
        if (geometry::is_empty(ctx, inside.get()))
            continue;
        for (std::size_t j : index.query(geometry::envelope(ctx, inside.get()))) {
            if (!prepared[j])
                prepared[j] =
                  ctx.own_prepared(GEOSPrepare_r(ctx.handle(), too_large[j]), "prepare");
            if (ctx.check_predicate(
                  GEOSPreparedIntersects_r(ctx.handle(), prepared[j].get(), inside.get()),
                  "intersects")) {
                result.keep[i] = false;
                break;
            }
        }
    }
    return result;
}

} // namespace landel::analysis
