#include "landel/analysis/measurement/targets.h"

#include "landel/core/error.h"

#include <algorithm>

namespace landel::analysis {

void validate_milestones(const std::vector<Milestone>& milestones, const std::string& key)
{
    if (milestones.empty())
        throw InvalidArgument(key + ": at least one milestone is needed");
    for (std::size_t i = 0; i < milestones.size(); ++i) {
        const Milestone& m = milestones[i];
        if (!(m.share > 0.0 && m.share <= 1.0))
            throw InvalidArgument(key + ": share " + std::to_string(m.share) + " of year " +
                                  std::to_string(m.year) + " is outside (0, 1]");
        if (i > 0 && m.year <= milestones[i - 1].year)
            throw InvalidArgument(key + ": milestone years must ascend strictly (" +
                                  std::to_string(milestones[i - 1].year) + " then " +
                                  std::to_string(m.year) + ")");
        if (i > 0 && m.share < milestones[i - 1].share)
            throw InvalidArgument(key + ": milestone shares must not decrease (" +
                                  std::to_string(milestones[i - 1].year) + " then " +
                                  std::to_string(m.year) + ")");
    }
}

TargetEvaluation evaluate_targets(double element_ha,
                                  double rural_ha,
                                  const std::vector<Milestone>& milestones)
{
    TargetEvaluation out;
    const bool has_rural = rural_ha >= gap_epsilon_ha;
    int met_year = -1;
    for (const Milestone& m : milestones) {
        const double target = m.share * rural_ha;
        double gap = std::max(0.0, target - element_ha);
        if (gap < gap_epsilon_ha)
            gap = 0.0;
        out.target_ha.push_back(target);
        out.gap_ha.push_back(gap);
        if (gap == 0.0)
            met_year = m.year; // milestones ascend, so the last one met is the latest
    }
    if (!has_rural) {
        out.status = "no_rural_land";
    } else {
        out.share_pct = 100.0 * element_ha / rural_ha;
        out.status = met_year >= 0 ? "met_" + std::to_string(met_year)
                                   : "below_" + std::to_string(milestones.front().year);
    }
    return out;
}

} // namespace landel::analysis
