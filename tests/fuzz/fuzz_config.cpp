// libFuzzer target: arbitrary bytes as a run configuration and as landel.measure's element
// keys (pipeline/src/config/config.cpp and the toml++ parser it compiles in). load_config
// promises ConfigError for every bad input; any other exception, a crash, a hang or a
// sanitizer report is a finding.

#include "fuzz_harness.h"
#include "landel/pipeline/config.h"

#include <algorithm>
#include <cstdint>
#include <string_view>

namespace {

[[noreturn]] void finding(const char* what)
{
    landel::fuzz::finding("fuzz_config", what);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace landel::pipeline;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const ConfigUse use : { ConfigUse::Run, ConfigUse::Delineate }) {
        // A ConfigError is the one acceptable failure.
        landel::fuzz::only_refusals_of<ConfigError>("fuzz_config", [&] {
            const Config cfg = load_config_text(text, "/fuzz/polder/landel.toml", use);
            // What the rest of landel relies on once a config is accepted.
            if (use == ConfigUse::Run && cfg.elements.empty())
                finding("a run config without [[elements]] was accepted");
            for (const ElementConfig& e : cfg.elements) {
                const std::string& t = e.type;
                if (!t.empty() && std::find(cfg.type_order.begin(), cfg.type_order.end(), t) ==
                                    cfg.type_order.end())
                    finding("an element type is missing from the type order");
            }
            if (cfg.milestones.empty())
                finding("no milestones");
            (void)cfg.mask_groups();
            (void)to_string(cfg.areas.method); // every choice read is one the enum names
        });
    }
    // The same bytes as landel.measure's element keys (the config's checks, no file).
    landel::fuzz::only_refusals_of<ConfigError>("fuzz_config", [&] {
        const ElementConfig e = load_element_keys(text, "elements[0]");
        if (e.type.empty() == e.type_field.empty())
            finding("element keys without exactly one of type and type_field were accepted");
    });
    return 0;
}
