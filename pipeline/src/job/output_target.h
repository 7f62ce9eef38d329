#pragma once
// Internal: where a job writes, and its messages naming that place as the user gave it.

#include "landel/pipeline/config.h"
#include "landel/pipeline/job.h"
#include "landel/pipeline/staged_folder.h"

#include <filesystem>
#include <optional>
#include <string>

namespace landel::pipeline::detail {

/// The output folder: --out (as given) or run.output; an error when neither is set.
struct OutputTarget
{
    std::filesystem::path path;
    std::string as_given; ///< for messages: the --out path as the user wrote it
};
OutputTarget output_target(const Config& config, const std::optional<std::filesystem::path>& out);

/// The staged output folder of a job that reads an earlier run (`landel bid`, `landel
/// render`): --out is required; the run's GeoPackage @p run_gpkg counts as an input.
StagedFolder from_run_folder(const Config& config,
                             const std::filesystem::path& run_gpkg,
                             const RunOptions& options);

/// @p message with the job's temporary folder (`<out>.tmp-<pid>`, which is gone once the
/// job has failed) replaced by the output folder as the user gave it.
std::string output_named(const std::string& message,
                         const Config& config,
                         const RunOptions& options);

} // namespace landel::pipeline::detail
