#pragma once
/// @file field_corners.h
/// The corners of fields, where a pond or a small wood takes the least from farming: the
/// convex vertices of a parcel whose angle inside the parcel is at most a given angle
/// ([siting] corner_angle_deg, docs/siting.md), and the place of a round site in such a corner.

#include "landel/geometry/geos_context.h"

#include <vector>

namespace landel::analysis {

/// A corner of a parcel: its vertex, the unit vector halving the angle into the parcel, and
/// the angle inside the parcel (radians, below pi).
struct FieldCorner
{
    double x = 0.0, y = 0.0;
    double bisector_x = 0.0, bisector_y = 0.0;
    double angle_rad = 0.0;
};

/// The corners of @p parcel (polygonal; holes included: a corner of a field around a farmyard
/// points into the field as well) whose angle inside the parcel is at most @p max_angle_deg,
/// in ring and vertex order. Repeated vertices are skipped, so a corner is measured between
/// edges of positive length; a spike (an angle of 0) is none. A parcel that is not polygonal has
/// none.
std::vector<FieldCorner> field_corners(const geometry::GeosContext& ctx,
                                       const GEOSGeometry* parcel,
                                       double max_angle_deg);

/// The centre of the circle of @p radius_m that lies in @p corner @p setback_m away from both
/// edges (tangent to the edges moved that far into the parcel): on the bisector at
/// (radius + setback) / sin(angle / 2) from the vertex.
std::pair<double, double> corner_disc_centre(const FieldCorner& corner,
                                             double radius_m,
                                             double setback_m);

} // namespace landel::analysis
