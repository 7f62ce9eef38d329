#pragma once
// Internal: the candidate and chosen sites as tables, candidates.gpkg ([siting],
// docs/outputs.md).

#include "landel/analysis/measurement/measurement.h"
#include "landel/io/crs.h"
#include "landel/pipeline/config.h"
#include "stages/bid_stage.h"

#include <filesystem>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

/// The chosen sites, one row per candidate and milestone (candidate_id, area_id, type, site,
/// milestone, from_m, length_m, ha, build_eur: the stretch's share of the candidate's mid
/// construction cost), with their strips: the `sites` layer and the workbook's sheet.
Table chosen_sites_table(const Config& config,
                         const analysis::MeasureResult& result,
                         const AreaBids& bids);

/// Writes @p dir/candidates.gpkg (layers `candidates` and `sites`, the chosen stretches,
/// styled by type) when @p bids has candidates; returns the file names written.
std::vector<std::string> write_candidates(const std::filesystem::path& dir,
                                          const Config& config,
                                          const io::Crs& crs,
                                          const analysis::MeasureResult& result,
                                          const AreaBids& bids);

} // namespace landel::pipeline::detail
