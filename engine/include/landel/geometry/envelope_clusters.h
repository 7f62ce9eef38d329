#pragma once
/// @file envelope_clusters.h
/// Groups of boxes that meet, transitively: geometries in different groups cannot overlap or
/// touch, so work on them can be split by group.

#include "landel/core/box.h"
#include "landel/geometry/geos_context.h"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace landel::geometry {

/// Groups the boxes @p env whose closed extents meet, transitively (union-find over an
/// R-tree). Two boxes in different groups are disjoint. Groups come in order of their
/// smallest member, members in ascending order; empty boxes form groups of their own.
std::vector<std::vector<std::size_t>> envelope_clusters(const std::vector<Box>& env);

/// As envelope_clusters(), but two meeting boxes join only when @p joined(i, j) says so (asked
/// only of boxes not yet in one group): groups of geometries that touch, say, not only of boxes.
std::vector<std::vector<std::size_t>> envelope_clusters(
  const std::vector<Box>& env,
  const std::function<bool(std::size_t, std::size_t)>& joined);

/// The union of the polygonal geometries @p parts (envelopes @p env) as one MultiPolygon,
/// formed per cluster of meeting envelopes: a part meeting no other needs no overlay (a valid
/// polygonal geometry is its own union), and the clusters' unions are disjoint, so their
/// polygons together are the union. Polygons come in cluster order.
GeomPtr union_by_clusters(const GeosContext& ctx,
                          const std::vector<const GEOSGeometry*>& parts,
                          const std::vector<Box>& env);

/// union_by_clusters() of the polygonal parts of @p geoms; nullptr when there are none.
GeomPtr union_of_by_clusters(const GeosContext& ctx, const std::vector<const GEOSGeometry*>& geoms);

/// union_of_by_clusters() of @p wkbs, each read as polygonal_from_wkb (empty strings skipped).
GeomPtr union_of_wkb_by_clusters(const GeosContext& ctx, const std::vector<std::string>& wkbs);

} // namespace landel::geometry
