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

/// The catalogue entry of @p type when it has a plan width (a strip can be drawn), else nullptr.
const bid::CatalogueEntry* strip_type(const BidSetup& setup, const std::string& type)
{
    const bid::CatalogueEntry* e = setup.catalogue.find(type);
    return e && e->plan_width_m ? e : nullptr;
}

/// Of @p types, the strip types the mix named @p mix_name holds, the largest share first (the
/// listed order on a tie).
std::vector<const bid::CatalogueEntry*> held_by_mix(const BidSetup& setup,
                                                    const std::string& mix_name,
                                                    const std::vector<std::string>& types)
{
    std::vector<const bid::CatalogueEntry*> out;
    for (const std::string& type : types)
        if (const bid::CatalogueEntry* e = strip_type(setup, type);
            e && mix_share(setup, mix_name, type) > 0.0 &&
            std::find(out.begin(), out.end(), e) == out.end())
            out.push_back(e);
    std::stable_sort(
      out.begin(), out.end(), [&](const bid::CatalogueEntry* a, const bid::CatalogueEntry* b) {
          return mix_share(setup, mix_name, a->type) > mix_share(setup, mix_name, b->type);
      });
    return out;
}

} // namespace

std::vector<std::string> parcel_edge_types(const Config& config)
{
    if (const auto listed = config.siting->kind_types.find("parcel_edge");
        listed != config.siting->kind_types.end())
        return listed->second;
    // A field margin lies along a field's edge by definition (domain notes); pollard trees
    // "stand mostly along parcel edges and watersides" (Landschapsbeheer Gelderland, Knotten
    // voor het landschap), so banks that hold the parcel edges' types hold them too.
    std::vector<std::string> types = config.bid_potential->types;
    types.push_back("field_margin");
    types.push_back("pollard_row");
    return types;
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
    out.parcel_edge = held_by_mix(setup, mix_name, parcel_edge_types(config));
    std::vector<const bid::CatalogueEntry*> all = out.parcel_edge;
    for (const std::string& kind : kinds) {
        const auto listed = config.siting->kind_types.find(kind);
        std::vector<const bid::CatalogueEntry*> own =
          listed == config.siting->kind_types.end() ? std::vector<const bid::CatalogueEntry*>{}
                                                    : held_by_mix(setup, mix_name, listed->second);
        out.of_kind.push_back(own.empty() ? out.parcel_edge : std::move(own));
        all.insert(all.end(), out.of_kind.back().begin(), out.of_kind.back().end());
    }
    for (const bid::CatalogueEntry* e : all)
        if (std::find(out.distinct.begin(), out.distinct.end(), e) == out.distinct.end())
            out.distinct.push_back(e);
    std::stable_sort(out.distinct.begin(),
                     out.distinct.end(),
                     [&](const bid::CatalogueEntry* a, const bid::CatalogueEntry* b) {
                         return mix_share(setup, mix_name, a->type) >
                                mix_share(setup, mix_name, b->type);
                     });
    return out;
}

void use_site_edges(const Config& config,
                    const BidSetup& setup,
                    const std::vector<std::string>& kinds,
                    const std::vector<double>& kind_m,
                    const std::string& mix_name,
                    bid::BidRequest& request)
{
    const EdgeTypes edge = edge_types(config, setup, kinds, mix_name);
    // Pool 0 the parcel edges (kind index kinds.size()), then the kinds in order.
    std::vector<std::size_t> kind_of_pool{ kinds.size() };
    for (std::size_t k = 0; k < kinds.size(); ++k)
        kind_of_pool.push_back(k);
    request.edge_pools_m.clear();
    for (std::size_t kind : kind_of_pool)
        request.edge_pools_m.push_back(kind < kind_m.size() ? kind_m[kind] : 0.0);
    const std::vector<std::string>& listed = config.bid_potential->types;
    request.edge_use.clear();
    for (const bid::MixShare& share : request.mix.shares) {
        bid::EdgeUse use;
        const bid::CatalogueEntry* entry = setup.catalogue.find(share.type);
        for (std::size_t p = 0; p < kind_of_pool.size(); ++p) {
            const std::vector<const bid::CatalogueEntry*>& held = edge.of(kind_of_pool[p]);
            if (entry && std::find(held.begin(), held.end(), entry) != held.end())
                use.pools.push_back(p);
        }
        use.limited =
          !use.pools.empty() || std::find(listed.begin(), listed.end(), share.type) != listed.end();
        // A held type is a strip type, which has a plan width (held_by_mix).
        use.width_m = use.pools.empty() ? 0.0 : *entry->plan_width_m;
        request.edge_use.push_back(std::move(use));
    }
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

namespace {

/// The catalogue entry of @p type listed under @p key. @throws Error naming both when the
/// catalogue has none.
const bid::CatalogueEntry* listed_entry(const BidSetup& setup,
                                        const std::string& key,
                                        const std::string& type)
{
    const bid::CatalogueEntry* e = setup.catalogue.find(type);
    if (!e)
        throw Error(key + ": '" + type + "' is not in the element catalogue");
    return e;
}

} // namespace

std::vector<CornerType> corner_types(const Config& config, const BidSetup& setup)
{
    const auto& siting = *config.siting;
    std::vector<CornerType> out;
    for (const std::string& type : siting.corner_types) {
        const bid::CatalogueEntry* e = listed_entry(setup, "siting.corner_types", type);
        if (e->unit == "m")
            throw Error("siting.corner_types: '" + type +
                        "' is planned in metres (a line type); field corners hold ponds, small " +
                        "woods, orchards and solitary trees");
        if (e->unit == "tree" && !e->plan_width_m)
            throw Error("siting.corner_types: '" + type +
                        "' has no plan_width_m in the catalogue to draw a tree's crown");
        CornerType t{ e, 0.0, false, 0.0 };
        t.block = std::find(siting.block_types.begin(), siting.block_types.end(), type) !=
                  siting.block_types.end();
        if (t.block)
            t.block_m2 = siting.corner_m2;
        else
            t.diameter_m =
              e->plan_width_m ? *e->plan_width_m : 2.0 * std::sqrt(siting.corner_m2 / M_PI);
        out.push_back(t);
    }
    // A block type that is no corner type is not sited at all, so it is only checked.
    for (const std::string& type : siting.block_types)
        if (listed_entry(setup, "siting.block_types", type)->unit == "tree")
            throw Error("siting.block_types: '" + type +
                        "' is planned in trees: a tree's site is the disc of its crown");
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
