#include "landel/analysis/measurement/patch_filter.h"
#include "landel/core/error.h"
#include "landel/geometry/envelope_clusters.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"
#include "landel/parallel/progress_counter.h"
#include "measure_stages.h"

#include <algorithm>
#include <numeric>

namespace landel::analysis::detail {

using geometry::GeomPtr;

namespace {

struct Mask
{
    GeomPtr geom;
    int group = -1;
    Box env;
    ContentKey key;
};

/// The polygons of one mask source's @p parsed masks whose connected patch has a net area
/// above @p src.min_patch_ha: the inverse of an element source's max_patch_ha, judged on the
/// whole source (or given by src.judged). Records the patches judged and those that mask in
/// @p report, and the judgement in @p judged.
std::vector<Mask> large_patches(const geometry::GeosContext& ctx,
                                const MaskSource& src,
                                const std::vector<Mask>& parsed,
                                SourceReport& report,
                                std::shared_ptr<const JudgedPatches>& judged)
{
    std::vector<Mask> parts;
    std::vector<PartOf> part_of;
    for (std::size_t i = 0; i < parsed.size(); ++i) {
        const Mask& m = parsed[i];
        const std::vector<const GEOSGeometry*> polygons = mask_patch_polygons(ctx, m.geom.get());
        for (std::size_t j = 0; j < polygons.size(); ++j) {
            Mask part;
            part.geom = geometry::clone(ctx, polygons[j]);
            part.group = m.group;
            part.env = geometry::envelope(ctx, part.geom.get());
            part.key = ContentKey{ m.group, part.env, m.key.wkb, j };
            parts.push_back(std::move(part));
            part_of.emplace_back(i, j);
        }
    }
    judged = src.judged;
    if (!judged) {
        // Judge the patches on content-ordered input: the union, and so the patch areas, must
        // not depend on feature order.
        std::vector<std::size_t> order(parts.size());
        std::iota(order.begin(), order.end(), std::size_t(0));
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return parts[a].key < parts[b].key;
        });
        std::vector<const GEOSGeometry*> refs;
        std::vector<PartOf> sorted_part_of;
        for (std::size_t k : order) {
            refs.push_back(parts[k].geom.get());
            sorted_part_of.push_back(part_of[k]);
        }
        judged =
          judge_source_parts(ctx, refs, sorted_part_of, parsed.size(), *src.min_patch_ha * 1e4);
    }
    report.patches = judged->patches;
    report.dropped_patches = judged->over;
    report.dropped_patch_ha = judged->over_ha;
    std::vector<Mask> large;
    for (std::size_t k = 0; k < parts.size(); ++k)
        if (over_limit(*judged, part_of[k], src.label)) // patches above the limit mask
            large.push_back(std::move(parts[k]));
    return large;
}

} // namespace

GeomPtr parse_mask(const geometry::GeosContext& ctx,
                   const MaskSource& src,
                   std::size_t i,
                   bool& repaired)
{
    GeomPtr g = geometry::from_wkb(ctx, src.wkb[i]);
    if (!geometry::coordinates_in_range(ctx, g.get()))
        throw InvalidArgument(src.label + ": geometry #" + std::to_string(i + 1) +
                              " has a coordinate that is not a number or beyond ±1e15 m");
    if (!geometry::is_valid(ctx, g.get())) {
        g = geometry::make_valid(ctx, g.get());
        repaired = true;
    }
    return geometry::polygonal_part(ctx, g.get());
}

std::vector<const GEOSGeometry*> mask_patch_polygons(const geometry::GeosContext& ctx,
                                                     const GEOSGeometry* g)
{
    std::vector<const GEOSGeometry*> parts, polygons;
    geometry::collect_parts(ctx, g, parts);
    for (const GEOSGeometry* part : parts)
        if (GEOSGeomTypeId_r(ctx.handle(), part) == GEOS_POLYGON)
            polygons.push_back(part);
    return polygons;
}

namespace {

/// Every mask polygon parsed and repaired, in a content-defined order; lines and points in
/// a mask carry no area; of sources with min_patch_ha only the polygons of large patches.
/// Appends a report per mask source to @p reports.
std::vector<Mask> parse_masks(Contexts& contexts,
                              const MeasureRequest& request,
                              std::vector<SourceReport>& reports,
                              std::vector<std::shared_ptr<const JudgedPatches>>& judged)
{
    std::vector<Mask> masks;
    judged.assign(request.masks.size(), nullptr);
    for (std::size_t s = 0; s < request.masks.size(); ++s) {
        const MaskSource& src = request.masks[s];
        SourceReport report;
        report.label = src.label;
        report.features = src.wkb.size();
        std::vector<Mask> parsed(src.wkb.size());
        std::vector<char> repaired(src.wkb.size(), 0);
        parallel::for_each_index(src.wkb.size(), [&](std::size_t i) {
            const geometry::GeosContext& ctx = contexts.local();
            bool was_repaired = false;
            parsed[i].geom = parse_mask(ctx, src, i, was_repaired);
            repaired[i] = was_repaired ? 1 : 0;
            parsed[i].group = src.group;
            parsed[i].env = geometry::envelope(ctx, parsed[i].geom.get());
            parsed[i].key = ContentKey{ src.group, parsed[i].env, &src.wkb[i], 0 };
        });
        for (std::size_t i = 0; i < repaired.size(); ++i)
            if (repaired[i])
                report.repaired_at.push_back(i);
        report.repaired = report.repaired_at.size();
        if (src.min_patch_ha)
            parsed = large_patches(contexts.local(), src, parsed, report, judged[s]);
        for (Mask& m : parsed)
            if (!m.env.empty())
                masks.push_back(std::move(m));
        reports.push_back(report);
    }
    std::sort(
      masks.begin(), masks.end(), [](const Mask& a, const Mask& b) { return a.key < b.key; });
    return masks;
}

/// The masks of one area, and what it keeps of them.
struct AreaMasks
{
    const std::vector<Mask>& masks;
    const geometry::BoxIndex& index;
    const std::vector<char>& keep_group; ///< per group: keep area ∩ its masks
};

/// The union of @p masks (geometry::union_by_clusters: a building touching nothing needs no
/// overlay).
GeomPtr union_of_masks(const geometry::GeosContext& ctx, const std::vector<const Mask*>& masks)
{
    std::vector<const GEOSGeometry*> geoms;
    std::vector<Box> env;
    for (const Mask* m : masks) {
        geoms.push_back(m->geom.get());
        env.push_back(m->env);
    }
    return geometry::union_by_clusters(ctx, geoms, env);
}

/// Rural land of area @p i of @p areas: the area minus its masks, united per group first
/// (each group's share of the area is its exclusion).
void area_rural_land(const geometry::GeosContext& ctx,
                     const PreparedAreas& areas,
                     std::size_t i,
                     const AreaMasks& m,
                     RuralLand& out)
{
    const std::size_t group_count = m.keep_group.size();
    const GEOSGeometry* area = areas.geom[i].get();
    geometry::PreparedPtr prepared = ctx.own_prepared(GEOSPrepare_r(ctx.handle(), area), "prepare");

    // Candidates per group; index group_count holds the unnamed masks.
    std::vector<std::vector<const Mask*>> by_group(group_count + 1);
    for (std::size_t j : m.index.query(areas.env[i])) {
        if (!ctx.check_predicate(
              GEOSPreparedIntersects_r(ctx.handle(), prepared.get(), m.masks[j].geom.get()),
              "intersects"))
            continue;
        const int g = m.masks[j].group;
        by_group[g < 0 ? group_count : std::size_t(g)].push_back(&m.masks[j]);
    }

    std::vector<GeomPtr> unions;
    for (std::size_t g = 0; g <= group_count; ++g) {
        if (by_group[g].empty())
            continue;
        GeomPtr u = union_of_masks(ctx, by_group[g]);
        if (g < group_count) {
            GeomPtr mine = geometry::intersection(ctx, u.get(), area);
            out.excl_m2[i][g] = geometry::area(ctx, mine.get());
            if (m.keep_group[g]) {
                out.group_geom[i].resize(group_count);
                out.group_geom[i][g] = geometry::polygonal_part(ctx, mine.get());
            }
        }
        unions.push_back(std::move(u));
    }
    // The area minus each group's union in turn: cheaper than uniting the unions first (an
    // overlay of the whole masked surface) and subtracting that, for the same land.
    GeomPtr rural = geometry::clone(ctx, area);
    for (const GeomPtr& u : unions)
        rural =
          geometry::polygonal_part(ctx, geometry::difference(ctx, rural.get(), u.get()).get());
    out.rural[i] = std::move(rural);
    out.masked_m2[i] = geometry::area(ctx, area) - geometry::area(ctx, out.rural[i].get());
}

} // namespace

std::vector<std::shared_ptr<const JudgedPatches>> judge_mask_patches(
  Contexts& contexts,
  const MeasureRequest& request,
  std::vector<SourceReport>& reports)
{
    std::vector<std::shared_ptr<const JudgedPatches>> judged;
    parse_masks(contexts, request, reports, judged);
    return judged;
}

RuralLand compute_rural_land(Contexts& contexts,
                             const MeasureRequest& request,
                             const PreparedAreas& areas)
{
    RuralLand out;
    const std::size_t group_count = request.mask_groups.size();
    std::vector<std::shared_ptr<const JudgedPatches>> judged;
    const std::vector<Mask> masks = parse_masks(contexts, request, out.reports, judged);
    std::vector<Box> boxes;
    for (const Mask& m : masks)
        boxes.push_back(m.env);
    const geometry::BoxIndex index(boxes);

    const std::size_t n = areas.geom.size();
    out.rural.resize(n);
    out.masked_m2.assign(n, 0.0);
    out.excl_m2.assign(n, std::vector<double>(group_count, 0.0));
    out.group_geom.resize(n);
    std::vector<char> keep_group(group_count, 0);
    for (const RasterMaskSource& m : request.raster_masks)
        if (m.group >= 0)
            keep_group[std::size_t(m.group)] = 1;
    const AreaMasks area_masks{ masks, index, keep_group };
    parallel::ProgressCounter progress(request.progress, 0.10, 0.30, n, "rural land");
    parallel::for_each_index(n, [&](std::size_t i) {
        area_rural_land(contexts.local(), areas, i, area_masks, out);
        progress.step();
    });
    return out;
}

} // namespace landel::analysis::detail
