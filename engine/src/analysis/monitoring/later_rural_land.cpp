#include "change_stages.h"

#include "landel/geometry/ops.h"

namespace landel::analysis::detail {

LaterRuralLand::LaterRuralLand(const geometry::GeosContext& ctx, const GEOSGeometry* rural)
  : m_rural(rural)
{
    if (!geometry::is_empty(ctx, rural))
        m_prepared = ctx.own_prepared(GEOSPrepare_r(ctx.handle(), rural), "prepare rural land");
}

void LaterRuralLand::split(const geometry::GeosContext& ctx,
                           const GEOSGeometry* gone,
                           geometry::GeomPtr& masked,
                           geometry::GeomPtr& lost) const
{
    if (geometry::is_empty(ctx, gone)) {
        masked = geometry::empty_multipolygon(ctx);
        lost = geometry::empty_multipolygon(ctx);
        return;
    }
    if (!m_prepared) {
        masked = geometry::clone(ctx, gone);
        lost = geometry::empty_multipolygon(ctx);
        return;
    }
    if (ctx.check_predicate(GEOSPreparedContains_r(ctx.handle(), m_prepared.get(), gone),
                            "contains")) {
        masked = geometry::empty_multipolygon(ctx);
        lost = geometry::clone(ctx, gone);
        return;
    }
    masked = geometry::polygonal_part(ctx, geometry::difference(ctx, gone, m_rural).get());
    lost = geometry::polygonal_part(ctx, geometry::intersection(ctx, gone, m_rural).get());
}

} // namespace landel::analysis::detail
