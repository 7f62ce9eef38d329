#pragma once
// Internal: the overview of a comparison that the report and the workbook of `landel compare`
// share — per area its share in each run's year and its change from the baseline to the last
// year, and per run what it is.

#include "landel/core/table.h"
#include "stages/run_comparison.h"

namespace landel::pipeline::detail {

/// The pair baseline → last of @p c.pairs (compare_runs always makes it).
const PairChange& baseline_to_last(const Comparison& c);

/// Per area (common order): area_id, area_name; share_<year>_pct per run (elements on that
/// year's own rural land; empty without rural land); baseline → last summed over the types:
/// gained_ha, lost_ha, net_ha, reclassified_ha, masked_ha, realigned_ha (gained, lost, masked
/// and realigned over the vector types only, empty when every type is a raster type); then
/// rural_<year>_ha and element_<year>_ha per run.
Table area_overview_table(const Comparison& c);

/// Per run by year: folder (absolute), year, as_of, landel_version, incomplete_registry
/// ("yes" or "no"), baseline ("yes" for the baseline run), areas, rural_ha, element_ha and
/// share_pct (the ratio of the sums; empty without rural land).
Table runs_table(const Comparison& c);

} // namespace landel::pipeline::detail
