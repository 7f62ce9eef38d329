// `landel validate`: the config checked and every input opened, without measuring.

#include "landel/pipeline/validate.h"

#include "stages/bid_stage.h"
#include "stages/inputs.h"

namespace landel::pipeline {

std::vector<std::string> validate(const Config& config)
{
    RunLog log;
    const io::Crs crs = detail::run_crs(config);
    detail::LoadedInputs inputs = detail::load_inputs(config, crs, log, false);
    std::vector<std::string> lines{ config.where(config.crs_line) + ": run.crs " + crs.describe() };
    lines.insert(lines.end(), inputs.checked.begin(), inputs.checked.end());
    const detail::BidSetup setup = detail::load_bid_setup(config);
    lines.push_back("bid: catalogue '" + setup.catalogue_path.string() + "' (" +
                    std::to_string(setup.catalogue.entries.size()) + " types), mixes '" +
                    setup.mixes_path.string() + "' (" + std::to_string(setup.mixes.size()) +
                    " regions)");
    for (const std::string& line : detail::check_bid_layers(config, crs))
        lines.push_back(line);
    return lines;
}

} // namespace landel::pipeline
