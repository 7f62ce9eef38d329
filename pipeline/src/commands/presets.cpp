// `landel presets`: the shipped presets listed, and one preset's file as it is.

#include "landel/pipeline/presets.h"

#include "landel/pipeline/config.h"

#include "config/preset_file.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace landel::pipeline {

namespace fs = std::filesystem;

std::vector<PresetSummary> shipped_presets()
{
    std::vector<PresetSummary> out;
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(detail::shipped_presets_dir(), ec)) {
        if (e.path().extension() != ".toml" || !e.is_regular_file(ec))
            continue;
        const detail::Preset p = detail::read_preset(e.path());
        out.push_back({ e.path().stem().string(), p.title, e.path() });
    }
    std::sort(out.begin(), out.end(), [](const PresetSummary& a, const PresetSummary& b) {
        return a.name < b.name;
    });
    return out;
}

std::string preset_text(const std::string& name_or_path)
{
    // A path is taken as given (relative to the working folder), as the shell completes it.
    const fs::path file = detail::find_preset(name_or_path, fs::path(), "presets");
    detail::read_preset(file); // the text printed is a preset that reads
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw ConfigError(file.string() + ": preset file cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace landel::pipeline
