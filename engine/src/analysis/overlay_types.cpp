#include "landel/geometry/ops.h"
#include "measure_stages.h"

namespace landel::analysis::detail {

using geometry::GeomPtr;

OwnedPieces overlay_types(const geometry::GeosContext& ctx, const GEOSGeometry* land,
                          const Box& window, const ElementShapes& shapes,
                          const geometry::BoxIndex& index, std::size_t type_count,
                          std::size_t source_count)
{
    OwnedPieces out;
    out.m2.assign(type_count, 0.0);
    out.owned.resize(type_count);
    out.sources_hit.assign(source_count, 0);
    if (geometry::is_empty(ctx, land))
        return out;

    geometry::PreparedPtr prepared = ctx.own_prepared(GEOSPrepare_r(ctx.handle(), land), "prepare");
    // Footprints inside the land are taken as they are; those crossing its boundary are
    // clipped one by one (small, cheap overlays), so the union of a type is already its union
    // on the land: (a ∪ b) ∩ R = (a ∩ R) ∪ (b ∩ R), without one large intersection.
    std::vector<std::vector<const GEOSGeometry*>> by_type(type_count);
    std::vector<GeomPtr> clipped;
    for (std::size_t j : index.query(window)) {
        const Shape& s = shapes.shapes[j];
        if (!ctx.check_predicate(
              GEOSPreparedIntersects_r(ctx.handle(), prepared.get(), s.footprint.get()),
              "intersects"))
            continue;
        out.sources_hit[std::size_t(s.source)] = 1;
        const GEOSGeometry* piece = s.footprint.get();
        if (!ctx.check_predicate(
              GEOSPreparedContainsProperly_r(ctx.handle(), prepared.get(), s.footprint.get()),
              "containsProperly")) {
            clipped.push_back(geometry::polygonal_part(
              ctx, geometry::intersection(ctx, s.footprint.get(), land).get()));
            piece = clipped.back().get();
            if (geometry::is_empty(ctx, piece))
                continue;
        }
        by_type[std::size_t(s.type)].push_back(piece);
    }

    // Types in precedence order: each owns its union on this land minus what earlier types
    // own, so overlaps count once and go to the first type listed.
    std::size_t last = 0;
    for (std::size_t t = 0; t < type_count; ++t)
        if (!by_type[t].empty())
            last = t;
    GeomPtr covered;
    for (std::size_t t = 0; t < type_count; ++t) {
        if (by_type[t].empty())
            continue;
        GeomPtr on_land = geometry::polygonal_part(ctx, geometry::union_of(ctx, by_type[t]).get());
        if (geometry::is_empty(ctx, on_land.get()))
            continue;
        GeomPtr owned = covered ? geometry::polygonal_part(
                                    ctx, geometry::difference(ctx, on_land.get(), covered.get()).get())
                                : geometry::clone(ctx, on_land.get());
        out.m2[t] = geometry::area(ctx, owned.get());
        if (out.m2[t] > 0.0)
            out.owned[t] = std::move(owned);
        if (t == last)
            break; // nothing ranks after it: no need to grow the covered area (a large union)
        covered = covered ? geometry::unite(ctx, covered.get(), on_land.get()) : std::move(on_land);
    }
    return out;
}

} // namespace landel::analysis::detail
