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

/// The candidate sites of every area: with [siting] and [bid.potential], the free parcel edges
/// in its rural land, at least siting.min_length_m long and bid.potential.clearance_m off its
/// elements, each as the strip of the line type of the area's mix (among the potential's
/// types) with the largest share; an area whose mix has no such type gets none (an open
/// meadow-bird landscape gets no hedges). Empty without [siting] or [bid.potential].
std::vector<SiteCandidate> site_candidates(const Config& config,
                                           const io::Crs& crs,
                                           const analysis::MeasureResult& result,
                                           const BidSetup& setup,
                                           const AreaBids& bids,
                                           LoadedInputs& inputs,
                                           RunLog& log);

/// Writes @p dir/candidates.gpkg (layer `candidates`, styled by type) when @p bids has
/// candidates; returns the file names written.
std::vector<std::string> write_candidates(const std::filesystem::path& dir,
                                          const Config& config,
                                          const io::Crs& crs,
                                          const analysis::MeasureResult& result,
                                          const AreaBids& bids);

} // namespace landel::pipeline::detail
