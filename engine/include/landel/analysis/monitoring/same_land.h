#pragma once
/// @file same_land.h
/// Whether two runs measured the same areas: areas of one id must cover the same land before
/// their elements can be compared (landel compare).

#include <string>
#include <vector>

namespace landel::analysis {

/// The share of an area its symmetric difference with the other run's area may have: the same
/// polygons written to a GeoPackage and read back are identical (WKB keeps every double); a
/// border drawn again is not.
inline constexpr double same_land_tolerance = 1e-6;

/// Per position i, whether the areas @p before[i] and @p after[i] (WKB, one projected CRS) are
/// the same land: the area of their symmetric difference is at most @p tolerance times the
/// area of @p before[i] (two empty areas are). In parallel over the pairs.
/// @throws InvalidArgument when the lists differ in length; GeometryError when GEOS fails.
std::vector<bool> same_land(const std::vector<std::string>& before,
                            const std::vector<std::string>& after,
                            double tolerance = same_land_tolerance);

} // namespace landel::analysis
