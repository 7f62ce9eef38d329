#include "stages/bid_from_run.h"
#include "stages/candidates_stage.h"

#include "landel/io/error.h"
#include "stages/measurement_reader.h"

namespace landel::pipeline::detail {

namespace fs = std::filesystem;

fs::path run_geopackage(const fs::path& from)
{
    const fs::path gpkg = from / "areas.gpkg";
    if (!fs::is_regular_file(gpkg))
        throw io::IoError("--from '" + from.string() +
                          "': no areas.gpkg (give the output folder of a landel run)");
    return gpkg;
}

RunBid bid_from_run(const Config& config, const io::Crs& crs, const fs::path& gpkg, RunLog& log)
{
    RunBid r;
    r.setup = load_bid_setup(config);
    r.result = read_measurement(config, gpkg, r.type_kinds);
    r.inputs.files = { gpkg, r.setup.catalogue_path, r.setup.mixes_path, r.setup.land_values_path };
    const AreaContext context = area_context(config, crs, r.result, r.inputs);
    std::vector<std::string> parcels = potential_parcels(config, crs, r.inputs);
    std::vector<double> measured_m = area_free_edges(config, r.result, parcels);
    const SitingEdges edges =
      siting_edges(config, crs, r.result, r.setup, std::move(parcels), r.inputs, log);
    const FreeEdges free_edges = free_edges_of(std::move(measured_m), edges);
    std::optional<AreaPledges> pledges =
      area_pledges(config, crs, r.result, r.setup.catalogue, r.inputs, log);
    r.bids = compute_bids(config, r.setup, r.result, context, free_edges, std::move(pledges), log);
    site_elements(config, r.result, r.setup, edges, r.bids);
    return r;
}

} // namespace landel::pipeline::detail
