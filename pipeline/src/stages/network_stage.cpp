#include "stages/network_stage.h"

namespace landel::pipeline::detail {

std::vector<analysis::Connectivity> area_network(const Config& config,
                                                 const analysis::MeasureResult& result)
{
    if (!config.siting)
        return {};
    analysis::ConnectivitySettings settings;
    settings.gap_m = config.siting->gap_m;
    settings.dispersal_m = config.siting->dispersal_m;
    std::vector<std::vector<std::string>> footprints;
    footprints.reserve(result.areas.size());
    for (const analysis::AreaMeasure& area : result.areas)
        footprints.push_back(area.owned_wkb);
    return analysis::area_connectivity(footprints, settings);
}

} // namespace landel::pipeline::detail
