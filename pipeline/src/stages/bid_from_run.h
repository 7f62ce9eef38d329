#pragma once
// Internal: the stage `landel bid` and `landel render` start with — an earlier run's
// measurement read back and its bid made again.

#include "stages/bid_stage.h"
#include "stages/inputs.h"

#include <filesystem>
#include <vector>

namespace landel::pipeline::detail {

/// <from>/areas.gpkg; an error naming --from when it is not there.
std::filesystem::path run_geopackage(const std::filesystem::path& from);

/// The run's measurement read back and the config's bid made on it.
struct RunBid
{
    analysis::MeasureResult result;
    std::vector<int> type_kinds;
    BidSetup setup;
    LoadedInputs inputs; ///< files read: the GeoPackage, the catalogue, regions and parcels
    AreaBids bids;
};
RunBid bid_from_run(const Config& config,
                    const io::Crs& crs,
                    const std::filesystem::path& gpkg,
                    RunLog& log);

} // namespace landel::pipeline::detail
