#pragma once
/// @file regional_gap.h
/// Regional and per-area accounting of the milestone gaps (docs/bid.md, "Regional accounting").
///
/// The 10% of the Aanvalsplan is an average over the rural land of a region, so an area above
/// its target offsets one below it: the regional gap of a milestone is
/// max(0, sum of targets - sum of elements), never more than the sum of the per-area gaps
/// max(0, target - elements). With `[targets] scope = "region"` the bid closes the regional
/// gap, spread over the areas below their target in proportion to their shortfall; where an
/// area can take less (its room, e.g. the parcel edge [bid.potential] leaves), it takes its
/// room and the others take the rest in the same proportions ("water filling"), which may
/// lift them above their own shortfall. What no area can take is left unallocated.

#include <vector>

namespace landel::bid {

/// One area's standing, per milestone.
struct AreaStanding
{
    std::vector<double> target_ha; ///< per milestone
    std::vector<double> gap_ha;    ///< per milestone: max(0, target - elements), the shortfall
    double element_ha = 0.0;
    /// What the area can take in all, in hectares; infinite when nothing limits it.
    double room_ha = 0.0;
};

struct RegionalGaps
{
    std::vector<double> target_ha;                 ///< per milestone: sum of the areas' targets
    std::vector<double> area_gap_ha;               ///< per milestone: sum of the per-area gaps
    std::vector<double> gap_ha;                    ///< per milestone: the regional gap
    std::vector<double> unallocated_ha;            ///< per milestone: what no area could take
    std::vector<std::vector<double>> allocated_ha; ///< per area, per milestone (cumulative)
};

/// The regional gap of a region whose areas' targets add up to @p target_ha and whose
/// elements add up to @p element_ha: max(0, target - elements), zero under @p epsilon_ha.
double regional_gap(double target_ha, double element_ha, double epsilon_ha);

/// The regional gaps of @p areas for @p milestones milestones and their allocation.
/// Regional gaps under @p epsilon_ha count as zero. @throws InvalidArgument when an area's
/// vectors do not have @p milestones entries or a figure is negative or not finite.
RegionalGaps allocate_regional_gap(const std::vector<AreaStanding>& areas,
                                   std::size_t milestones,
                                   double epsilon_ha);

} // namespace landel::bid
