#pragma once
// Internal: the two halves of a run — measuring loaded inputs, and writing every output of a
// measurement — shared by `landel run` and the merge of a run measured in pieces.

#include "stages/bid_stage.h"
#include "stages/inputs.h"
#include "landel/pipeline/output_folder.h"
#include "landel/pipeline/run.h"

#include <string>
#include <utility>
#include <vector>

namespace landel::pipeline::detail {

/// The engine's measurement of @p inputs (memory limits from the config); engine timings are
/// appended to @p timings.
analysis::MeasureResult measure_loaded(const Config& config, LoadedInputs& inputs, const Progress& progress,
                                       std::vector<std::pair<std::string, double>>& timings);

/// Bid, maps, tables, GeoPackage, density raster, QGIS project and manifest into @p folder,
/// then the folder is moved into place.
RunOutcome write_run(const Config& config, const io::Crs& crs, StagedFolder& folder, LoadedInputs& inputs,
                     analysis::MeasureResult& result, const BidSetup& bid_setup,
                     std::vector<std::pair<std::string, double>> timings, const RunOptions& options, RunLog& log);

} // namespace landel::pipeline::detail
