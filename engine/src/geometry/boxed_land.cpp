#include "landel/geometry/boxed_land.h"

#include "landel/geometry/ops.h"

namespace landel::geometry {

BoxedLand::BoxedLand(const GeosContext& ctx, GeomPtr land)
  : m_land(std::move(land))
{
    if (!m_land)
        return;
    collect_parts(ctx, m_land.get(), m_polygons);
    for (const GEOSGeometry* polygon : m_polygons)
        m_boxes.push_back(envelope(ctx, polygon));
    m_index = std::make_unique<BoxIndex>(m_boxes);
    m_extent = envelope(ctx, m_land.get());
}

GeomPtr BoxedLand::within(const GeosContext& ctx, const Box& box) const
{
    if (!m_land)
        return nullptr;
    const std::vector<std::size_t> near = m_index->query(box);
    if (near.empty())
        return nullptr;
    if (near.size() == m_polygons.size())
        return clip_to_box(ctx, m_land.get(), box);
    // The polygons that meet the box, in the land's order: the cut of the whole land holds
    // nothing of the others.
    std::vector<const GEOSGeometry*> meeting;
    for (std::size_t k : near)
        meeting.push_back(m_polygons[k]);
    const GeomPtr part = multipolygon_of(ctx, meeting);
    return clip_to_box(ctx, part.get(), box);
}

} // namespace landel::geometry
