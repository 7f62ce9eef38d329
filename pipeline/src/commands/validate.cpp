// `landel validate`: the config checked and every input opened, without measuring.

#include "landel/pipeline/validate.h"

#include "stages/bid_stage.h"
#include "stages/dataset_checks.h"
#include "stages/inputs.h"
#include "stages/monitoring_outputs.h"

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
    if (const auto& d = config.dataset) {
        const std::string date = detail::check_as_of(config, log); // as_of after it: error
        lines.push_back("dataset: preset '" + d->preset_name + "' (" + d->preset_file.string() +
                        ") on " + d->kind + " '" + d->path.string() + "', " +
                        (d->as_of ? "as of " + *d->as_of + " (download of " + date + ")"
                                  : std::string("current objects")));
    }
    lines.push_back("rural land: " + std::string(to_string(config.rural.definition)) + ", " +
                    config.rural.label);
    for (const std::string& w : config.rural.warnings)
        lines.push_back("warning: " + w);
    if (config.monitoring) { // the earlier runs are read as the run reads them
        std::string years;
        for (const detail::RunFolder& run : detail::read_earlier_runs(config, log))
            years += (years.empty() ? "" : ", ") + std::to_string(run.year) + " ('" +
                     run.folder.string() + "')";
        lines.push_back("monitoring: compared with the runs of " + years);
    }
    return lines;
}

} // namespace landel::pipeline
