#include "stages/measurement.h"

#include "landel/io/raster_source.h"

namespace landel::pipeline::detail {

analysis::MeasureResult measure_loaded(const Config& config,
                                       LoadedInputs& inputs,
                                       const Progress& progress,
                                       std::vector<std::pair<std::string, double>>& timings,
                                       DensityRaster density)
{
    inputs.request.progress = progress;
    // The budget covers landel's cell buffers; GDAL's block cache gets a quarter more.
    inputs.request.raster_memory_bytes = config.memory_mb << 20;
    // A piece leaves the density raster to the merge: that of a vector run is made there
    // from the owned geometry (0: none here); a raster run's from the sums the pieces keep.
    const bool rasters =
      !inputs.request.raster_sources.empty() || !inputs.request.raster_masks.empty();
    const bool piece = density == DensityRaster::LeaveToMerge;
    inputs.request.density_cell_m = piece && !rasters ? 0.0 : config.density_cell_m;
    inputs.request.keep_raster_sums = piece;
    if (config.siting) // the network's share of connected line ends (docs/siting.md)
        inputs.request.line_end_gap_m = config.siting->gap_m;
    io::limit_block_cache((config.memory_mb << 20) / 4);
    analysis::MeasureResult result = analysis::measure(inputs.request);
    for (const auto& t : result.timings_s)
        timings.emplace_back("measure." + t.first, t.second);
    return result;
}

} // namespace landel::pipeline::detail
