#pragma once
/// @file proposal.h
/// The area bid (gebiedsbod) of one area: how its milestone gaps could be closed with a mix of
/// element types, in planning units, with construction, management and land costs, and the
/// phasing per year.
///
/// Per milestone the bid adds what the milestone needs on top of the previous one: the
/// increment of the gap, gap_m - gap_(m-1) (gap_0 = 0; gaps never decrease because targets do
/// not). The increment is split over the mix by its shares. Where a type has a capacity (what
/// the area can still hold, e.g. metres of parcel edge without an element), a type's share
/// beyond what is left of its capacity goes to the next type of the mix, in mix order, and
/// what no type can take is reported as unplaced. Types planted along edges share the free
/// edge of their pools: a type takes what it gets from its first pool, then the next. Quantities
/// are the added area in the type's unit, rounded up per milestone to the unit's step (1 m, tree or
/// pond; 0.01 ha); costs are quantities times the unit costs.

#include "landel/bid/catalogue.h"

#include <optional>
#include <string>
#include <vector>

namespace landel::bid {

/// One type's part of the mix.
struct MixShare
{
    std::string type;
    double share = 0.0; ///< > 0; the shares of a mix sum to 1
};

/// The element types proposed for an area, in priority order (capacity overflow moves on).
struct Mix
{
    std::string name; ///< where it came from, e.g. "Rivierengebied" or "*" (national default)
    std::vector<MixShare> shares;
};

/// How one type of the mix takes free edge.
struct EdgeUse
{
    /// Its room is the edge left in its pools (without any pool: none). False: edge does not
    /// limit it.
    bool limited = false;
    std::vector<std::size_t> pools; ///< the pools it takes edge from, in that order
    double width_m = 0.0;           ///< its strip's width: m² of it per metre of edge
};

struct BidRequest
{
    std::vector<int> years;     ///< milestone years, ascending
    std::vector<double> gap_ha; ///< per milestone: max(0, target - element_ha) (docs/semantics.md)
    Mix mix;
    /// Per mix entry (same order) the quantity in its unit the area can still take; empty: no
    /// limit.
    std::vector<std::optional<double>> capacity;
    /// Metres of free edge ([bid.potential]) in pools that the types planted along edges share:
    /// one, the free parcel edge; or one per kind of site (parcel edges, banks, verges) when
    /// each kind holds its own types ([siting]).
    std::vector<double> edge_pools_m;
    /// Per mix entry (same order; empty: no entry takes edge): how it takes edge.
    std::vector<EdgeUse> edge_use;
    /// The one-off loss of land value per hectare of farmland a permanent type takes, euro.
    double land_value_eur_per_ha = 0.0;
};

/// One type's additions.
struct TypeBid
{
    std::string type;
    std::string unit;
    std::vector<double> add_ha; ///< per milestone, incremental
    std::vector<double> qty;    ///< per milestone, incremental, rounded up to the unit's step
};

/// The bid of one area. Costs per milestone: construction of that milestone's additions;
/// management per year of everything added up to that milestone; land compensation per year
/// for the land that milestone's additions take (paid for each type's land_years). Where the
/// catalogue lacks a figure for a type with additions, the cost leaves that type out and
/// `uncosted` names it, so a sum is never silently short.
struct AreaBid
{
    std::vector<TypeBid> types; ///< in mix order
    std::vector<double> unplaced_ha;
    std::vector<double> build_low, build_mid, build_high;
    std::vector<double> manage_per_year;
    std::vector<double> land_per_year;
    /// Per milestone: the one-off land value lost by that milestone's permanent additions
    /// (an alternative to land_per_year, not part of the cost totals).
    std::vector<double> land_value_loss;
    /// "type (build, manage)" for each type with additions whose figures are missing.
    std::vector<std::string> uncosted;
};

/// Computes the bid. @throws InvalidArgument when the mix is empty, a share is not positive,
/// the shares do not sum to 1 (within 1e-9), a type is not in @p catalogue, or the vectors'
/// sizes disagree.
AreaBid propose(const BidRequest& request, const Catalogue& catalogue);

/// One year of a bid's phasing.
struct PhaseYear
{
    int year = 0;
    double added_ha = 0.0;       ///< built this year
    double total_added_ha = 0.0; ///< built so far
    double build_mid = 0.0;      ///< construction this year (mid costs; known figures only)
    double manage = 0.0;         ///< management this year of what was built before
    double land = 0.0;           ///< land compensation paid this year
};

/// Spreads each milestone's additions evenly over the years after the previous milestone (or
/// @p from_year, the measurement year) up to and including the milestone year. Construction
/// is paid in the year of construction; management starts the year after; land compensation
/// is paid from the year of construction for the catalogue's land_years.
/// @pre milestone years > @p from_year.
std::vector<PhaseYear> phase(const AreaBid& bid,
                             const std::vector<int>& years,
                             int from_year,
                             const Catalogue& catalogue);

} // namespace landel::bid
