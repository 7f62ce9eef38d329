#include "landel/analysis/measurement/patch_filter.h"

#include "landel/core/error.h"
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
            result.dropped_areas_m2.push_back(a);
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

std::shared_ptr<const JudgedPatches> judge_source_parts(
  const geometry::GeosContext& ctx,
  const std::vector<const GEOSGeometry*>& parts,
  const std::vector<PartOf>& part_of,
  std::size_t features,
  double limit_m2)
{
    const PatchFilterResult filtered = filter_patches(ctx, parts, limit_m2);
    auto judged = std::make_shared<JudgedPatches>();
    judged->over_limit.resize(features);
    for (std::size_t k = 0; k < parts.size(); ++k) {
        std::vector<bool>& feature = judged->over_limit[part_of[k].first];
        if (feature.size() <= part_of[k].second)
            feature.resize(part_of[k].second + 1, false);
        feature[part_of[k].second] = !filtered.keep[k];
    }
    judged->patches = filtered.patches;
    judged->over = filtered.dropped;
    judged->over_ha = filtered.dropped_m2 / 1e4;
    return judged;
}

bool over_limit(const JudgedPatches& judged, const PartOf& at, const std::string& label)
{
    if (at.first >= judged.over_limit.size() || at.second >= judged.over_limit[at.first].size())
        throw Error(label + ": the patches were judged on other features than it holds now; " +
                    "judge them again");
    return judged.over_limit[at.first][at.second];
}

} // namespace landel::analysis
