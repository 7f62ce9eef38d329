#pragma once
// Internal: where the data files shipped with landel are (the bid catalogue, the presets).

#include <filesystem>
#include <string>

namespace landel::pipeline::detail {

/// The folder @p sub of landel's data: $LANDEL_DATA_DIR/<sub>, else
/// <prefix>/share/landel/<sub> beside the installed binary when it holds @p probe, else the
/// source tree's data/<sub>.
std::filesystem::path shipped_data_dir(const std::string& sub, const std::string& probe);

} // namespace landel::pipeline::detail
