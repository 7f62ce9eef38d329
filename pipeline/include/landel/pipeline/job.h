#pragma once
/// @file job.h
/// What every job that writes an output folder (run, delineate, bid, render, a merge of
/// pieces) takes and gives back.

#include "landel/core/progress.h"
#include "landel/pipeline/area_scope.h"
#include "landel/pipeline/run_log.h"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace landel::pipeline {

struct RunOptions
{
    std::optional<std::filesystem::path> out; ///< --out; else the config's run.output
    bool overwrite = false;
    std::filesystem::path log_file; ///< --log: also stream the log here
    Progress progress;
    RunLog::Sink on_warning;
    int threads = 0;      ///< recorded in the manifest (the caller limits TBB)
    RunLog::Sink on_info; ///< --verbose: every info line of the log as it happens
    /// landel batch: the unit this run is and the fingerprint of everything it depends on,
    /// recorded in summary.json so that a rerun of the batch can skip a complete unit.
    struct BatchStamp
    {
        std::string unit;
        std::string fingerprint;
    };
    std::optional<BatchStamp> batch;
    AreaScope scope; ///< which of the config's areas the run measures (landel batch)
};

struct RunOutcome
{
    std::filesystem::path output;
    std::size_t areas = 0;
    double rural_ha = 0.0;
    double element_ha = 0.0;
    std::size_t warnings = 0;
};

} // namespace landel::pipeline
