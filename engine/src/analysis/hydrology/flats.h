#pragma once
// Internal: draining the flats of D8 flow directions (flow_directions.cpp, flats.cpp).

#include "landel/core/progress.h"
#include "landel/core/raster.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace landel::analysis::hydrology::detail {

/// Marks a cell with no lower neighbour that is not an outlet, until the flats are drained.
inline constexpr std::uint8_t unresolved = 254;

/// Gives every cell of @p dir marked unresolved a direction across its flat, after Barnes,
/// Lehman & Mulla (2014); see flats.cpp. @p dir holds the steepest-descent directions of
/// @p filled for every other cell. Flats are labelled in bands of @p band_rows rows (0: about
/// 65,536 cells a band). Returns false when no cell was unresolved.
bool drain_flats(const Raster<float>& filled,
                 std::vector<std::uint8_t>& dir,
                 const Progress& progress,
                 std::size_t band_rows);

} // namespace landel::analysis::hydrology::detail
