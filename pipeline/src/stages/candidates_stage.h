#pragma once
// Internal: candidate sites for new elements ([siting], docs/siting.md) and candidates.gpkg.

#include "landel/analysis/measurement/measurement.h"
#include "landel/io/crs.h"
#include "landel/pipeline/config.h"
#include "landel/pipeline/run_log.h"
#include "stages/bid_stage.h"
#include "stages/inputs.h"

#include <filesystem>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

/// With [siting]: per area its element network (bids.network) and, with [bid.potential], its
/// candidate sites (bids.candidates) and their siting (bids.siting). An edge site is a free
/// parcel edge of the area's rural land, at least siting.min_length_m long and
/// bid.potential.clearance_m off its elements, as the strip of the line type of the area's mix
/// (among the potential's types) with the largest share; an area whose mix has no such type
/// gets none (an open meadow-bird landscape gets no hedges). A corner site is the disc of a
/// corner type of the mix (siting.corner_types) in a parcel's corner (stages/corner_sites.h).
/// Each candidate knows the ECA it alone adds; type by type, the candidates are chosen by
/// siting.rule until they hold the proposal's hectares of their type per milestone, the last
/// one cut to close it exactly. Areas run in parallel; each area's figures come out the same
/// for any thread count.
void site_elements(const Config& config,
                   const io::Crs& crs,
                   const analysis::MeasureResult& result,
                   const BidSetup& setup,
                   AreaBids& bids,
                   LoadedInputs& inputs,
                   RunLog& log);

} // namespace landel::pipeline::detail
