#pragma once
/// @file render.h
/// `landel render`: maps and report again from an earlier run, without measuring.

#include "landel/pipeline/config.h"
#include "landel/pipeline/job.h"

#include <filesystem>

namespace landel::pipeline {

/// Draws the maps (maps/) and report.html again from the output folder @p from of an earlier
/// run, with @p config's [render], [bid] and [targets], into options.out. Throws like run().
RunOutcome render(const Config& config,
                  const std::filesystem::path& from,
                  const RunOptions& options);

} // namespace landel::pipeline
