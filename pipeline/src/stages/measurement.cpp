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
    inputs.request.density_cell_m =
      density == DensityRaster::Make ? config.density_cell_m : 0.0; // 0: no raster
    io::limit_block_cache((config.memory_mb << 20) / 4);
    analysis::MeasureResult result = analysis::measure(inputs.request);
    for (const auto& t : result.timings_s)
        timings.emplace_back("measure." + t.first, t.second);
    return result;
}

} // namespace landel::pipeline::detail
