#pragma once
// Internal: the measurement stage of a run (and of each piece of a run measured in pieces).

#include "landel/analysis/measurement/measurement.h"
#include "landel/core/progress.h"
#include "landel/pipeline/config.h"
#include "stages/inputs.h"

#include <string>
#include <utility>
#include <vector>

namespace landel::pipeline::detail {

/// Whether a measurement makes the element density raster (run.density_cell_m).
enum class DensityRaster
{
    Make,
    /// A piece of a run in pieces: the merge makes it over all areas (from the owned
    /// geometry, or from the raster pass's sums the piece keeps).
    LeaveToMerge,
};

/// The engine's measurement of @p inputs (memory limits from the config); engine timings are
/// appended to @p timings.
analysis::MeasureResult measure_loaded(const Config& config,
                                       LoadedInputs& inputs,
                                       const Progress& progress,
                                       std::vector<std::pair<std::string, double>>& timings,
                                       DensityRaster density = DensityRaster::Make);

} // namespace landel::pipeline::detail
