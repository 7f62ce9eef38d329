#pragma once
/// @file free_edges.h
/// The room an area has for new line elements: the length of parcel edges inside it that
/// have no landscape element within a clearance ([bid.potential]). Hedges and wooded banks
/// are planted on parcel edges, so a bid never proposes more of them than such edges allow.

#include <string>
#include <vector>

namespace landel::analysis {

/// Per area (WKB polygons), the length in metres of the parcels' boundaries inside it, each
/// shared edge counted once, minus the parts within @p clearance_m of the area's elements.
/// @p elements_wkb holds per area the element footprints (any polygonal WKB; may be empty).
/// Runs per area on TBB workers, parcels found through an R-tree of their envelopes.
/// @throws InvalidArgument on a negative clearance or mismatched sizes.
std::vector<double> free_edge_length_m(const std::vector<std::string>& areas_wkb,
                                       const std::vector<std::string>& parcels_wkb,
                                       const std::vector<std::vector<std::string>>& elements_wkb,
                                       double clearance_m);

/// Per land polygon (an area's rural land), its free parcel edges as the candidate sites of
/// new line elements: the parcel boundaries inside it, each shared edge once, minus the parts
/// within @p clearance_m of its elements, merged where they continue, as LineString WKB in
/// GEOS's order, each at least @p min_length_m long. An empty land gives none.
/// @throws InvalidArgument as free_edge_length_m.
std::vector<std::vector<std::string>> free_edge_lines(
  const std::vector<std::string>& lands_wkb,
  const std::vector<std::string>& parcels_wkb,
  const std::vector<std::vector<std::string>>& elements_wkb,
  double clearance_m,
  double min_length_m);

} // namespace landel::analysis
