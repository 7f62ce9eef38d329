#pragma once
// Internal: which basins merge_small_basins() merges, decided on the basins' graph alone, so
// that labels in memory (basins.cpp) and in tiles (tiled/basins.cpp) are rewritten alike.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace landel::analysis::hydrology::detail {

struct MergePlan
{
    /// Index = old label: its new label (0 stays 0; labels of no cell map to 0).
    std::vector<std::int32_t> renumber;
    /// Index = new label: the new label it drains into, 0 for nowhere.
    std::vector<std::int32_t> downstream;
};

/// merge_small_basins()'s rule on basins of @p size cells (index = label, 0 unused) draining
/// into @p downstream. Labels must be numbered by their basins' first cells, as
/// delineate_basins() numbers them; the survivors are renumbered in that order.
/// @throws InvalidArgument on a downstream label that is not a basin.
MergePlan plan_small_basin_merges(const std::vector<std::size_t>& size,
                                  const std::vector<std::int32_t>& downstream,
                                  std::size_t min_cells);

} // namespace landel::analysis::hydrology::detail
