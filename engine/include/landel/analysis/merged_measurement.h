#pragma once
/// @file merged_measurement.h
/// What measure() finds over all areas together, found again for a result put together from
/// pieces that were measured apart (landel.dask): each piece sees only its own areas, so the
/// overlaps between areas of different pieces and the element density raster, whose cells
/// straddle the pieces, are computed here from the merged areas' geometry_wkb and owned_wkb,
/// by the same code measure() uses, with the same figures.

#include "landel/analysis/measurement.h"

#include <string>
#include <utility>
#include <vector>

namespace landel::analysis {

/// The pairs of area ids whose interiors overlap, in the order measure() lists them in
/// MeasureResult::overlapping_areas, and the warning it gives for them (empty when none).
struct AreaOverlaps
{
    std::vector<std::pair<std::string, std::string>> pairs;
    std::string warning;
};
AreaOverlaps overlapping_areas(const MeasureResult& result, const std::string& areas_label);

/// The warning measure() gives for the areas of @p result that lie wholly outside the study
/// area (measured as empty geometry), naming them in area order; empty when there are none.
std::string areas_outside_study_warning(const MeasureResult& result, const std::string& areas_label);

/// The element density raster of a vector-only measurement (no raster sources or masks), on
/// cells of @p cell_m aligned to multiples of it: what measure() puts in
/// MeasureResult::density. Empty when @p cell_m is 0; InvalidArgument beyond
/// max_density_cells.
Raster<float> element_density(const MeasureResult& result, double cell_m);

} // namespace landel::analysis
