#pragma once
/// @file footprint.h
/// The area an element feature occupies on the ground (docs/semantics.md, "Element footprints").

#include "landel/geometry/geos_context.h"

namespace landel::analysis {

/// Segments per quarter circle for round joins and circles. With 32 a circle becomes an
/// inscribed 128-gon, whose area is 99.96% of pi*d^2/4 (docs/semantics.md).
inline constexpr int quadrant_segments = 32;

/// Footprint of one element geometry:
/// - lines: a strip of @p width_m (half to each side), flat ends, round joins; a multi-line is
///   buffered as one feature, so its parts merge where they overlap;
/// - points: a circle of diameter @p width_m;
/// - polygons: themselves (they must be valid already).
/// Collections mix these by part. The result is polygonal, possibly empty (a zero-length line).
/// @pre width_m > 0 when @p g has puntal or linear parts.
geometry::GeomPtr element_footprint(const geometry::GeosContext& ctx,
                                    const GEOSGeometry* g,
                                    double width_m);

/// Topological dimension class of the parts of @p g: bit 0 = has points, bit 1 = has lines,
/// bit 2 = has polygons.
int dimension_mask(const geometry::GeosContext& ctx, const GEOSGeometry* g);

inline constexpr int has_points = 1;
inline constexpr int has_lines = 2;
inline constexpr int has_polygons = 4;

} // namespace landel::analysis
