#include "landel/bid/regional_gap.h"

#include "landel/core/error.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace landel::bid {

namespace {

void check(const std::vector<AreaStanding>& areas, std::size_t milestones)
{
    for (std::size_t i = 0; i < areas.size(); ++i) {
        const AreaStanding& a = areas[i];
        const std::string which = "regional gap: area at index " + std::to_string(i);
        if (a.target_ha.size() != milestones || a.gap_ha.size() != milestones)
            throw InvalidArgument(which + " has figures for " + std::to_string(a.target_ha.size()) +
                                  " milestones, not " + std::to_string(milestones));
        const auto bad = [](double v) { return !(v >= 0.0) || std::isnan(v); };
        bool wrong = bad(a.element_ha) || bad(a.room_ha) || !std::isfinite(a.element_ha);
        for (std::size_t m = 0; m < milestones; ++m)
            wrong = wrong || bad(a.target_ha[m]) || bad(a.gap_ha[m]) ||
                    !std::isfinite(a.target_ha[m]) || !std::isfinite(a.gap_ha[m]);
        if (wrong)
            throw InvalidArgument(which + " has a negative or undefined figure");
    }
}

/// Spreads @p total over the areas in proportion to @p shortfall, each at most its @p room:
/// the share factor rises until the areas that reach their room are taken out. Returns what
/// no area could take.
double water_fill(double total,
                  const std::vector<double>& shortfall,
                  const std::vector<double>& room,
                  std::vector<double>& out)
{
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < shortfall.size(); ++i) {
        out[i] = 0.0;
        if (shortfall[i] > 0.0)
            open.push_back(i);
    }
    double left = total;
    while (!open.empty() && left > 0.0) {
        double weight = 0.0;
        for (std::size_t i : open)
            weight += shortfall[i];
        const double factor = left / weight;
        std::vector<std::size_t> still_open;
        for (std::size_t i : open)
            if (factor * shortfall[i] >= room[i]) {
                out[i] = room[i];
                left -= room[i];
            } else
                still_open.push_back(i);
        if (still_open.size() == open.size()) { // no area reached its room: done
            for (std::size_t i : open)
                out[i] = factor * shortfall[i];
            return 0.0;
        }
        open = std::move(still_open);
    }
    return std::max(0.0, left);
}

} // namespace

double regional_gap(double target_ha, double element_ha, double epsilon_ha)
{
    const double gap = std::max(0.0, target_ha - element_ha);
    return gap < epsilon_ha ? 0.0 : gap;
}

RegionalGaps allocate_regional_gap(const std::vector<AreaStanding>& areas,
                                   std::size_t milestones,
                                   double epsilon_ha)
{
    check(areas, milestones);
    RegionalGaps r;
    r.allocated_ha.assign(areas.size(), std::vector<double>(milestones, 0.0));
    double elements = 0.0;
    for (const AreaStanding& a : areas)
        elements += a.element_ha;
    std::vector<double> shortfall(areas.size()), room(areas.size()), share(areas.size());
    for (std::size_t i = 0; i < areas.size(); ++i)
        room[i] = areas[i].room_ha;
    for (std::size_t m = 0; m < milestones; ++m) {
        double target = 0.0, area_gaps = 0.0;
        for (std::size_t i = 0; i < areas.size(); ++i) {
            target += areas[i].target_ha[m];
            area_gaps += areas[i].gap_ha[m];
            shortfall[i] = areas[i].gap_ha[m];
        }
        const double gap = regional_gap(target, elements, epsilon_ha);
        r.target_ha.push_back(target);
        r.area_gap_ha.push_back(area_gaps);
        r.gap_ha.push_back(gap);
        r.unallocated_ha.push_back(water_fill(gap, shortfall, room, share));
        for (std::size_t i = 0; i < areas.size(); ++i)
            r.allocated_ha[i][m] = share[i];
    }
    return r;
}

} // namespace landel::bid
