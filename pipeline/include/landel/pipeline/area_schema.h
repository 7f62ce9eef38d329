#pragma once
/// @file area_schema.h
/// The area table's measurement columns, defined once: area_bid.csv and the `areas` layer of
/// areas.gpkg are written from it, `landel bid` and `landel render` read an earlier run's
/// areas.gpkg back through it, and landel.measure (Python) builds its GeoDataFrame from it.
/// The bid's columns follow these in area_bid.csv (stages/bid_stage.cpp).

#include "landel/analysis/measurement/measurement.h"
#include "landel/core/table.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace landel::pipeline {

/// One column: its name, kind, decimals and meaning with unit (Column), how it is computed
/// from a measured area, and how a reader puts it back.
struct AreaColumn
{
    Column column;
    /// The cell of one measured area (an empty cell: no value, e.g. share_pct without rural
    /// land).
    std::function<Cell(const analysis::AreaMeasure&)> value;
    /// Puts a read cell back into an area sized by size_for_reading(); empty for columns
    /// derived on reading (targets, gaps and status follow the reader's milestones).
    std::function<void(analysis::AreaMeasure&, const Cell&)> read;
    /// io::kind_lines or io::kind_points: the column is there only for a type (type_index)
    /// with sources of that kind; 0: always there.
    int source_kind = 0;
    std::size_t type_index = 0;
};

/// What the columns repeat over: the types in precedence order with the io::kind_* bits of
/// their sources, the named masks (rural.exclude names) and the target milestones.
struct AreaSchemaKeys
{
    std::vector<std::string> types;
    std::vector<int> type_kinds;
    std::vector<std::string> mask_groups;
    std::vector<analysis::Milestone> milestones;
};

/// In table order:
///   area_id, area_name, class               text: the area's id, name and overlay class
///   area_ha, rural_ha, nodata_ha            ha: the area, its rural land, land without data
///   excl_<name>_ha                          ha per named mask: the area under those masks
///   element_ha                              ha: owned element area (all types)
///   share_pct                               %: element_ha / rural_ha (empty: no rural land)
///   ha_<type>                               ha per type: owned element area of that type
///   target_<year>_ha, gap_<year>_ha         ha per milestone: share × rural land, shortfall
///   status                                  text: the targets met
///   <type>_m                                m per type with line sources: centre-line length
///   <type>_count                            per type with point sources: features
std::vector<AreaColumn> area_columns(const AreaSchemaKeys& keys);

/// The io::kind_* bits of one WKB geometry (collections looked into; 0 for an empty string):
/// a type gets `<type>_m` when a source of it has lines, `<type>_count` when it has points,
/// whichever values of the source occur.
int geometry_kinds(std::string_view wkb);

/// Sizes the per-mask and per-type vectors of @p area for the read functions of @p keys.
void size_for_reading(analysis::AreaMeasure& area, const AreaSchemaKeys& keys);

/// The `elements` layer: area_id, type, ha (owned element area) per area and type.
std::vector<Column> element_columns();

/// The `study_area` layer: name, area_ha.
std::vector<Column> study_area_columns();

/// The `rural_land` layer: area_id, rural_ha per area, with its rural land's geometry.
std::vector<Column> rural_land_columns();

} // namespace landel::pipeline
