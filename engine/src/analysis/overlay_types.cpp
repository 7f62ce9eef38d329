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
    std::vector<std::vector<const GEOSGeometry*>> by_type(type_count);
    for (std::size_t j : index.query(window)) {
        const Shape& s = shapes.shapes[j];
        if (!ctx.check_predicate(
              GEOSPreparedIntersects_r(ctx.handle(), prepared.get(), s.footprint.get()),
              "intersects"))
            continue;
        by_type[std::size_t(s.type)].push_back(s.footprint.get());
        out.sources_hit[std::size_t(s.source)] = 1;
    }

    // Types in precedence order: each owns its union on this land minus what earlier types
    // own, so overlaps count once and go to the first type listed.
    GeomPtr covered;
    for (std::size_t t = 0; t < type_count; ++t) {
        if (by_type[t].empty())
            continue;
        GeomPtr on_land = geometry::polygonal_part(
          ctx, geometry::intersection(ctx, geometry::union_of(ctx, by_type[t]).get(), land).get());
        if (geometry::is_empty(ctx, on_land.get()))
            continue;
        GeomPtr owned = covered ? geometry::polygonal_part(
                                    ctx, geometry::difference(ctx, on_land.get(), covered.get()).get())
                                : geometry::clone(ctx, on_land.get());
        out.m2[t] = geometry::area(ctx, owned.get());
        if (out.m2[t] > 0.0)
            out.owned[t] = std::move(owned);
        covered = covered ? geometry::unite(ctx, covered.get(), on_land.get()) : std::move(on_land);
    }
    return out;
}

} // namespace landel::analysis::detail
