#pragma once
// Internal: whether runs read back for `landel compare` can be compared — one year each, the
// same CRS, types and areas — and how their areas line up.

#include "stages/run_reader.h"

#include <cstddef>
#include <vector>

namespace landel::pipeline::detail {

/// Sorts @p runs by year. @throws Error naming both folders when two have the same year.
void order_by_year(std::vector<RunFolder>& runs);

/// Per run, the position of each area in that run, in the areas' common order (that of the
/// first run's rows: natural order of the ids). @throws Error, naming both runs, when the
/// runs are in different CRSs, have other types or another types.order (both lists named),
/// other area ids (the missing and extra ids named), or areas of the same id that are not
/// the same land (their symmetric difference is more than 1e-6 of the area; the ids named).
std::vector<std::vector<std::size_t>> match_runs(const std::vector<RunFolder>& runs);

/// Per type, whether it is a raster type: no run has element geometry of it in any area
/// while some run has hectares of it.
std::vector<bool> raster_types(const std::vector<RunFolder>& runs);

} // namespace landel::pipeline::detail
