#include "commands.h"

#include "landel/pipeline/presets.h"

#include <algorithm>
#include <cstdio>
#include <memory>

namespace landel::cli {

Action add_presets_command(CLI::App& app)
{
    auto name = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand(
      "presets",
      "List the dataset presets shipped with landel, or print one preset file as it is "
      "(to read it, or to copy it: landel presets bgt > my-bgt.toml)");
    cmd->add_option("name",
                    *name,
                    "A shipped preset's name, or the path of a preset .toml file (checked): "
                    "print its file");

    return [name, cmd]() -> int {
        if (!cmd->parsed())
            return -1;
        if (!name->empty()) {
            const std::string text = pipeline::preset_text(*name);
            std::fwrite(text.data(), 1, text.size(), stdout); // byte for byte
            return 0;
        }
        const std::vector<pipeline::PresetSummary> presets = pipeline::shipped_presets();
        std::size_t width = 0;
        for (const pipeline::PresetSummary& p : presets)
            width = std::max(width, p.name.size());
        for (const pipeline::PresetSummary& p : presets)
            std::printf("%-*s  %s  %s\n",
                        int(width),
                        p.name.c_str(),
                        p.title.c_str(),
                        p.file.string().c_str());
        return 0;
    };
}

} // namespace landel::cli
