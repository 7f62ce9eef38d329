#include "job/output_target.h"

#include "landel/core/error.h"
#include "stages/inputs.h"

#include <vector>

namespace landel::pipeline::detail {

namespace fs = std::filesystem;

OutputTarget output_target(const Config& config, const std::optional<fs::path>& out)
{
    if (out)
        return { *out, out->string() };
    if (!config.output.empty())
        return { config.output, config.output.string() };
    throw Error("no output folder: give --out or set run.output");
}

StagedFolder from_run_folder(const Config& config,
                             const fs::path& run_gpkg,
                             const RunOptions& options)
{
    if (!options.out)
        throw Error("no output folder: give --out");
    std::vector<fs::path> inputs = config_paths(config);
    inputs.push_back(run_gpkg);
    return StagedFolder(*options.out, options.out->string(), options.overwrite, inputs);
}

std::string output_named(const std::string& message,
                         const Config& config,
                         const RunOptions& options)
{
    if (!options.out && config.output.empty())
        return message;
    const OutputTarget target = output_target(config, options.out);
    std::error_code ec;
    const fs::path out = fs::weakly_canonical(fs::absolute(target.path, ec), ec);
    const std::string staging = staging_path(out).string();
    std::string named = message;
    for (std::size_t at = named.find(staging); at != std::string::npos;
         at = named.find(staging, at + 1))
        named.replace(at, staging.size(), target.as_given);
    return named;
}

} // namespace landel::pipeline::detail
