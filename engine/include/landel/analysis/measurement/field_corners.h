#pragma once
/// @file field_corners.h
/// The corners of fields, where a pond or a small wood takes the least from farming: the
/// convex vertices of a parcel whose angle inside the parcel is at most a given angle
/// ([siting] corner_angle_deg, docs/siting.md), and the place of a round site (a pond, a
/// tree's crown) or a block (an orchard) in such a corner.

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

/// A block that fills a corner: a parallelogram whose first vertex lies @p setback_m from both
/// edges of the corner and whose sides from it run parallel to the two edges, so that it lies
/// against the edges moved that far into the parcel, as rows of trees planted along the field's
/// edges do.
struct CornerBlock
{
    double x = 0.0, y = 0.0;   ///< the first vertex
    double ux = 0.0, uy = 0.0; ///< unit direction of one side (along one edge)
    double vx = 0.0, vy = 0.0; ///< unit direction of the other side (along the other edge)
    double angle_rad = 0.0;    ///< between the sides: the corner's angle
};

/// The block of @p corner set back @p setback_m from its edges: its first vertex on the bisector
/// at setback / sin(angle / 2) from the corner's vertex, its sides along the bisector turned by
/// plus and minus half the angle.
CornerBlock corner_block(const FieldCorner& corner, double setback_m);

/// The side of @p block's rhombus that holds @p area_m2: side² · sin(angle) = area.
double corner_block_side(const CornerBlock& block, double area_m2);

/// @p block as a polygon (a rhombus, counter-clockwise) with sides of @p side_m.
geometry::GeomPtr corner_block_polygon(const geometry::GeosContext& ctx,
                                       const CornerBlock& block,
                                       double side_m);

} // namespace landel::analysis
