#pragma once
// Internal: the output stage of a run — every output of a measurement — shared by `landel
// run` and the merge of a run measured in pieces.

#include "landel/analysis/measurement/measurement.h"
#include "landel/io/crs.h"
#include "landel/pipeline/config.h"
#include "landel/pipeline/job.h"
#include "landel/pipeline/run_log.h"
#include "landel/pipeline/staged_folder.h"
#include "stages/bid_stage.h"
#include "stages/inputs.h"
#include "stages/run_reader.h"

#include <string>
#include <utility>
#include <vector>

namespace landel::pipeline::detail {

/// What a run's outputs are made from: the run CRS, the inputs and their measurement, the
/// bid's catalogue and mixes, the timings of the stages so far, and the earlier runs of
/// [monitoring] (read_earlier_runs).
struct MeasuredRun
{
    io::Crs crs;
    LoadedInputs inputs;
    analysis::MeasureResult result;
    BidSetup bid_setup;
    std::vector<std::pair<std::string, double>> timings;
    std::vector<RunFolder> earlier_runs;
};

/// Bid, maps, tables, GeoPackage, density raster, QGIS project, the comparison with the
/// earlier runs (monitoring/) and manifest (with the job's
/// threads and batch stamp from @p options) into @p folder. Returns the run's totals; the
/// caller then finishes the job (finish_job), which moves the folder into place.
RunOutcome write_run(const Config& config,
                     MeasuredRun& run,
                     StagedFolder& folder,
                     const RunOptions& options,
                     RunLog& log);

} // namespace landel::pipeline::detail
