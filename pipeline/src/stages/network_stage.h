#pragma once
// Internal: the element network of each area ([siting], docs/siting.md): components at the
// gap tolerance and the equivalent connected area, from the owned element geometry.

#include "landel/analysis/connectivity/connectivity.h"
#include "landel/analysis/measurement/measurement.h"
#include "landel/pipeline/config.h"

#include <vector>

namespace landel::pipeline::detail {

/// Per area (result order) its network figures; empty without [siting]. The nodes are the
/// area's owned element footprints of every vector type, merged; raster types have no
/// geometry and take no part.
std::vector<analysis::Connectivity> area_network(const Config& config,
                                                 const analysis::MeasureResult& result);

} // namespace landel::pipeline::detail
