#pragma once
// Internal: the tables of `landel compare` — change.csv and the layers of change.gpkg.

#include "landel/core/table.h"
#include "stages/run_comparison.h"

#include <optional>

namespace landel::pipeline::detail {

/// 100 × @p ha / @p rural_ha; nothing without rural land (under 1 m², as for share_pct).
std::optional<double> share_of(double ha, double rural_ha);

/// change.csv: per pair (in Comparison::pairs order), area (common order) and type a row
/// with area_id, area_name, from_year, to_year, type, before_ha, after_ha, gained_ha,
/// lost_ha, net_ha, masked_ha, realigned_ha, an empty reclassified_ha, from_rural_ha,
/// to_rural_ha, before_share_pct, after_share_pct; raster types leave gained, lost, masked
/// and realigned empty. After an area's type rows, a row per reclassification: type
/// `<from>-><to>`, its hectares in reclassified_ha, the other figures empty.
Table change_table(const Comparison& c);

/// Which land a layer of change.gpkg holds.
enum class ChangeLayer
{
    Gained,
    Lost,
    Realigned
};

/// Layer gained, lost or realigned: per pair, area and vector type with such land a
/// MultiPolygon and area_id, from_year, to_year, type, ha. The geometry is moved out of @p c.
Table change_layer(Comparison& c, ChangeLayer which);

/// Layer reclassified: area_id, from_year, to_year, from_type, to_type, ha. The geometry is
/// moved out of @p c.
Table reclassified_layer(Comparison& c);

} // namespace landel::pipeline::detail
