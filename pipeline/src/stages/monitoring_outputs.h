#pragma once
// Internal: [monitoring] of a run — the earlier runs it names, read before anything is
// measured, and the comparison of this run with them, written into its folder `monitoring/`
// (docs/monitoring.md, "In a run").

#include "landel/analysis/measurement/measurement.h"
#include "landel/pipeline/config.h"
#include "landel/pipeline/run_log.h"
#include "stages/run_reader.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

/// The year this run measures: run.measurement_year, else the year of dataset.as_of; none
/// when neither is set.
std::optional<int> run_year(const Config& config);

/// The runs of [monitoring] read back (nothing without the section). @throws Error, one line,
/// when a folder is not a run, when this run has no year or one of an earlier run, or when
/// targets.baseline_year is the year of none of the runs or of this (the last) run.
std::vector<RunFolder> read_earlier_runs(const Config& config, RunLog& log);

/// What a run's monitoring wrote: the block of its summary.json and the files (relative to
/// the run's folder).
struct MonitoringOutputs
{
    nlohmann::ordered_json summary; ///< null without [monitoring]
    std::vector<std::string> files;
};

/// This run (its areas.gpkg already written into @p dir) compared with @p earlier: the
/// outputs of `landel compare` (write_comparison, with render.max_area_maps area maps) into
/// @p dir / "monitoring". The baseline is targets.baseline_year, else the earliest run.
MonitoringOutputs write_monitoring(const Config& config,
                                   std::vector<RunFolder> earlier,
                                   const std::filesystem::path& dir,
                                   const std::filesystem::path& final_dir,
                                   RunLog& log);

} // namespace landel::pipeline::detail
