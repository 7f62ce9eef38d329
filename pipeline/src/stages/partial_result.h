#pragma once
// Internal: one piece's measurement as bytes (CBOR), and back.

#include "landel/analysis/measurement/measurement.h"
#include "stages/inputs.h"

#include <cstdint>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

/// The features of one vector source a piece read and repaired, by feature id: pieces read
/// near their own areas, so their parts of a source overlap and are merged by id.
struct SourceIds
{
    std::vector<std::int64_t> read;
    std::vector<std::int64_t> repaired;
};

struct PartialResult
{
    std::vector<std::size_t> positions; ///< of the result's areas in the whole run
    std::size_t total_areas = 0;        ///< areas of the whole run
    analysis::MeasureResult result;     ///< without the density raster
    LoadedInputs inputs;                ///< files, transforms, type kinds and notes (no request)
    std::vector<std::pair<std::string, double>> timings;
    std::vector<SourceIds> mask_ids;    ///< per vector mask source
    std::vector<SourceIds> element_ids; ///< per vector element source
    /// The vector features the piece read itself (the ids above also name those of sources
    /// whose patches were judged whole beforehand, which count as read whole).
    std::size_t features_read = 0;
};

std::string to_bytes(const PartialResult& partial);
/// @throws Error when @p bytes are not a partial result of this landel version.
PartialResult partial_from_bytes(const std::string& bytes);

} // namespace landel::pipeline::detail
