#pragma once
// Internal: the area bid of a run — catalogue and mixes, each area's region and mix, the
// proposals, and their columns and phasing table.

#include "landel/analysis/connectivity/connectivity.h"
#include "landel/analysis/measurement/field_corners.h"
#include "landel/analysis/measurement/measurement.h"
#include "landel/bid/proposal.h"
#include "landel/bid/regional_gap.h"
#include "landel/core/table.h"
#include "landel/core/translation.h"
#include "landel/io/crs.h"
#include "landel/pipeline/config.h"
#include "landel/pipeline/run_log.h"
#include "stages/inputs.h"
#include "stages/pledges_stage.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

/// Where the catalogue shipped with landel is: $LANDEL_DATA_DIR/catalogue, else
/// <executable>/../share/landel/catalogue (installed), else the source tree's data/catalogue.
std::filesystem::path shipped_catalogue_dir();

struct BidSetup
{
    bid::Catalogue catalogue;
    std::vector<bid::Mix> mixes; ///< the file's mixes with the config's [bid.mix] applied
    std::vector<bid::LandValue> land_values;
    std::filesystem::path catalogue_path, mixes_path, land_values_path;
    /// The outputs' labels in [render] language (the catalogue's Dutch names among them).
    std::shared_ptr<const Translation> words = std::make_shared<const Translation>();
};

/// Reads the catalogue, the mixes and the land values (the shipped ones unless [bid] names
/// others) and applies
/// [bid.mix]; every type of every mix must be in the catalogue, and a national mix "*" must
/// exist. @throws Error naming the file or config key.
BidSetup load_bid_setup(const Config& config);

/// The part of a candidate chosen for a milestone: all of it, or the stretch that closes the
/// need exactly.
struct SitePart
{
    std::size_t milestone = 0;
    double from_m = 0.0;   ///< where along the candidate's line it starts (0 in a corner)
    double length_m = 0.0; ///< 0 in a corner
    double ha = 0.0;
    std::string footprint_wkb;
};

/// A place a new element could go ([siting], docs/siting.md): a free parcel edge as the strip
/// of a line type of the area's mix, or a field corner as the disc of a pond, a small wood or a
/// tree's crown, or the block of an orchard.
struct SiteCandidate
{
    std::size_t area = 0; ///< index into the result's areas
    std::string type;     ///< the element type it would hold
    /// "parcel_edge", the kind of land it runs along ("bank", "verge"), or "field_corner"
    std::string site = "parcel_edge";
    std::string line_wkb; ///< the free edge (or what is left of it); "" in a corner
    /// The index of its free edge among the area's (npos in a corner), and where line_wkb
    /// starts along that edge: > 0 when an earlier type's chosen sites took the edge's start.
    std::size_t edge = std::size_t(-1);
    double edge_from_m = 0.0;
    /// A corner site's centre (of a disc) or first vertex (of a block); "" on an edge.
    std::string centre_wkb;
    double radius_m = 0.0; ///< a disc's radius, or a block's side
    /// A block's corner (its first vertex and sides' directions); none for a disc or an edge.
    std::optional<analysis::CornerBlock> block;
    std::string footprint_wkb; ///< the strip or disc, in the area's rural land, off every element
    /// The strips of earlier candidates its own would overlap (at corners), which it keeps
    /// off; "" when none.
    std::string also_off_wkb;
    double length_m = 0.0;
    double ha = 0.0;
    /// The catalogue's mid construction cost x the site's units: metres of edge, trees, ponds
    /// or hectares.
    std::optional<double> build_eur;
    bool priced_by_length = false; ///< an edge site of a type planned in metres
    /// What it alone adds to the area's ECA; measured when its type is chosen, and only when it
    /// is still a candidate then (empty: an earlier type's chosen sites left it no room).
    std::optional<double> eca_gain_ha;
    std::size_t rank = 0;         ///< 1 = preferred first in its area
    std::vector<SitePart> chosen; ///< empty: not chosen
};

/// An area's siting: what its chosen sites hold, and its network with them.
struct AreaSiting
{
    double sited_m = 0.0;          ///< of the chosen edge sites
    std::size_t sited_corners = 0; ///< chosen corner sites
    double sited_ha = 0.0;
    double unsited_ha = 0.0; ///< of the sited types' proposals, what no candidate holds
    double eca_after_ha = 0.0;
};

/// The bid of every area (in result order).
struct AreaBids
{
    std::vector<std::string> types;  ///< bid column types: catalogue order, those in a used mix
    std::vector<std::string> region; ///< per area: the mix used ("*": the national default)
    /// Per area: the land-value row used ("" when a [bid.land_value] region value applies or
    /// land_value_eur_per_ha stands in for an unknown land use) and the loss per hectare.
    std::vector<std::string> land_use;
    std::vector<double> land_value_eur_per_ha;
    std::vector<bid::AreaBid> bids;
    std::vector<std::vector<bid::PhaseYear>> phasing; ///< empty without a measurement year
    std::vector<double> free_edge_m;                  ///< per area; empty without [bid.potential]
    /// Per area with [siting]: the free edge whose kind holds one of bid.potential.types, the
    /// most they share (FreeEdges); empty otherwise.
    std::vector<double> line_edge_m;
    std::vector<analysis::Connectivity> network; ///< per area; empty without [siting]
    std::vector<SiteCandidate> candidates;       ///< [siting] with [bid.potential]
    std::vector<AreaSiting> siting;              ///< per area; empty without candidates
    /// The run's regional gaps beside the per-area ones, and their spread over the areas;
    /// the proposals close the spread gaps when @p scope is Region.
    bid::RegionalGaps regional;
    /// Per area, per milestone: the gap its proposal closes (its own, or its part of the
    /// regional gap).
    std::vector<std::vector<double>> closes_ha;
    Config::GapScope scope = Config::GapScope::Area;
    /// With [bid.offers]: the pledges, and per area and milestone the gap left after them,
    /// which the proposal closes; per participant and area their figures.
    std::optional<AreaPledges> pledges;
    std::vector<std::vector<double>> after_pledges_ha;
    std::vector<ParticipantArea> participants;
    /// The setup's translation, carried with the bid to every writer of its outputs.
    std::shared_ptr<const Translation> words = std::make_shared<const Translation>();
};

/// Opens [bid] regions, [bid.land_use] and [bid.potential] (path, layer, field, CRS) without
/// reading them, one line each, for `landel validate`.
std::vector<std::string> check_bid_layers(const Config& config, const io::Crs& crs);

/// What the bid reads about each area from layers: per area its region ([bid] regions) and its
/// land use ([bid.land_use]), each the value covering most of it; empty strings without the
/// layer.
struct AreaContext
{
    std::vector<std::string> regions;
    std::vector<std::string> land_uses;
};

/// Reads the AreaContext of @p result's areas through io, recording the files in @p inputs.
AreaContext area_context(const Config& config,
                         const io::Crs& crs,
                         const analysis::MeasureResult& result,
                         LoadedInputs& inputs);

/// The parcels of [bid.potential] (polygon WKB), none without it; @throws Error naming the
/// layer when they are not polygons. The file is recorded in @p inputs.
std::vector<std::string> potential_parcels(const Config& config,
                                           const io::Crs& crs,
                                           LoadedInputs& inputs);

/// The free edge each area offers the types of the proposal planted along edges (docs/bid.md);
/// empty without [bid.potential].
struct FreeEdges
{
    std::vector<double> measured_m; ///< per area: the free parcel edge (free_edge_m)
    /// With [siting]: the kinds of site ([[siting.along]]) and per area the length of its
    /// candidate edges per kind, the parcel edges last. Each kind's edge is then a pool that
    /// the types it holds share (site_types.h, use_site_edges); without, measured_m is the one
    /// pool of bid.potential.types.
    std::vector<std::string> kinds;
    std::vector<std::vector<double>> kind_m;
};

/// Per area the metres of free parcel edge ([bid.potential]: boundaries of @p parcels inside
/// the area farther than clearance_m from its elements); empty without [bid.potential]. Must
/// run before the element geometries are handed to the output.
std::vector<double> area_free_edges(const Config& config,
                                    const analysis::MeasureResult& result,
                                    const std::vector<std::string>& parcels);

/// The regional gaps of @p result per milestone and their spread over the areas below their
/// target (docs/bid.md, "Regional accounting"); @p requests (one per area, with its mix and
/// free edge) set what each area can take.
bid::RegionalGaps regional_gaps(const analysis::MeasureResult& result,
                                const std::vector<bid::BidRequest>& requests,
                                const bid::Catalogue& catalogue);

/// Chooses each area's mix — its [bid] regions value, else the first part of its class (split
/// at " / ") that has a mix, else "*" — and land value, and computes the bids and phasing.
/// With @p pledges the proposal closes only what is left of each gap after the pledges due
/// by that milestone.
AreaBids compute_bids(const Config& config,
                      const BidSetup& setup,
                      const analysis::MeasureResult& result,
                      const AreaContext& context,
                      const FreeEdges& free_edges,
                      std::optional<AreaPledges> pledges,
                      RunLog& log);

/// Appends the bid columns (README, "Bid columns") to @p table, rows in @p order.
void append_bid_columns(Table& table,
                        const Config& config,
                        const BidSetup& setup,
                        const AreaBids& bids,
                        const std::vector<std::size_t>& order);

/// Writes area_bid.csv, area_bid.xlsx, bid_phasing.csv (with a measurement year) and
/// areas.gpkg (areas with the bid columns, elements, study area and, when every area's is
/// known, rural land) into @p dir, rows in area_order(). Hands the element and rural land
/// geometries of @p result to the GeoPackage (moves them).
/// Returns the names of the files written.
std::vector<std::string> write_area_outputs(const std::filesystem::path& dir,
                                            const Config& config,
                                            const io::Crs& crs,
                                            analysis::MeasureResult& result,
                                            const std::vector<int>& type_kinds,
                                            const BidSetup& setup,
                                            const AreaBids& bids);

/// bid_phasing.csv: one row per area and year.
Table phasing_table(const analysis::MeasureResult& result,
                    const AreaBids& bids,
                    const std::vector<std::size_t>& order);

} // namespace landel::pipeline::detail
