#include "commands.h"

#include "landel/pipeline/config.h"
#include "landel/pipeline/validate.h"

#include <iostream>
#include <memory>

namespace landel::cli {

Action add_validate_command(CLI::App& app)
{
    auto config_path = std::make_shared<std::string>();
    auto quiet = std::make_shared<bool>(false);
    CLI::App* cmd = app.add_subcommand(
      "validate",
      "Check a config and open every input (layers, fields, where, CRS) without running");
    cmd->add_option("config", *config_path, "The run's TOML file")->required();
    cmd->add_flag("-q,--quiet", *quiet, "Print nothing when all is well");

    return [config_path, quiet, cmd]() -> int {
        if (!cmd->parsed())
            return -1;
        const pipeline::Config config = pipeline::load_config(*config_path);
        const std::vector<std::string> lines = pipeline::validate(config);
        if (!*quiet) {
            for (const std::string& line : lines)
                std::cout << line << '\n';
            std::cout << config.file.string() << ": valid (" << config.elements.size()
                      << " element sources, " << config.type_order.size() << " types)\n";
        }
        return 0;
    };
}

} // namespace landel::cli
