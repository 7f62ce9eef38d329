#pragma once
/// @file trajectory.h
/// The path of one area's element share towards a milestone, from a baseline year to the
/// last measured year (monitoring).
///
/// Shares are in percent of each year's own rural land (rural land under gap_epsilon_ha
/// counts as none, as in targets.h, and gives a share of 0). The path is the straight line
/// from the baseline share in the baseline year to the milestone's share in its year; after
/// the milestone year it stays at the milestone's share. The last year is
///  - met when its share reaches the milestone's share,
///  - on track when it reaches the path's share in that year,
///  - behind otherwise;
/// both comparisons allow share_tolerance_pct of round-off.

#include "landel/analysis/measurement/targets.h"

#include <optional>

namespace landel::analysis {

/// Percent points of round-off allowed when a share is compared with the target or the path.
inline constexpr double share_tolerance_pct = 1e-9;

struct TrajectoryInput
{
    int base_year = 0;
    double base_element_ha = 0, base_rural_ha = 0;
    int last_year = 0;
    double last_element_ha = 0, last_rural_ha = 0;
    Milestone milestone;
};

enum class PathStatus
{
    Met,
    OnTrack,
    Behind
};

struct Trajectory
{
    int year = 0;            ///< the milestone's year
    double target_share = 0; ///< the milestone's share (fraction)
    double base_share_pct = 0, last_share_pct = 0;
    double needed_ha =
      0; ///< target_share*base_rural_ha - base_element_ha (<= 0: met at the baseline)
    double realised_ha = 0;             ///< last_element_ha - base_element_ha
    std::optional<double> realised_pct; ///< 100*realised/needed; none when needed <= 0
    double rate_achieved = 0;           ///< percent points per year, baseline to last year
    double rate_needed = 0;             ///< percent points per year, baseline to the milestone
    double path_share_pct = 0;          ///< the path's share in the last year
    PathStatus status = PathStatus::Behind;
    /// last_year + (target - last share)/rate_achieved (a fractional year) when not met and
    /// the rate is > 0; none when met or when the rate is <= 0
    std::optional<double> year_reached;
};

/// @throws InvalidArgument when last_year is not after base_year or the milestone's year is
/// not after base_year.
Trajectory trajectory(const TrajectoryInput& in);

/// "met", "on_track" or "behind".
const char* to_string(PathStatus status);

} // namespace landel::analysis
