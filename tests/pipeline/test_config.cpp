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
    const fs::path dir =
      fs::temp_directory_path() / ("landel-config-" + std::to_string(::getpid()));
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
    EXPECT_NE(
      error_of(minimal + "[types]\norder = [\"pond\"]\n").find("does not list type 'hedge'"),
      std::string::npos);
    EXPECT_NE(
      error_of(minimal + "[types]\norder = [\"hedge\", \"hedge\"]\n").find("more than once"),
      std::string::npos);
}

TEST(Config, MilestonesMustAscendWithSharesInRange)
{
    const std::string two = "[[targets.milestone]]\nyear = 2050\nshare = "
                            "0.1\n[[targets.milestone]]\nyear = 2030\nshare = 0.05\n";
    EXPECT_NE(error_of(minimal + two).find("ascend"), std::string::npos);
    EXPECT_NE(error_of(minimal + "[[targets.milestone]]\nyear = 2030\nshare = 1.5\n")
                .find("outside (0, 1]"),
              std::string::npos);
}

TEST(Config, OverlayAndCatchmentsNeedTheirInputs)
{
    std::string text = minimal;
    text.replace(text.find("\"given\""), 7, "\"overlay\"");
    std::string e = error_of(text);
    EXPECT_NE(e.find("areas.layers[1]: overlay layers need 'field'"), std::string::npos) << e;

    text = minimal;
    text.replace(text.find("\"given\""), 7, "\"catchments\"");
    e = error_of(text);
    EXPECT_NE(e.find("landel.toml:2: areas.method = \"catchments\" needs an [areas.dem] section"),
              std::string::npos)
      << e;

    const Config c = load(R"([areas]
method = "catchments"
min_area_ha = 50
[areas.dem]
path = "dem.tif"
min_catchment_ha = 300
z_factor = 0.01
basins = "outlets"
fill_holes = true
[areas.dem.burn]
path = "water.gpkg"
depth_m = 2
[[elements]]
path = "hedges.gpkg"
type = "hedge"
width_m = 2
)");
    ASSERT_TRUE(c.areas.dem);
    EXPECT_EQ(c.areas.dem->basins, Basins::Outlets);
    EXPECT_EQ(c.areas.method, AreasMethod::Catchments);
    EXPECT_STREQ(to_string(c.areas.method), "catchments"); // summary.json's spelling
    EXPECT_STREQ(to_string(c.areas.dem->basins), "outlets");
    EXPECT_DOUBLE_EQ(c.areas.dem->z_factor, 0.01);
    EXPECT_DOUBLE_EQ(c.areas.dem->min_catchment_ha, 300.0);
    EXPECT_TRUE(c.areas.dem->fill_holes);
    ASSERT_TRUE(c.areas.dem->burn);
    EXPECT_DOUBLE_EQ(c.areas.dem->burn_depth_m, 2.0);
    EXPECT_DOUBLE_EQ(c.areas.min_area_ha, 50.0);

    EXPECT_NE(error_of(R"([areas]
method = "catchments"
[areas.dem]
path = "dem.tif"
basins = "rivers"
[[elements]]
path = "hedges.gpkg"
type = "hedge"
width_m = 2
)")
                .find("landel.toml:5: areas.dem.basins must be \"links\" or \"outlets\""),
              std::string::npos);
    text = minimal;
    text.replace(text.find("\"given\""), 7, "\"delaunay\"");
    EXPECT_NE(error_of(text).find("areas.method must be \"given\", \"overlay\" or \"catchments\""),
              std::string::npos);
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

TEST(Config, RasterSourcesMapClassesToTypes)
{
    const Config c = load(minimal + R"(
[[elements]]
path = "lc.tif"
classes = { 21 = "small_wood", 11 = "pond", -3 = "odd" }
resample = "nearest"
[[rural.exclude]]
path = "lc.tif"
classes = [2, 1, 2]
name = "built"
[run]
memory_mb = 256
density_cell_m = 10
)");
    ASSERT_EQ(c.elements.size(), 2u);
    const ElementConfig& r = c.elements[1];
    EXPECT_TRUE(r.raster());
    EXPECT_EQ(r.resample, landel::Resample::Nearest);
    ASSERT_EQ(r.classes.size(), 3u);
    EXPECT_EQ(r.classes[0], std::make_pair(std::int64_t(-3), std::string("odd")));
    EXPECT_EQ(r.classes[2], std::make_pair(std::int64_t(21), std::string("small_wood")));
    ASSERT_EQ(c.masks.size(), 1u);
    EXPECT_EQ(c.masks[0].classes, (std::vector<std::int64_t>{ 1, 2 }));
    EXPECT_EQ(c.memory_mb, 256u);
    EXPECT_EQ(c.density_cell_m, 10.0);
    // Raster types join the precedence in first-appearance order.
    EXPECT_EQ(c.type_order, (std::vector<std::string>{ "hedge", "odd", "pond", "small_wood" }));
}

TEST(Config, RasterSourceErrorsNameTheKey)
{
    const std::string raster = minimal + "[[elements]]\npath = \"lc.tif\"\n";
    EXPECT_NE(error_of(raster + "classes = { 21 = \"small_wood\" }\nwidth_m = 3\n")
                .find("landel.toml:12: elements[2].width_m is for vector sources"),
              std::string::npos);
    EXPECT_NE(error_of(raster + "classes = { wood = \"small_wood\" }\n")
                .find("elements[2].classes: 'wood' is not an integer class code"),
              std::string::npos);
    EXPECT_NE(error_of(raster + "classes = {}\n").find("maps no class"), std::string::npos);
    EXPECT_NE(error_of(raster + "classes = { 21 = \"small_wood\" }\nresample = \"bilinear\"\n")
                .find("resample must be \"nearest\""),
              std::string::npos);
    EXPECT_NE(
      error_of(minimal + "resample = \"nearest\"\n").find("elements[1].resample is for raster"),
      std::string::npos);
    EXPECT_NE(error_of(minimal + "[[rural.exclude]]\npath = \"lc.tif\"\nclasses = [\"a\"]\n")
                .find("rural.exclude[1].classes must list integer class codes"),
              std::string::npos);
    EXPECT_NE(
      error_of(minimal + "[[rural.exclude]]\npath = \"lc.tif\"\nclasses = [1]\nlayer = \"x\"\n")
        .find("rural.exclude[1].layer is for vector sources"),
      std::string::npos);
    EXPECT_NE(
      error_of(minimal + "[run]\nmemory_mb = 8\n").find("run.memory_mb must be at least 64"),
      std::string::npos);
}

TEST(Config, TextLoadsAsIfItWereTheFile)
{
    // No file is read: the name only places relative paths and names lines in messages.
    const fs::path file = fs::path("/nowhere") / "polder" / "landel.toml";
    const Config c = load_config_text(minimal, file);
    EXPECT_EQ(c.file, file);
    EXPECT_EQ(c.elements.at(0).path, fs::path("/nowhere/polder/hedges.gpkg"));
    EXPECT_EQ(c.type_order, load(minimal).type_order);

    auto error = [&](std::string_view text, ConfigUse use = ConfigUse::Run) -> std::string {
        try {
            load_config_text(text, file, use);
        } catch (const ConfigError& e) {
            return e.what();
        }
        return "";
    };
    EXPECT_EQ(error(minimal + "colour = 1\n"), error_of(minimal + "colour = 1\n"));
    EXPECT_NE(error("[run\n").find("landel.toml:1: TOML syntax error"), std::string::npos);
    // Bytes that are not TOML at all: NUL, invalid UTF-8.
    EXPECT_NE(error(std::string_view("[areas]\0x", 9)).find("TOML syntax error"),
              std::string::npos);
    EXPECT_NE(error("name = \"\xff\xfe\"\n").find("TOML syntax error"), std::string::npos);
    // Delineation needs no [[elements]]; a run does.
    const std::string areas_only = minimal.substr(0, minimal.find("[[elements]]"));
    EXPECT_EQ(error(areas_only, ConfigUse::Delineate), "");
    EXPECT_NE(error(areas_only).find("at least one [[elements]]"), std::string::npos);
}

TEST(Config, LongNamesAndHugeOrNonFiniteNumbersAreErrorsNotCrashes)
{
    // Found fuzzing load_config_text: std::regex overflowed the stack on a long type name or
    // class code, an int(double) of max_area_sheets was undefined behaviour, years past
    // INT_MAX were cut to 32 bits, and nan passed the range checks.
    const std::string name(200000, 'a');
    std::string text = minimal;
    text.replace(text.find("\"hedge\""), 7, "\"" + name + "\"");
    EXPECT_EQ(load(text).type_order, std::vector<std::string>{ name });
    EXPECT_NE(error_of(minimal + "[[elements]]\npath = \"lc.tif\"\nclasses = { " +
                       std::string(200000, '7') + " = \"pond\" }\n")
                .find("is not an integer class code"),
              std::string::npos);
    EXPECT_NE(error_of(minimal + "[bid]\nmax_area_sheets = 99999999999\n")
                .find("bid.max_area_sheets is out of range, got 99999999999"),
              std::string::npos);
    EXPECT_NE(error_of(minimal + "[[targets.milestone]]\nyear = 4294969326\nshare = 0.05\n")
                .find("targets.milestone[1].year is out of range"),
              std::string::npos);
    EXPECT_NE(error_of(minimal + "[run]\nmemory_mb = 9223372036854775807\n")
                .find("run.memory_mb is out of range"),
              std::string::npos);
    EXPECT_NE(error_of(minimal + "[run]\nmeasurement_year = -4294967296\n")
                .find("run.measurement_year is out of range"),
              std::string::npos);
    EXPECT_NE(error_of("[areas]\nmin_area_ha = nan\n" + minimal.substr(minimal.find("method")))
                .find("areas.min_area_ha must be a finite number, not nan"),
              std::string::npos);
    EXPECT_NE(error_of(minimal + "max_patch_ha = inf\n")
                .find("elements[1].max_patch_ha must be a finite number, not inf"),
              std::string::npos);
    EXPECT_EQ(load(minimal + "[bid]\nmax_area_sheets = 7\n").max_area_sheets, 7);
}

TEST(Config, ElementKeysOutsideAFileAreCheckedLikeASection)
{
    // landel.measure's element sources: the section's checks and messages, without FILE:LINE.
    const auto error_of_keys = [](const std::string& toml) {
        try {
            load_element_keys(toml, "elements[0]");
        } catch (const ConfigError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_EQ(error_of_keys("type = \"hedge\"\nwidth = 2\n"),
              "unknown key 'width' in [elements[0]]");
    EXPECT_EQ(error_of_keys("width_m = 2\n"), "elements[0]: give either 'type' or 'type_field'");
    EXPECT_EQ(error_of_keys("type = \"hedge\"\nwidth_m = 0\n"),
              "elements[0].width_m must be > 0, got 0");
    EXPECT_EQ(
      error_of_keys("type = \"Hedge\"\n"),
      "elements[0].type 'Hedge' must be lower-case letters, digits and '_' (it names columns)");
    // Unlike a section, type_field may come without 'types' (its values are the types).
    const ElementConfig e =
      load_element_keys("type_field = \"soort\"\nwidth_field = \"w\"\n", "elements[0]");
    EXPECT_EQ(e.type_field, "soort");
    EXPECT_TRUE(e.types.empty());
    EXPECT_EQ(e.width_field, "w");
}
