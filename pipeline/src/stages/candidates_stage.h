#pragma once
// Internal: candidate sites for new elements ([siting], docs/siting.md) and candidates.gpkg.

#include "landel/analysis/measurement/measurement.h"
#include "landel/io/crs.h"
#include "landel/pipeline/config.h"
#include "landel/pipeline/run_log.h"
#include "stages/bid_stage.h"
#include "stages/inputs.h"
#include "stages/site_footprints.h"

#include <filesystem>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

/// The free edges an area's candidate sites lie on, and the land they keep off ([siting] with
/// [bid.potential]); empty without them. Found before the bid, whose line types they cap
/// (FreeEdges), and sited after it.
struct SitingEdges
{
    OffLand off;
    std::vector<std::string> parcels;
    /// Per area (none without [bid.potential]): the free parcel edges of its rural land outside
    /// the excluded land, split by the land they run along, each at least
    /// siting.min_length_m long.
    std::vector<std::vector<analysis::KindedEdge>> lines;
};

/// Reads the land of [[siting.along]] and [siting.exclude] and finds every area's free edges
/// of @p parcels (potential_parcels()). Checks [siting.kind_types]. @throws Error naming the key
/// or layer.
SitingEdges siting_edges(const Config& config,
                         const io::Crs& crs,
                         const analysis::MeasureResult& result,
                         const BidSetup& setup,
                         std::vector<std::string> parcels,
                         LoadedInputs& inputs,
                         RunLog& log);

/// What the proposal's line types may take per area: @p measured_m (area_free_edges) and, with
/// the edges of @p edges, their lengths per kind of site.
FreeEdges free_edges_of(std::vector<double> measured_m, const SitingEdges& edges);

/// With [siting]: per area its element network (bids.network) and, with [bid.potential], its
/// candidate sites (bids.candidates) and their siting (bids.siting). An edge site is a free
/// edge of @p edges as the strip of a type its kind holds in the area's mix
/// ([siting.kind_types], site_types.h); an area whose mix holds none gets none (an open
/// meadow-bird landscape gets no hedges). A corner site is a corner type of the mix
/// (siting.corner_types) in a parcel's corner (stages/corner_sites.h). Type by type, the
/// largest share first, the candidates are chosen by siting.rule until they hold the
/// proposal's hectares of their type per milestone, the last one cut to close it exactly; each
/// candidate's ECA gain is measured when its type is chosen. Areas run in parallel; each
/// area's figures come out the same for any thread count.
void site_elements(const Config& config,
                   const analysis::MeasureResult& result,
                   const BidSetup& setup,
                   const SitingEdges& edges,
                   AreaBids& bids);

} // namespace landel::pipeline::detail
