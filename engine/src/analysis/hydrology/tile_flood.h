#pragma once
// Internal: one tile's Priority-Flood and the levels of the tiles' watersheds, shared by the
// in-memory tiled fill (tiled_fill.cpp) and the fill out of memory (tiled/fill.cpp). The method
// is Barnes (2016), "Parallel priority-flood depression filling for trillion cell digital
// elevation models", Computers & Geosciences 96, 167-178, doi:10.1016/j.cageo.2016.07.001;
// tiled_fill.cpp explains it.

#include <cstdint>
#include <limits>
#include <vector>

namespace landel::analysis::hydrology::detail {

using WatershedLabel = std::uint32_t;
inline constexpr WatershedLabel no_watershed = std::numeric_limits<WatershedLabel>::max();

/// Where two watersheds touch: their spill level.
struct Spill
{
    WatershedLabel a, b; ///< a < b
    float level;
};

/// What one tile's flood leaves besides its filled surface and labels.
struct TileFlood
{
    std::vector<float> seed_level; ///< per local label: its true seed's elevation, or NaN
    std::vector<Spill> spills;     ///< between local labels
};

/// One tile's Priority-Flood from its true seeds (valid cells beside nodata or the grid's edge)
/// and its border, each start a watershed of its own. @p z is the tile with its ring (NaN:
/// nodata or off the grid), @p h × @p w inside, valid cells finite; its inside becomes the
/// tile's filled surface F_t, and @p label (h × w) the local watershed labels (no_watershed
/// on nodata). Cells on slopes skip the queue (Zhou, Sun & Fu 2016) and the queue is a radix
/// heap. @throws InvalidArgument on an infinite valid cell.
TileFlood flood_tile(std::vector<float>& z,
                     std::size_t h,
                     std::size_t w,
                     std::vector<WatershedLabel>& label);

/// The level every watershed's water rises to: a Priority-Flood over the spill graph (the
/// tiles' own spills, offset by @p offset per tile, and @p spills between tiles, consumed) from
/// the watersheds holding true seeds. @p offset has one entry per tile and one past the last.
std::vector<float> watershed_levels(const std::vector<TileFlood>& floods,
                                    const std::vector<WatershedLabel>& offset,
                                    std::vector<Spill>& spills);

} // namespace landel::analysis::hydrology::detail
