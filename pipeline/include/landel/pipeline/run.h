#pragma once
/// @file run.h
/// One run: config -> inputs -> measurement -> outputs + manifest (`landel run`).
/// The other commands have headers of their own: delineate.h, bid.h, render.h, validate.h,
/// batch.h, pieces.h, presets.h, init.h; version.h gives the version.

#include "landel/pipeline/config.h"
#include "landel/pipeline/job.h"

namespace landel::pipeline {

/// Runs the whole job. Throws landel::Error (or a subclass) with a one-line message naming
/// the culprit; on any failure no output folder is left behind.
RunOutcome run(const Config& config, const RunOptions& options);

} // namespace landel::pipeline
