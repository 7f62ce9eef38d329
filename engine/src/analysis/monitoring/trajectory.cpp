// STUB of the change-engine branch (dropped when it is merged): straight path from the
// baseline share to the milestone share; rates in percentage points per year.

#include "landel/analysis/monitoring/trajectory.h"

namespace landel::analysis {

Trajectory trajectory(const TrajectoryInput& in)
{
    Trajectory t{};
    t.year = in.milestone.year;
    t.target_share = in.milestone.share;
    const double s0 = 100.0 * in.base_element_ha / in.base_rural_ha;
    const double s1 = 100.0 * in.last_element_ha / in.last_rural_ha;
    const double target = 100.0 * in.milestone.share;
    t.needed_ha = in.milestone.share * in.last_rural_ha - in.base_element_ha;
    t.realised_ha = in.last_element_ha - in.base_element_ha;
    if (t.needed_ha > 0.0)
        t.realised_pct = 100.0 * t.realised_ha / t.needed_ha;
    t.rate_achieved = (s1 - s0) / double(in.last_year - in.base_year);
    t.rate_needed = (target - s0) / double(in.milestone.year - in.base_year);
    t.path_share_pct = s0 + t.rate_needed * double(in.last_year - in.base_year);
    t.status = s1 >= target             ? PathStatus::Met
               : s1 >= t.path_share_pct ? PathStatus::OnTrack
                                        : PathStatus::Behind;
    if (t.rate_achieved > 0.0)
        t.year_reached = double(in.last_year) + (target - s1) / t.rate_achieved;
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
