#pragma once
/// @file area_selection.h
/// Which given areas belong to a study area at all. `landel batch` runs one job per unit
/// (a province, a municipality) on one layer of areas that covers them all; an area that
/// does not reach into the unit belongs to another unit and is left out, instead of being
/// measured as 0 ha.

#include <cstddef>
#include <string>
#include <vector>

namespace landel::analysis {

struct AreaSelection
{
    std::vector<std::size_t> selected; ///< ascending indexes into the areas
    /// Area (m²) of the parts of areas that were left out although they touch the study
    /// area's interior: slivers under the minimum.
    double left_out_m2 = 0.0;
    std::size_t slivers = 0; ///< how many areas were left out with such a part
};

/// Selects the @p areas (WKB) of which at least @p min_part_m2 lies inside the union of
/// @p study (WKB polygons). Boundaries of units and areas that should coincide but were
/// generalised or united separately differ by centimetres; the minimum keeps the slivers
/// this makes from showing up as areas of the neighbouring unit. An area whose geometry GEOS
/// cannot intersect (invalid input, repaired later) is selected when its envelope meets the
/// study area's, so that nothing is lost before repair. Runs in parallel; the result does
/// not depend on the thread count.
AreaSelection areas_meeting(const std::vector<std::string>& study,
                            const std::vector<std::string>& areas,
                            double min_part_m2);

} // namespace landel::analysis
