#include "landel/analysis/monitoring/trajectory.h"

#include "landel/core/error.h"

#include <string>

namespace landel::analysis {

namespace {

double share_pct(double element_ha, double rural_ha)
{
    return rural_ha >= gap_epsilon_ha ? 100.0 * element_ha / rural_ha : 0.0;
}

} // namespace

Trajectory trajectory(const TrajectoryInput& in)
{
    if (in.last_year <= in.base_year)
        throw InvalidArgument("trajectory: the last year " + std::to_string(in.last_year) +
                              " is not after the baseline year " + std::to_string(in.base_year));
    if (in.milestone.year <= in.base_year)
        throw InvalidArgument("trajectory: the milestone year " +
                              std::to_string(in.milestone.year) +
                              " is not after the baseline year " + std::to_string(in.base_year));
    Trajectory t;
    t.year = in.milestone.year;
    t.target_share = in.milestone.share;
    t.base_share_pct = share_pct(in.base_element_ha, in.base_rural_ha);
    t.last_share_pct = share_pct(in.last_element_ha, in.last_rural_ha);
    const double target_pct = 100.0 * in.milestone.share;

    t.needed_ha = in.milestone.share * in.base_rural_ha - in.base_element_ha;
    t.realised_ha = in.last_element_ha - in.base_element_ha;
    if (t.needed_ha > 0.0)
        t.realised_pct = 100.0 * t.realised_ha / t.needed_ha;

    const double years_done = in.last_year - in.base_year;
    t.rate_achieved = (t.last_share_pct - t.base_share_pct) / years_done;
    t.rate_needed = (target_pct - t.base_share_pct) / (in.milestone.year - in.base_year);
    t.path_share_pct = in.last_year >= in.milestone.year
                         ? target_pct
                         : t.base_share_pct + t.rate_needed * years_done;

    if (t.last_share_pct >= target_pct - share_tolerance_pct)
        t.status = PathStatus::Met;
    else if (t.last_share_pct >= t.path_share_pct - share_tolerance_pct)
        t.status = PathStatus::OnTrack;
    else
        t.status = PathStatus::Behind;
    if (t.status != PathStatus::Met && t.rate_achieved > 0.0)
        t.year_reached = in.last_year + (target_pct - t.last_share_pct) / t.rate_achieved;
    return t;
}

const char* to_string(PathStatus status)
{
    switch (status) {
        case PathStatus::Met:
            return "met";
        case PathStatus::OnTrack:
            return "on_track";
        case PathStatus::Behind:
            return "behind";
    }
    return "behind";
}

} // namespace landel::analysis
