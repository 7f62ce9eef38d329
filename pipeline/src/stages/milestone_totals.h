#pragma once
// Internal: a run's totals per milestone — the sum of the targets, the sum of the per-area gaps
// and the regional gap side by side (docs/bid.md, "Regional accounting").

#include "landel/pipeline/config.h"
#include "stages/bid_stage.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace landel::pipeline::detail {

/// One milestone's totals over the areas of a run (or a batch).
struct MilestoneTotal
{
    int year = 0;
    double share = 0.0;
    double target_ha = 0.0;       ///< sum of the areas' targets
    double area_gaps_ha = 0.0;    ///< sum of max(0, target - elements) per area
    double regional_gap_ha = 0.0; ///< max(0, sum of targets - sum of elements)
    double unallocated_ha = 0.0;  ///< of the regional gap, what no area below target can take
};

/// The totals of @p bids per milestone of @p config.
std::vector<MilestoneTotal> milestone_totals(const Config& config, const AreaBids& bids);

/// The words for the gap the proposals close: "each area's own gap" or "the regional gap".
std::string closed_gap_words(Config::GapScope scope);

/// The "milestones" entry of a summary.json's totals, with "proposal_closes" ("area" or
/// "region").
nlohmann::ordered_json milestone_totals_json(const Config& config, const AreaBids& bids);

} // namespace landel::pipeline::detail
