#pragma once
/// @file dominant_value.h
/// The value of the polygon layer that covers most of each area: the physical-geographic
/// region of an area for its bid mix ([bid] regions), or an overlay area's name.

#include <string>
#include <vector>

namespace landel::analysis {

/// Per area (WKB polygons), the value of the feature whose intersection with it is largest;
/// features with the same value do not add up (the largest single overlap wins; ties: the
/// smaller value in byte order); empty when no feature overlaps the area. Invalid geometries
/// are repaired. Runs on TBB workers with an R-tree of the features' envelopes.
std::vector<std::string> dominant_values(const std::vector<std::string>& area_wkb,
                                         const std::vector<std::string>& feature_wkb,
                                         const std::vector<std::string>& values);

} // namespace landel::analysis
