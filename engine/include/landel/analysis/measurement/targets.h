#pragma once
/// @file targets.h
/// Milestone targets, gaps and status of one area (docs/semantics.md, "Targets, gaps and status").

#include <optional>
#include <string>
#include <vector>

namespace landel::analysis {

/// A policy milestone: reach @p share of rural land as elements by @p year.
struct Milestone
{
    int year = 0;
    double share = 0.0;
};

/// Gaps under this many hectares (1 m^2) count as zero, and rural land under it as none,
/// so that round-off never turns a met target into a 0.00000001 ha gap.
inline constexpr double gap_epsilon_ha = 0.0001;

/// Targets and gaps of one area, one entry per milestone.
struct TargetEvaluation
{
    std::vector<double> target_ha;
    std::vector<double> gap_ha;
    std::optional<double> share_pct; ///< empty when there is no rural land
    std::string status;              ///< no_rural_land | met_<year> | below_<first year>
};

/// Throws InvalidArgument unless years ascend strictly and shares lie in (0, 1] and do not
/// decrease. @p key names the config key for the message.
void validate_milestones(const std::vector<Milestone>& milestones, const std::string& key);

/// Evaluates the milestones for an area with @p element_ha of elements on @p rural_ha.
/// @pre milestones are valid (validate_milestones) and non-empty.
TargetEvaluation evaluate_targets(double element_ha,
                                  double rural_ha,
                                  const std::vector<Milestone>& milestones);

} // namespace landel::analysis
