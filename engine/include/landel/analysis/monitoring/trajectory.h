#pragma once
/// @file trajectory.h
/// STUB of the change-engine branch's API (landel compare codes against it); the lead drops
/// this commit when merging that branch. The path of one area from its baseline share to a
/// milestone share, and where its last measurement stands on it.

#include "landel/analysis/measurement/targets.h"

#include <optional>

namespace landel::analysis {

struct TrajectoryInput
{
    int base_year;
    double base_element_ha, base_rural_ha;
    int last_year;
    double last_element_ha, last_rural_ha;
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
    int year;
    double target_share;
    double needed_ha;
    double realised_ha;
    std::optional<double> realised_pct;
    double rate_achieved;
    double rate_needed;
    double path_share_pct;
    PathStatus status;
    std::optional<double> year_reached;
};

Trajectory trajectory(const TrajectoryInput& in);
const char* to_string(PathStatus);

} // namespace landel::analysis
