#pragma once
// Internal: an earlier run's measurement read back from its areas.gpkg (landel bid, render,
// compare).

#include "landel/analysis/measurement/measurement.h"
#include "landel/core/table.h"
#include "landel/pipeline/config.h"

#include <filesystem>
#include <vector>

namespace landel::pipeline::detail {

/// One AreaMeasure per row of the `areas` layer with the figures @p config's types and masks
/// name (targets re-evaluated for the config's milestones), owned element geometry from the
/// `elements` layer, rural land from `rural_land` (when the run has that layer), the study
/// area from `study_area`; @p type_kinds gets io::kind_* bits from the length and count
/// columns present. @throws Error naming a missing column.
analysis::MeasureResult read_measurement(const Config& config,
                                         const std::filesystem::path& gpkg,
                                         std::vector<int>& type_kinds);

/// The same, with the `areas` layer of @p gpkg already read into @p areas.
analysis::MeasureResult read_measurement(const Config& config,
                                         const std::filesystem::path& gpkg,
                                         const Table& areas,
                                         std::vector<int>& type_kinds);

} // namespace landel::pipeline::detail
