#pragma once
// Internal: summary.json, the run manifest.

#include "landel/analysis/measurement/measurement.h"
#include "landel/pipeline/config.h"
#include "landel/pipeline/job.h"
#include "stages/inputs.h"

#include <nlohmann/json.hpp>

#include <filesystem>

#include <string>
#include <utility>
#include <vector>

namespace landel::pipeline::detail {

struct ManifestContext
{
    const Config& config;
    const LoadedInputs& inputs;
    const analysis::MeasureResult& result;
    std::vector<std::string> warnings;
    std::vector<std::pair<std::string, double>> timings_s;
    int threads = 0;
    std::vector<std::string> outputs;              ///< files written into the output folder
    const RunOptions::BatchStamp* batch = nullptr; ///< landel batch's unit and fingerprint
    const AreaScope* scope = nullptr;              ///< the areas the job measured (all when null)
    nlohmann::ordered_json monitoring;             ///< the [monitoring] block; null: none
    nlohmann::ordered_json milestones;             ///< totals per milestone; null: none
};

/// The manifest as JSON text (2-space indented).
std::string manifest_json(const ManifestContext& context);

/// The "inputs" entry of every job's summary.json: each file read, absolute, with its SHA-256.
nlohmann::ordered_json inputs_json(const LoadedInputs& inputs);

/// Writes @p text as summary.json into the (staging) @p folder; an error names the file.
void write_summary(const std::filesystem::path& folder, const std::string& text);

} // namespace landel::pipeline::detail
