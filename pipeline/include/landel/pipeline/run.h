#pragma once
/// @file run.h
/// One run: config -> inputs -> measurement -> outputs + manifest.

#include "landel/core/progress.h"
#include "landel/pipeline/area_scope.h"
#include "landel/pipeline/config.h"
#include "landel/pipeline/run_log.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace landel::pipeline {

struct RunOptions
{
    std::optional<std::filesystem::path> out; ///< --out; else the config's run.output
    bool overwrite = false;
    std::filesystem::path log_file; ///< --log: also stream the log here
    Progress progress;
    RunLog::Sink on_warning;
    int threads = 0; ///< recorded in the manifest (the caller limits TBB)
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

/// Runs the whole job. Throws landel::Error (or a subclass) with a one-line message naming
/// the culprit; on any failure no output folder is left behind.
RunOutcome run(const Config& config, const RunOptions& options);

/// Makes the areas of a config with areas.method "overlay" or "catchments" and writes only
/// them (areas.gpkg, summary.json, landel.log) into the output folder. Throws like run().
RunOutcome delineate(const Config& config, const RunOptions& options);

/// Recomputes the area bid from the output folder @p from of an earlier run (its areas.gpkg)
/// with @p config's bid settings and milestones, without measuring; writes area_bid.csv,
/// area_bid.xlsx, bid_phasing.csv, areas.gpkg, summary.json and landel.log to options.out.
/// The config's types and masks must be those of the run. Throws like run().
RunOutcome bid(const Config& config, const std::filesystem::path& from, const RunOptions& options);

/// Draws the maps (maps/) and report.html again from the output folder @p from of an earlier
/// run, with @p config's [render], [bid] and [targets], into options.out. Throws like run().
RunOutcome render(const Config& config, const std::filesystem::path& from, const RunOptions& options);

/// Checks a config and opens every input (paths, layers, fields, where clauses, CRSs)
/// without measuring. Returns one line per checked input. Throws like run().
std::vector<std::string> validate(const Config& config);

/// The landel version string.
const char* version();

} // namespace landel::pipeline
