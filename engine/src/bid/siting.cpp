#include "landel/bid/siting.h"

#include <algorithm>
#include <numeric>

namespace landel::bid {

namespace {

/// How much a rule prefers an option (higher first); costed options before uncosted ones.
std::pair<int, double> preference(const SiteOption& o, SitingRule rule)
{
    const bool costed = o.cost_eur && *o.cost_eur > 0.0;
    if (rule == SitingRule::EcaPerEuro)
        return costed ? std::pair{ 1, o.eca_gain_ha / *o.cost_eur }
                      : std::pair{ 0, o.ha > 0.0 ? o.eca_gain_ha / o.ha : 0.0 };
    return costed && o.ha > 0.0 ? std::pair{ 1, -*o.cost_eur / o.ha } : std::pair{ 0, 0.0 };
}

} // namespace

std::vector<std::size_t> siting_order(const std::vector<SiteOption>& options, SitingRule rule)
{
    std::vector<std::size_t> order(options.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return preference(options[a], rule) > preference(options[b], rule);
    });
    return order;
}

std::vector<SitePick> pick_sites(const std::vector<SiteOption>& options,
                                 const std::vector<std::size_t>& order,
                                 const std::vector<double>& need_ha)
{
    std::vector<SitePick> picks;
    std::size_t next = 0;    // position in order
    double used_share = 0.0; // of order[next], taken by earlier picks
    for (std::size_t m = 0; m < need_ha.size(); ++m) {
        double need = need_ha[m];
        while (need > 0.0 && next < order.size()) {
            const SiteOption& o = options[order[next]];
            const double left = o.ha * (1.0 - used_share);
            if (left <= 0.0) {
                ++next;
                used_share = 0.0;
                continue;
            }
            SitePick p;
            p.option = order[next];
            p.milestone = m;
            p.from = used_share;
            if (left <= need) { // the rest of the option, whole
                p.ha = left;
                p.share = 1.0 - used_share;
                need -= left;
                ++next;
                used_share = 0.0;
            } else { // cut to the remainder
                p.ha = need;
                p.share = need / o.ha;
                used_share += p.share;
                need = 0.0;
            }
            picks.push_back(p);
        }
    }
    return picks;
}

} // namespace landel::bid
