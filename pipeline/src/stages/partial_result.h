#pragma once
// Internal: one piece's measurement as bytes (CBOR), and back.

#include "landel/analysis/measurement/measurement.h"
#include "stages/inputs.h"

#include <string>
#include <vector>

namespace landel::pipeline::detail {

struct PartialResult
{
    std::vector<std::size_t> positions; ///< of the result's areas in the whole run
    std::size_t total_areas = 0;        ///< areas of the whole run
    analysis::MeasureResult result;     ///< without the density raster
    LoadedInputs inputs;                ///< files, transforms, type kinds and notes (no request)
    std::vector<std::pair<std::string, double>> timings;
};

std::string to_bytes(const PartialResult& partial);
/// @throws Error when @p bytes are not a partial result of this landel version.
PartialResult partial_from_bytes(const std::string& bytes);

} // namespace landel::pipeline::detail
