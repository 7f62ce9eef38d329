#pragma once
// Internal: areas delineated once for every piece of a run (pieces.h, delineate_for_pieces),
// passed to the pieces as bytes so that no piece delineates them again (a catchment chain
// reads the whole DEM).

#include "stages/delineation.h"
#include "stages/inputs.h"

#include <filesystem>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

struct PreparedAreas
{
    DelineatedAreas delineated;
    std::vector<std::filesystem::path> files; ///< what making them read (for the manifest)
    std::vector<TransformRecord> transforms;
};

/// CBOR, tagged with landel's version.
std::string to_bytes(const PreparedAreas& prepared);

/// @throws Error when @p bytes are not prepared areas of this landel version.
PreparedAreas prepared_areas_from_bytes(const std::string& bytes);

} // namespace landel::pipeline::detail
