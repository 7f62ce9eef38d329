#pragma once
// Internal: which element types an area's candidate sites hold ([siting], docs/siting.md).

#include "landel/bid/catalogue.h"
#include "landel/bid/proposal.h"
#include "landel/pipeline/config.h"
#include "stages/bid_stage.h"

#include <string>
#include <vector>

namespace landel::pipeline::detail {

/// The share of @p type in the mix named @p mix_name; 0 when it has none.
double mix_share(const BidSetup& setup, const std::string& mix_name, const std::string& type);

/// The types parcel edges may hold: [siting.kind_types] parcel_edge, else the line types of
/// bid.potential.types (which share the free edge in the proposal) followed by the herb-rich
/// field margin, a strip along a field's edge by definition (domain notes: usually 6 m wide),
/// and the pollard row, which stands mostly along parcel edges and watersides.
std::vector<std::string> parcel_edge_types(const Config& config);

/// The strip types an area's edge sites hold, per kind of site: of the kind's listed types
/// ([siting.kind_types]) those the area's mix holds, the largest share first; a kind with none
/// of them holds the parcel edges' types.
struct EdgeTypes
{
    std::vector<const bid::CatalogueEntry*> parcel_edge;
    std::vector<std::vector<const bid::CatalogueEntry*>> of_kind; ///< in OffLand::kinds order
    /// The distinct types, the largest share in the mix first (the parcel edges' first on a
    /// tie, then in the listed order).
    std::vector<const bid::CatalogueEntry*> distinct;

    /// The types of the sites of kind @p kind (an index into OffLand::kinds; any other index:
    /// a parcel edge).
    const std::vector<const bid::CatalogueEntry*>& of(std::size_t kind) const
    {
        return kind < of_kind.size() ? of_kind[kind] : parcel_edge;
    }
    /// The widest plan width of the types, in metres (0 when none).
    double widest_m() const;
};

/// The edge types of an area whose mix is @p mix_name, for the along kinds @p kinds.
EdgeTypes edge_types(const Config& config,
                     const BidSetup& setup,
                     const std::vector<std::string>& kinds,
                     const std::string& mix_name);

/// The free edge of an area's kinds of site as the proposal's pools ([siting], docs/bid.md):
/// @p kind_m per kind in @p kinds' order, the parcel edges last, become @p request's pools,
/// the parcel edges first; each type of the mix named @p mix_name takes edge from the kinds
/// that hold it (edge_types()), parcel edges first, at its strip's width. A type of
/// bid.potential.types that no kind holds gets none; a type no kind holds and that is not
/// listed there (a tree row) is not limited by edge.
void use_site_edges(const Config& config,
                    const BidSetup& setup,
                    const std::vector<std::string>& kinds,
                    const std::vector<double>& kind_m,
                    const std::string& mix_name,
                    bid::BidRequest& request);

/// Checks [siting.kind_types]: each type in the catalogue with a plan width to draw its strip
/// (a line type, a tree row as a row of crowns, a field margin), not a pond. @throws Error
/// naming the key and the type.
void check_kind_types(const Config& config, const BidSetup& setup);

/// A type sited in field corners ([siting] corner_types): as a disc whose diameter is the
/// catalogue's plan width (a pond's 25.231 m: 500 m2; a solitary tree's 8 m crown), else the
/// circle of corner_m2; or, for [siting] block_types (orchards), as a block of corner_m2 that
/// fills the corner.
struct CornerType
{
    const bid::CatalogueEntry* entry = nullptr;
    double diameter_m = 0.0; ///< of a disc
    bool block = false;
    double block_m2 = 0.0; ///< of a block
};

/// The corner types of [siting] corner_types. @throws Error naming the key when a type is not in
/// the catalogue or is planned in metres (a line type), or a block type is not in the catalogue
/// or is planned in trees (a tree's site is its crown).
std::vector<CornerType> corner_types(const Config& config, const BidSetup& setup);

/// The corner types of an area's mix, the largest share first (the listed order on a tie).
std::vector<const CornerType*> corner_types_of(const std::vector<CornerType>& types,
                                               const BidSetup& setup,
                                               const std::string& mix_name);

} // namespace landel::pipeline::detail
