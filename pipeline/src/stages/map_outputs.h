#pragma once
// Internal: the rendered maps of a run (maps/overview.png, overview.pdf, atlas.pdf and a PNG
// per area up to render.max_area_maps).

#include "landel/analysis/measurement/measurement.h"
#include "landel/io/crs.h"
#include "landel/pipeline/config.h"
#include "stages/bid_stage.h"

#include <filesystem>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

/// Today's date as the map footers print it: "2025-01-31".
std::string map_date();

/// The files of the maps of the areas @p ids, in their order: @p prefix, the id with letters,
/// digits, '-' and '_' kept and the rest '_', and ".png"; an id that would take an earlier
/// one's name or one of @p taken (the other files of the folder) gets "-2", "-3", ...
std::vector<std::string> area_map_files(const std::vector<std::string>& ids,
                                        const std::string& prefix,
                                        const std::vector<std::string>& taken = {});

/// The element sources of @p config for a map footer: "file (layer)", each once.
std::vector<std::string> map_sources(const Config& config);

/// Draws the maps into @p dir/maps; @p sources names the data for the footer. Returns the
/// files written, relative to @p dir. Must run before the element geometries are handed on.
std::vector<std::string> write_maps(const std::filesystem::path& dir,
                                    const Config& config,
                                    const io::Crs& crs,
                                    const analysis::MeasureResult& result,
                                    const AreaBids& bids,
                                    const std::vector<std::string>& sources);

} // namespace landel::pipeline::detail
