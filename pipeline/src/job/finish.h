#pragma once
// Internal: how every job that writes an output folder ends when it succeeds.

#include "landel/analysis/measurement/measurement.h"
#include "landel/core/progress.h"
#include "landel/pipeline/job.h"
#include "landel/pipeline/run_log.h"
#include "landel/pipeline/staged_folder.h"

namespace landel::pipeline::detail {

/// The end of every job: saves the log into the folder, gives a pending stop request (the
/// progress callback answers false) its last chance, and renames the folder into place.
/// Returns @p outcome with the folder's final path and the log's warning count filled in.
RunOutcome finish_job(StagedFolder& folder,
                      RunLog& log,
                      const Progress& progress,
                      RunOutcome outcome = {});

/// A job's outcome totals from its measurement: the areas and their rural and element hectares.
RunOutcome totals_of(const analysis::MeasureResult& result);

} // namespace landel::pipeline::detail
