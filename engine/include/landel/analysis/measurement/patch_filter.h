#pragma once
/// @file patch_filter.h
/// The `max_patch_ha` rule: connected patches of a source's polygons larger than a limit are
/// not landscape elements (e.g. a forest is not a "small wood").

#include "landel/analysis/measurement/measurement.h"
#include "landel/geometry/geos_context.h"

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace landel::analysis {

struct PatchFilterResult
{
    std::vector<bool> keep; ///< per input polygon: does its patch stay?
    std::size_t patches = 0;
    std::size_t dropped = 0;
    double dropped_m2 = 0.0;
    /// The net area of each dropped patch, in the order they were summed into dropped_m2 (so
    /// that sums over several calls can be made in a whole source's order).
    std::vector<double> dropped_areas_m2;
};

/// Unites @p polygons, splits the union into connected patches and marks every polygon whose
/// patch has a net area (holes excluded) above @p max_area_m2 as dropped.
///
/// Connectivity follows the union: polygons that overlap or share an edge become one patch;
/// polygons that meet in a single point stay separate patches (GEOS unions them into a
/// MultiPolygon whose members touch at that point). Each polygon is assigned to the patch
/// holding a point of its interior, so the polygons themselves, with their own types, are
/// kept or dropped whole.
/// @pre every input is a single valid Polygon. They are only read.
PatchFilterResult filter_patches(const geometry::GeosContext& ctx,
                                 const std::vector<const GEOSGeometry*>& polygons,
                                 double max_area_m2);

/// Where a polygon part comes from: (feature position in its source, part position within
/// the feature).
using PartOf = std::pair<std::size_t, std::size_t>;

/// filter_patches() of a source's polygon @p parts (in content order, parts[k] from
/// @p part_of[k]) as the source's JudgedPatches over its @p features features.
std::shared_ptr<const JudgedPatches> judge_source_parts(
  const geometry::GeosContext& ctx,
  const std::vector<const GEOSGeometry*>& parts,
  const std::vector<PartOf>& part_of,
  std::size_t features,
  double limit_m2);

/// Is part @p at's patch over the limit in @p judged? Throws Error naming @p label when the
/// judgement was made on other features than the source now holds.
bool over_limit(const JudgedPatches& judged, const PartOf& at, const std::string& label);

} // namespace landel::analysis
