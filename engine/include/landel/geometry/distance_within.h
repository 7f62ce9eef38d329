#pragma once
/// @file distance_within.h
/// Whether two polygonal geometries lie within a distance of each other, by their edges near
/// each other only.

#include "landel/geometry/geos_context.h"

namespace landel::geometry {

/// True when some point of @p a lies within @p distance of some point of @p b (both
/// polygonal). The same answer as GEOSDistanceWithin_r, without its comparison of every edge
/// of one with every edge of the other: only the edges whose boxes come within reach of the
/// other geometry's envelope are compared, which for a small polygon beside a long one (a
/// tree beside a ditch) is a handful.
bool within_distance(const GeosContext& ctx,
                     const GEOSGeometry* a,
                     const GEOSGeometry* b,
                     double distance);

} // namespace landel::geometry
