#pragma once
// Internal: the batch's combined outputs — every unit's area_bid.csv and `areas` layer in one
// table with a leading `unit` column, and a `units` layer with each unit's outline and totals.

#include "landel/io/crs.h"
#include "landel/pipeline/config.h"

#include <filesystem>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

struct CompleteUnit
{
    std::string name;
    std::filesystem::path folder; ///< the unit's output folder
};

/// Writes @p out/area_bid.csv and @p out/areas.gpkg (layers `areas` and `units`, styled as a
/// run's) from the units' folders, each file complete under its final name or not at all.
/// Columns are the union of the units' columns in order of first appearance (a cell a unit
/// does not have is empty). CSV cells are copied as text, so every figure keeps the units'
/// formatting. @p config gives the milestones the areas style is classed by.
void write_combined(const std::filesystem::path& out,
                    const std::vector<CompleteUnit>& units,
                    const Config& config,
                    const io::Crs& crs);

} // namespace landel::pipeline::detail
