#pragma once
/// @file envelope_clusters.h
/// Groups of boxes that meet, transitively: geometries in different groups cannot overlap or
/// touch, so work on them can be split by group.

#include "landel/core/box.h"

#include <cstddef>
#include <vector>

namespace landel::geometry {

/// Groups the boxes @p env whose closed extents meet, transitively (union-find over an
/// R-tree). Two boxes in different groups are disjoint. Groups come in order of their
/// smallest member, members in ascending order; empty boxes form groups of their own.
std::vector<std::vector<std::size_t>> envelope_clusters(const std::vector<Box>& env);

} // namespace landel::geometry
