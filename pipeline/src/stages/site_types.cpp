#include "stages/site_types.h"

#include "landel/core/error.h"

#include <algorithm>
#include <cmath>

namespace landel::pipeline::detail {

double mix_share(const BidSetup& setup, const std::string& mix_name, const std::string& type)
{
    for (const bid::Mix& m : setup.mixes)
        if (m.name == mix_name)
            for (const bid::MixShare& s : m.shares)
                if (s.type == type)
                    return s.share;
    return 0.0;
}

namespace {

/// Of @p types, the one with the largest share in the mix named @p mix_name (the first listed
/// on a tie); "" when the mix has none of them.
std::string largest_share(const BidSetup& setup,
                          const std::string& mix_name,
                          const std::vector<std::string>& types)
{
    std::string best;
    double share = 0.0;
    for (const std::string& type : types)
        if (const double s = mix_share(setup, mix_name, type); s > share) {
            best = type;
            share = s;
        }
    return best;
}

/// The catalogue entry of @p type when it has a plan width (a strip can be drawn), else nullptr.
const bid::CatalogueEntry* strip_type(const BidSetup& setup, const std::string& type)
{
    const bid::CatalogueEntry* e = type.empty() ? nullptr : setup.catalogue.find(type);
    return e && e->plan_width_m ? e : nullptr;
}

} // namespace

std::string edge_type(const Config& config, const BidSetup& setup, const std::string& mix_name)
{
    return largest_share(setup, mix_name, config.bid_potential->types);
}

double EdgeTypes::widest_m() const
{
    double widest = 0.0;
    for (const bid::CatalogueEntry* e : distinct)
        widest = std::max(widest, *e->plan_width_m);
    return widest;
}

EdgeTypes edge_types(const Config& config,
                     const BidSetup& setup,
                     const std::vector<std::string>& kinds,
                     const std::string& mix_name)
{
    EdgeTypes out;
    out.parcel_edge = strip_type(setup, edge_type(config, setup, mix_name));
    std::vector<const bid::CatalogueEntry*> all{ out.parcel_edge };
    for (const std::string& kind : kinds) {
        const auto listed = config.siting->kind_types.find(kind);
        const bid::CatalogueEntry* own =
          listed == config.siting->kind_types.end()
            ? nullptr
            : strip_type(setup, largest_share(setup, mix_name, listed->second));
        out.of_kind.push_back(own ? own : out.parcel_edge);
        all.push_back(out.of_kind.back());
    }
    for (const bid::CatalogueEntry* e : all)
        if (e && std::find(out.distinct.begin(), out.distinct.end(), e) == out.distinct.end())
            out.distinct.push_back(e);
    std::stable_sort(out.distinct.begin(),
                     out.distinct.end(),
                     [&](const bid::CatalogueEntry* a, const bid::CatalogueEntry* b) {
                         return mix_share(setup, mix_name, a->type) >
                                mix_share(setup, mix_name, b->type);
                     });
    return out;
}

void check_kind_types(const Config& config, const BidSetup& setup)
{
    for (const auto& [kind, types] : config.siting->kind_types)
        for (const std::string& type : types) {
            const bid::CatalogueEntry* e = setup.catalogue.find(type);
            const std::string key = "siting.kind_types." + kind + ": '" + type + "'";
            if (!e)
                throw Error(key + " is not in the element catalogue");
            if (!e->plan_width_m || e->unit == "pond")
                throw Error(key + " cannot be a strip along an edge (a line type, a tree row " +
                            "or a field margin with a plan width can); field corners hold ponds " +
                            "and small woods");
        }
}

std::vector<CornerType> corner_types(const Config& config, const BidSetup& setup)
{
    std::vector<CornerType> out;
    for (const std::string& type : config.siting->corner_types) {
        const bid::CatalogueEntry* e = setup.catalogue.find(type);
        if (!e)
            throw Error("siting.corner_types: '" + type + "' is not in the element catalogue");
        if (e->unit == "m" || e->unit == "tree")
            throw Error("siting.corner_types: '" + type + "' is planned in " +
                        (e->unit == "m" ? "metres" : "trees") +
                        " (a line type); field corners hold ponds and small woods");
        out.push_back({ e,
                        e->plan_width_m ? *e->plan_width_m
                                        : 2.0 * std::sqrt(config.siting->corner_m2 / M_PI) });
    }
    return out;
}

std::vector<const CornerType*> corner_types_of(const std::vector<CornerType>& types,
                                               const BidSetup& setup,
                                               const std::string& mix_name)
{
    std::vector<const CornerType*> out;
    for (const CornerType& t : types)
        if (mix_share(setup, mix_name, t.entry->type) > 0.0)
            out.push_back(&t);
    std::stable_sort(out.begin(), out.end(), [&](const CornerType* a, const CornerType* b) {
        return mix_share(setup, mix_name, a->entry->type) >
               mix_share(setup, mix_name, b->entry->type);
    });
    return out;
}

} // namespace landel::pipeline::detail
