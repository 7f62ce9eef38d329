#include "landel/bid/proposal.h"

#include "landel/core/error.h"

#include <algorithm>
#include <cmath>

namespace landel::bid {

const CatalogueEntry* Catalogue::find(const std::string& type) const
{
    for (const CatalogueEntry& e : entries)
        if (e.type == type)
            return &e;
    return nullptr;
}

double rounding_step(const std::string& unit)
{
    return unit == "ha" ? 0.01 : 1.0;
}

namespace {

/// @p units rounded up to @p step. Quantities come from sums of shares, so a value a few ulps
/// above a whole step is that step, not the next one.
double round_up(double units, double step)
{
    const double steps = units / step;
    const double nearest = std::round(steps);
    const double whole =
      std::abs(steps - nearest) <= 1e-9 * std::max(1.0, nearest) ? nearest : std::ceil(steps);
    return whole * step;
}

/// Adds @p qty x @p per_unit to @p sum when the figure is known.
void add_cost(double& sum, double qty, const std::optional<double>& per_unit)
{
    if (qty != 0.0 && per_unit)
        sum += qty * *per_unit;
}

/// Adds to @p lacks ("build, manage") the costs @p e does not know, each once.
void note_missing_costs(const CatalogueEntry& e, std::string& lacks)
{
    const auto note = [&lacks](bool known, const char* what) {
        if (!known && lacks.find(what) == std::string::npos)
            lacks += (lacks.empty() ? "" : ", ") + std::string(what);
    };
    note(e.build.low && e.build.mid && e.build.high, "build");
    note(e.manage_eur_per_unit_year.has_value(), "manage");
    note(e.land_eur_per_m2_year.has_value(), "land");
}

/// The metres of edge left in each pool of a request, and what each type may still take of it.
class EdgePools
{
public:
    explicit EdgePools(const BidRequest& request)
      : m_use(request.edge_use)
    {
        for (double m : request.edge_pools_m)
            m_left_m.push_back(std::max(0.0, m));
    }

    /// What mix entry @p k can still take, in hectares (infinite when edge does not limit it).
    double room_ha(std::size_t k) const
    {
        if (k >= m_use.size() || !m_use[k].limited)
            return HUGE_VAL;
        double m = 0.0;
        for (std::size_t p : m_use[k].pools)
            m += m_left_m[p];
        return m * m_use[k].width_m / 1e4;
    }

    /// Takes the edge of @p ha of entry @p k from its pools, in their order.
    void take(std::size_t k, double ha)
    {
        if (k >= m_use.size() || !m_use[k].limited || ha <= 0.0)
            return;
        double m = ha * 1e4 / m_use[k].width_m;
        for (std::size_t p : m_use[k].pools) {
            const double from = std::min(m, m_left_m[p]);
            m_left_m[p] -= from;
            m -= from;
        }
    }

private:
    const std::vector<EdgeUse>& m_use;
    std::vector<double> m_left_m;
};

} // namespace

AreaBid propose(const BidRequest& request, const Catalogue& catalogue)
{
    const std::size_t milestones = request.years.size();
    if (request.gap_ha.size() != milestones)
        throw InvalidArgument("bid: " + std::to_string(request.gap_ha.size()) + " gaps for " +
                              std::to_string(milestones) + " milestones");
    const Mix& mix = request.mix;
    if (mix.shares.empty())
        throw InvalidArgument("bid: the mix '" + mix.name + "' has no element types");
    if (!request.capacity.empty() && request.capacity.size() != mix.shares.size())
        throw InvalidArgument("bid: capacities do not match the mix '" + mix.name + "'");
    if (!request.edge_use.empty() && request.edge_use.size() != mix.shares.size())
        throw InvalidArgument("bid: edge uses do not match the mix '" + mix.name + "'");
    for (const EdgeUse& u : request.edge_use) {
        for (std::size_t p : u.pools)
            if (p >= request.edge_pools_m.size())
                throw InvalidArgument("bid: an edge use names pool " + std::to_string(p) + " of " +
                                      std::to_string(request.edge_pools_m.size()));
        if (u.limited && !u.pools.empty() && !(u.width_m > 0.0))
            throw InvalidArgument("bid: an edge use has no strip width");
    }
    double sum = 0.0;
    std::vector<const CatalogueEntry*> entries;
    for (const MixShare& s : mix.shares) {
        if (!(s.share > 0.0) || !std::isfinite(s.share))
            throw InvalidArgument("bid: the mix '" + mix.name + "' gives type '" + s.type +
                                  "' a share that is not positive");
        sum += s.share;
        const CatalogueEntry* e = catalogue.find(s.type);
        if (!e)
            throw InvalidArgument("bid: the mix '" + mix.name + "' names type '" + s.type +
                                  "', which the catalogue does not have");
        if (!(e->m2_per_unit > 0.0))
            throw InvalidArgument("bid: the catalogue gives type '" + s.type +
                                  "' no area per unit");
        entries.push_back(e);
    }
    if (std::abs(sum - 1.0) > 1e-9)
        throw InvalidArgument("bid: the shares of the mix '" + mix.name + "' sum to " +
                              std::to_string(sum) + ", not 1");

    const std::size_t types = mix.shares.size();
    AreaBid bid;
    for (std::size_t k = 0; k < types; ++k)
        bid.types.push_back({ mix.shares[k].type,
                              entries[k]->unit,
                              std::vector<double>(milestones, 0.0),
                              std::vector<double>(milestones, 0.0) });
    bid.unplaced_ha.assign(milestones, 0.0);
    // What each type can still take, in hectares (infinite without a capacity).
    std::vector<double> room_ha(types, HUGE_VAL);
    for (std::size_t k = 0; k < request.capacity.size(); ++k)
        if (request.capacity[k])
            room_ha[k] = std::max(0.0, *request.capacity[k]) * entries[k]->m2_per_unit / 1e4;
    // Free edge, in metres, shared by the types planted on edges.
    EdgePools edges(request);

    double previous_gap = 0.0;
    double manage = 0.0;
    std::vector<std::string> missing(types); // per type: the figures it lacks, if it is used
    for (std::size_t m = 0; m < milestones; ++m) {
        const double increment = std::max(0.0, request.gap_ha[m] - previous_gap);
        previous_gap = std::max(previous_gap, request.gap_ha[m]);
        // Shares first; what a type cannot hold moves down the mix, then round again.
        double carry = 0.0;
        for (int pass = 0; pass < 2; ++pass)
            for (std::size_t k = 0; k < types; ++k) {
                const double want = (pass == 0 ? increment * mix.shares[k].share : 0.0) + carry;
                const double take = std::min({ want, room_ha[k], edges.room_ha(k) });
                bid.types[k].add_ha[m] += take;
                room_ha[k] -= take;
                edges.take(k, take);
                carry = want - take;
            }
        bid.unplaced_ha[m] = carry;

        double low = 0.0, mid = 0.0, high = 0.0, land = 0.0, land_value = 0.0;
        for (std::size_t k = 0; k < types; ++k) {
            const CatalogueEntry& e = *entries[k];
            const double units = bid.types[k].add_ha[m] * 1e4 / e.m2_per_unit;
            const double qty = units > 0.0 ? round_up(units, rounding_step(e.unit)) : 0.0;
            bid.types[k].qty[m] = qty;
            if (qty > 0.0)
                note_missing_costs(e, missing[k]);
            add_cost(low, qty, e.build.low);
            add_cost(mid, qty, e.build.mid);
            add_cost(high, qty, e.build.high);
            add_cost(manage, qty, e.manage_eur_per_unit_year);
            // Compensation is for the land taken: the added area, not the rounded quantity.
            add_cost(land, bid.types[k].add_ha[m] * 1e4, e.land_eur_per_m2_year);
            if (e.permanent)
                land_value += bid.types[k].add_ha[m] * request.land_value_eur_per_ha;
        }
        bid.build_low.push_back(low);
        bid.build_mid.push_back(mid);
        bid.build_high.push_back(high);
        bid.manage_per_year.push_back(manage);
        bid.land_per_year.push_back(land);
        bid.land_value_loss.push_back(land_value);
    }
    for (std::size_t k = 0; k < types; ++k)
        if (!missing[k].empty())
            bid.uncosted.push_back(mix.shares[k].type + " (" + missing[k] + ")");
    return bid;
}

std::vector<PhaseYear> phase(const AreaBid& bid,
                             const std::vector<int>& years,
                             int from_year,
                             const Catalogue& catalogue)
{
    std::vector<PhaseYear> out;
    if (years.empty())
        return out;
    const int last = years.back();
    for (int y = from_year + 1; y <= last; ++y)
        out.push_back({ y, 0.0, 0.0, 0.0, 0.0, 0.0 });
    const auto at = [&](int y) -> PhaseYear& { return out[std::size_t(y - from_year - 1)]; };

    int start = from_year;
    for (std::size_t m = 0; m < years.size(); ++m) {
        const int end = years[m];
        if (end <= start)
            throw InvalidArgument("bid phasing: milestone " + std::to_string(end) +
                                  " is not after " + std::to_string(start));
        const double spread = double(end - start);
        for (const TypeBid& t : bid.types) {
            const CatalogueEntry* e = catalogue.find(t.type);
            const double ha = t.add_ha[m] / spread;
            const double qty = t.qty[m] / spread;
            if (ha == 0.0 && qty == 0.0)
                continue;
            for (int y = start + 1; y <= end; ++y) {
                PhaseYear& built = at(y);
                built.added_ha += ha;
                add_cost(built.build_mid, qty, e ? e->build.mid : std::optional<double>());
                // Management from the year after construction, every year after.
                for (int later = y + 1; later <= last; ++later)
                    add_cost(at(later).manage,
                             qty,
                             e ? e->manage_eur_per_unit_year : std::optional<double>());
                // Land compensation from the year of construction, for land_years years.
                const int years_paid = e ? e->land_years : 0;
                for (int paid = y; paid <= last && paid < y + years_paid; ++paid)
                    add_cost(at(paid).land,
                             ha * 1e4,
                             e ? e->land_eur_per_m2_year : std::optional<double>());
            }
        }
        start = end;
    }
    double total = 0.0;
    for (PhaseYear& p : out) {
        total += p.added_ha;
        p.total_added_ha = total;
    }
    return out;
}

} // namespace landel::bid
