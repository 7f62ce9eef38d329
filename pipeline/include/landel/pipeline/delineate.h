#pragma once
/// @file delineate.h
/// `landel delineate`: only the areas of a config, without measuring.

#include "landel/pipeline/config.h"
#include "landel/pipeline/job.h"

namespace landel::pipeline {

/// Makes the areas of a config with areas.method "overlay" or "catchments" and writes only
/// them (areas.gpkg, summary.json, landel.log) into the output folder. Throws like run().
RunOutcome delineate(const Config& config, const RunOptions& options);

} // namespace landel::pipeline
