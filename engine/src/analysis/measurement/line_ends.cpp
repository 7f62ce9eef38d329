// Line ends and whether they connect ([siting], docs/siting.md): a hedge or a tree row that
// ends within the gap tolerance of another element carries the network on; one that ends in
// open field is a dead end. Counted per area on its rural land, for the share of connected
// ends the Aanvalsplan's "network of connected elements" asks about.

#include "landel/geometry/ops.h"
#include "measure_stages.h"

namespace landel::analysis::detail {

namespace {

/// The two ends of every open line part of @p lines.
std::vector<std::array<double, 2>> ends_of(const geometry::GeosContext& ctx,
                                           const GEOSGeometry* lines)
{
    std::vector<std::array<double, 2>> ends;
    std::vector<const GEOSGeometry*> parts;
    geometry::collect_parts(ctx, lines, parts);
    for (const GEOSGeometry* part : parts) {
        if (GEOSGeomTypeId_r(ctx.handle(), part) != GEOS_LINESTRING)
            continue;
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.handle(), part);
        unsigned int n = 0;
        if (!seq || !GEOSCoordSeq_getSize_r(ctx.handle(), seq, &n))
            ctx.fail("coordinate sequence");
        if (n < 2)
            continue;
        std::array<double, 2> first{}, last{};
        GEOSCoordSeq_getXY_r(ctx.handle(), seq, 0, &first[0], &first[1]);
        GEOSCoordSeq_getXY_r(ctx.handle(), seq, n - 1, &last[0], &last[1]);
        if (first == last)
            continue; // a closed line (a hedge around a yard) has no end
        ends.push_back(first);
        ends.push_back(last);
    }
    return ends;
}

/// Whether another feature than @p self has footprint on @p land within @p gap_m of @p end.
bool connected(const geometry::GeosContext& ctx,
               const GEOSGeometry* land,
               const GEOSPreparedGeometry* prepared_land,
               const GEOSGeometry* end,
               const Box& reach,
               std::size_t self,
               const ElementShapes& shapes,
               const geometry::BoxIndex& index,
               double gap_m)
{
    for (std::size_t j : index.query(reach)) {
        if (j == self)
            continue;
        geometry::GeomPtr storage;
        const GEOSGeometry* footprint = shapes.shapes[j].footprint(ctx, storage);
        if (geometry::is_empty(ctx, footprint) ||
            !ctx.check_predicate(GEOSDistanceWithin_r(ctx.handle(), end, footprint, gap_m),
                                 "distance within"))
            continue;
        // Only its land in the area's rural land counts, as in the network.
        if (ctx.check_predicate(
              GEOSPreparedContainsProperly_r(ctx.handle(), prepared_land, footprint),
              "containsProperly"))
            return true;
        const geometry::GeomPtr local = geometry::clip_to_box(ctx, land, reach);
        const geometry::GeomPtr on_land =
          geometry::polygonal_part(ctx, geometry::intersection(ctx, footprint, local.get()).get());
        if (!geometry::is_empty(ctx, on_land.get()) &&
            ctx.check_predicate(GEOSDistanceWithin_r(ctx.handle(), end, on_land.get(), gap_m),
                                "distance within"))
            return true;
    }
    return false;
}

} // namespace

void count_line_ends(const geometry::GeosContext& ctx,
                     const GEOSGeometry* land,
                     const std::vector<std::size_t>& candidates,
                     const ElementShapes& shapes,
                     const geometry::BoxIndex& index,
                     double gap_m,
                     AreaMeasure& m)
{
    m.line_ends = 0;
    m.connected_line_ends = 0;
    if (geometry::is_empty(ctx, land))
        return;
    const geometry::PreparedPtr prepared =
      ctx.own_prepared(GEOSPrepare_r(ctx.handle(), land), "prepare");
    for (std::size_t s : candidates) {
        const Shape& shape = shapes.shapes[s];
        if (!shape.lines)
            continue;
        for (const auto& [x, y] : ends_of(ctx, shape.lines.get())) {
            const geometry::GeomPtr end =
              ctx.own(GEOSGeom_createPointFromXY_r(ctx.handle(), x, y), "line end");
            if (!ctx.check_predicate(GEOSPreparedCovers_r(ctx.handle(), prepared.get(), end.get()),
                                     "covers"))
                continue; // an end in a mask or in the next area
            ++m.line_ends;
            const Box reach{ x - gap_m, y - gap_m, x + gap_m, y + gap_m };
            if (connected(ctx, land, prepared.get(), end.get(), reach, s, shapes, index, gap_m))
                ++m.connected_line_ends;
        }
    }
}

} // namespace landel::analysis::detail
