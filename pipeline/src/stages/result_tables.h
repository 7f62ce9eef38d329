#pragma once
// Internal: the measurement as tables (area_bid.csv, the GeoPackage layers).

#include "landel/analysis/measurement/measurement.h"
#include "landel/core/table.h"
#include "landel/pipeline/area_schema.h"
#include "landel/pipeline/config.h"

#include <optional>
#include <vector>

namespace landel::pipeline::detail {

/// Row order of every output: by area_id, numerically when all ids are integers.
std::vector<std::size_t> area_order(const analysis::MeasureResult& result);

/// What the area table's columns repeat over in a run of @p config (area_schema.h).
AreaSchemaKeys schema_keys(const Config& config, const std::vector<int>& type_kinds);

/// area_bid.csv / layer `areas` (with geometry when @p with_geometry), from area_columns().
Table area_table(const Config& config,
                 const analysis::MeasureResult& result,
                 const std::vector<int>& type_kinds,
                 const std::vector<std::size_t>& order,
                 bool with_geometry);

/// Layer `elements`: per area and type the owned element geometry. The geometries are moved
/// out of @p result (they can be the bulk of a run's memory).
Table element_table(const Config& config,
                    analysis::MeasureResult& result,
                    const std::vector<std::size_t>& order);

/// Whether every area's rural land geometry is known (not so for a measurement read back
/// from a run made before areas.gpkg had a `rural_land` layer).
bool rural_land_known(const analysis::MeasureResult& result);

/// Layer `rural_land`: per area its rural land (the area minus the vector masks), moved out
/// of @p result, a NULL geometry for none; nothing unless rural_land_known().
std::optional<Table> rural_land_table(analysis::MeasureResult& result,
                                      const std::vector<std::size_t>& order);

/// Layer `study_area`.
Table study_area_table(const Config& config, const analysis::MeasureResult& result);

} // namespace landel::pipeline::detail
