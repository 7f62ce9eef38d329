#include "landel/analysis/hydrology/hydrology.h"
#include "landel/core/error.h"

#include <cmath>
#include <string>

namespace landel::analysis::hydrology {

void burn_streams(Raster<float>& dem, const std::vector<std::uint8_t>& stream_mask, float depth)
{
    const std::size_t n = dem.grid().size();
    if (stream_mask.size() != n)
        throw InvalidArgument("stream mask has " + std::to_string(stream_mask.size()) +
                              " cells, the DEM " + std::to_string(n));
    if (!std::isfinite(depth) || depth < 0.0f)
        throw InvalidArgument("stream burn depth must be finite and >= 0, not " +
                              std::to_string(depth));
    const std::vector<std::uint8_t>& valid = dem.mask();
    std::vector<float>& z = dem.values();
    for (std::size_t i = 0; i < n; ++i)
        if (stream_mask[i] != 0 && (valid.empty() || valid[i] != 0))
            z[i] -= depth;
}

} // namespace landel::analysis::hydrology
