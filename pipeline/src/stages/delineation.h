#pragma once
// Internal: making the areas of a run from physical-geographic layers (overlay) or from an
// elevation model (catchments), through io and the engine.

#include "landel/analysis/measurement/measurement.h"
#include "landel/io/crs.h"
#include "landel/pipeline/config.h"
#include "landel/pipeline/run_log.h"
#include "stages/inputs.h"

#include <string>
#include <vector>

namespace landel::pipeline::detail {

struct DelineatedAreas
{
    std::vector<analysis::AreaFeature> areas; ///< id, name, class (the class for overlay)
    std::string label;                        ///< names the method and its inputs in messages
    std::vector<std::string> notes;           ///< for the log and summary.json
};

/// Delineates the areas of @p config (areas.method "overlay" or "catchments"), recording the
/// files read and CRS transforms in @p inputs. @p study_area_wkb clips the result (empty: none).
DelineatedAreas delineate_areas(const Config& config,
                                const io::Crs& crs,
                                RunLog& log,
                                LoadedInputs& inputs,
                                const std::vector<std::string>& study_area_wkb,
                                const Progress& progress);

} // namespace landel::pipeline::detail
