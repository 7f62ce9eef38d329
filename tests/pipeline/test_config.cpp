#include "landel/pipeline/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace landel::pipeline;
namespace fs = std::filesystem;

namespace {

/// Writes @p text to a fresh landel.toml in a temporary folder and loads it.
Config load(const std::string& text)
{
    const fs::path dir = fs::temp_directory_path() / ("landel-config-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path file = dir / "landel.toml";
    std::ofstream(file) << text;
    return load_config(file);
}

std::string error_of(const std::string& text)
{
    try {
        load(text);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

const std::string minimal = R"([areas]
method = "given"
[[areas.layers]]
path = "areas.gpkg"
[[elements]]
path = "hedges.gpkg"
type = "hedge"
width_m = 2
)";

} // namespace

TEST(Config, MinimalConfigGetsTheDefaults)
{
    const Config c = load(minimal);
    EXPECT_EQ(c.crs, "EPSG:28992");
    ASSERT_EQ(c.milestones.size(), 2u);
    EXPECT_EQ(c.milestones[0].year, 2030);
    EXPECT_DOUBLE_EQ(c.milestones[1].share, 0.10);
    EXPECT_EQ(c.type_order, std::vector<std::string>{ "hedge" });
    EXPECT_EQ(c.elements[0].path, c.dir / "hedges.gpkg"); // relative to the TOML's folder
}

TEST(Config, UnknownKeyNamesKeyAndLine)
{
    const std::string e = error_of(minimal + "colour = \"green\"\n");
    EXPECT_NE(e.find("landel.toml:9"), std::string::npos) << e;
    EXPECT_NE(e.find("'colour'"), std::string::npos) << e;
    EXPECT_NE(e.find("elements[1]"), std::string::npos) << e;
}

TEST(Config, WrongTypeNamesTheKey)
{
    const std::string e = error_of(minimal + "max_patch_ha = \"big\"\n");
    EXPECT_NE(e.find("elements[1].max_patch_ha must be a number"), std::string::npos) << e;
    EXPECT_NE(e.find(":9:"), std::string::npos) << e;
}

TEST(Config, WidthMustBePositive)
{
    std::string text = minimal;
    text.replace(text.find("width_m = 2"), 11, "width_m = 0");
    const std::string e = error_of(text);
    EXPECT_NE(e.find("width_m must be > 0"), std::string::npos) << e;
    EXPECT_NE(e.find("landel.toml:8"), std::string::npos) << e;
}

TEST(Config, TypesOrderMustListEveryTypeOnce)
{
    EXPECT_NE(error_of(minimal + "[types]\norder = [\"pond\"]\n").find("does not list type 'hedge'"),
              std::string::npos);
    EXPECT_NE(error_of(minimal + "[types]\norder = [\"hedge\", \"hedge\"]\n").find("more than once"),
              std::string::npos);
}

TEST(Config, MilestonesMustAscendWithSharesInRange)
{
    const std::string two = "[[targets.milestone]]\nyear = 2050\nshare = 0.1\n[[targets.milestone]]\nyear = 2030\nshare = 0.05\n";
    EXPECT_NE(error_of(minimal + two).find("ascend"), std::string::npos);
    EXPECT_NE(error_of(minimal + "[[targets.milestone]]\nyear = 2030\nshare = 1.5\n").find("outside (0, 1]"),
              std::string::npos);
}

TEST(Config, LaterAreaMethodsSaySoClearly)
{
    std::string text = minimal;
    text.replace(text.find("\"given\""), 7, "\"overlay\"");
    const std::string e = error_of(text);
    EXPECT_NE(e.find("areas.method = \"overlay\" is not available"), std::string::npos) << e;
    EXPECT_NE(e.find("landel.toml:2"), std::string::npos) << e;
}

TEST(Config, SyntaxErrorHasALine)
{
    const std::string e = error_of("[run\nname = 1\n");
    EXPECT_NE(e.find("landel.toml:1"), std::string::npos) << e;
    EXPECT_NE(e.find("TOML syntax error"), std::string::npos) << e;
}

TEST(Config, TypeFieldNeedsTypes)
{
    std::string text = minimal;
    text.replace(text.find("type = \"hedge\""), 14, "type_field = \"soort\"");
    EXPECT_NE(error_of(text).find("needs a 'types' table"), std::string::npos);
}
