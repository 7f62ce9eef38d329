#include "stages/milestone_totals.h"

namespace landel::pipeline::detail {

std::vector<MilestoneTotal> milestone_totals(const Config& config, const AreaBids& bids)
{
    std::vector<MilestoneTotal> out;
    const bid::RegionalGaps& r = bids.regional;
    for (std::size_t m = 0; m < config.milestones.size() && m < r.gap_ha.size(); ++m)
        out.push_back({ config.milestones[m].year,
                        config.milestones[m].share,
                        r.target_ha[m],
                        r.area_gap_ha[m],
                        r.gap_ha[m],
                        r.unallocated_ha[m] });
    return out;
}

std::string closed_gap_words(Config::GapScope scope)
{
    return scope == Config::GapScope::Region ? "the regional gap" : "each area's own gap";
}

nlohmann::ordered_json milestone_totals_json(const Config& config, const AreaBids& bids)
{
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const MilestoneTotal& t : milestone_totals(config, bids)) {
        nlohmann::ordered_json j;
        j["year"] = t.year;
        j["share"] = t.share;
        j["target_ha"] = t.target_ha;
        j["area_gaps_ha"] = t.area_gaps_ha;
        j["regional_gap_ha"] = t.regional_gap_ha;
        j["proposal_closes"] = bids.scope == Config::GapScope::Region ? "region" : "area";
        if (bids.scope == Config::GapScope::Region)
            j["unallocated_ha"] = t.unallocated_ha;
        if (bids.pledges) {
            // The pledges ([bid.offers]) due by the milestone, and what they leave open.
            const std::size_t m = list.size();
            double pledged = 0.0, left = 0.0;
            for (std::size_t i = 0; i < bids.after_pledges_ha.size(); ++i) {
                pledged += bids.pledges->pledged_ha[i][m];
                left += bids.after_pledges_ha[i][m];
            }
            j["pledged_ha"] = pledged;
            j["after_pledges_ha"] = left;
        }
        list.push_back(j);
    }
    return list;
}

} // namespace landel::pipeline::detail
