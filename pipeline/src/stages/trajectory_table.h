#pragma once
// Internal: trajectory.csv of `landel compare` — per area and milestone the straight path
// from the baseline share to the milestone share and where the last run stands on it.

#include "landel/analysis/monitoring/trajectory.h"
#include "landel/core/table.h"
#include "stages/run_comparison.h"

#include <optional>
#include <vector>

namespace landel::pipeline::detail {

/// One area's path to one milestone (of the last run's milestones).
struct AreaTrajectory
{
    std::size_t area = 0; ///< in the common order
    analysis::Milestone milestone;
    /// Empty when the area has no rural land in the baseline or the last year.
    std::optional<analysis::Trajectory> path;
};

/// Per area (common order) and milestone after the baseline year, by the engine's
/// trajectory().
std::vector<AreaTrajectory> area_trajectories(const Comparison& c);

/// The status word of @p t: the engine's (met, on_track, behind) or no_rural_land.
std::string status_of(const AreaTrajectory& t);

/// trajectory.csv: area_id, area_name, milestone_year, target_pct, base_year, last_year,
/// base_rural_ha, last_rural_ha, base_element_ha, last_element_ha, base_share_pct,
/// last_share_pct, needed_ha, realised_ha, realised_pct, rate_achieved_pp, rate_needed_pp,
/// path_share_pct, status, year_reached.
Table trajectory_table(const Comparison& c, const std::vector<AreaTrajectory>& paths);

} // namespace landel::pipeline::detail
