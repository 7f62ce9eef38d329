#pragma once
/// @file boxed_land.h
/// Polygonal land that is cut to small boxes many times (an area's rural land and what sites
/// keep off, for every candidate site): its polygons indexed by their boxes, so that a cut
/// reads only the polygons that meet the box instead of every vertex of the land.

#include "landel/core/box.h"
#include "landel/geometry/box_index.h"
#include "landel/geometry/geos_context.h"

#include <memory>
#include <vector>

namespace landel::geometry {

class BoxedLand
{
public:
    BoxedLand() = default;
    /// @p land: polygonal, its polygons not overlapping (a union's); nullptr: no land.
    BoxedLand(const GeosContext& ctx, GeomPtr land);

    /// Its extent (empty when there is no land).
    const Box& extent() const { return m_extent; }

    /// The land inside @p box, as clip_to_box() of the whole land gives it; nullptr when no
    /// polygon of the land meets the box.
    GeomPtr within(const GeosContext& ctx, const Box& box) const;

private:
    GeomPtr m_land;
    std::vector<const GEOSGeometry*> m_polygons; ///< parts of m_land
    std::vector<Box> m_boxes;
    std::unique_ptr<BoxIndex> m_index;
    Box m_extent;
};

} // namespace landel::geometry
