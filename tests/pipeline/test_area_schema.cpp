// The area table's schema (landel/pipeline/area_schema.h): the columns every writer, the
// reader of an earlier run and landel.measure share.
#include "landel/io/vector_source.h"
#include "landel/pipeline/area_schema.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace landel;
using namespace landel::pipeline;

namespace {

std::vector<std::string> names(const std::vector<AreaColumn>& columns)
{
    std::vector<std::string> out;
    for (const AreaColumn& c : columns)
        out.push_back(c.column.name);
    return out;
}

} // namespace

TEST(AreaSchema, ColumnsRepeatPerMaskTypeAndMilestoneInTableOrder)
{
    const AreaSchemaKeys keys{
        { "hedge", "pond", "tree" },
        { io::kind_lines, io::kind_polygons, io::kind_points | io::kind_lines },
        { "built" },
        { { 2030, 0.05 }, { 2050, 0.10 } }
    };
    const std::vector<std::string> expected{
        "area_id",     "area_name",     "class",          "area_ha",        "rural_ha",
        "nodata_ha",   "excl_built_ha", "element_ha",     "share_pct",      "ha_hedge",
        "ha_pond",     "ha_tree",       "target_2030_ha", "target_2050_ha", "gap_2030_ha",
        "gap_2050_ha", "status",        "hedge_m",        "tree_m",         "tree_count"
    };
    EXPECT_EQ(names(area_columns(keys)), expected);
}

TEST(AreaSchema, ReadBackGivesTheMeasuredFigures)
{
    const AreaSchemaKeys keys{
        { "hedge", "tree" }, { io::kind_lines, io::kind_points }, { "built" }, { { 2030, 0.05 } }
    };
    analysis::AreaMeasure a;
    a.id = "007";
    a.name = "Noord";
    a.area_ha = 10.5;
    a.rural_ha = 8.25;
    a.excl_ha = { 1.5 };
    a.element_ha = 0.75;
    a.type_ha = { 0.5, 0.25 };
    a.type_length_m = { 123.456, 0.0 };
    a.type_count = { 0, 7 };
    a.targets.share_pct = 9.0;
    a.targets.target_ha = { 0.4125 };
    a.targets.gap_ha = { 0.0 };
    a.targets.status = "met";

    analysis::AreaMeasure back;
    size_for_reading(back, keys);
    for (const AreaColumn& c : area_columns(keys)) {
        const Cell cell = c.value(a);
        if (c.column.name == "share_pct")
            EXPECT_EQ(std::get<double>(cell), 9.0);
        if (c.read)
            c.read(back, cell);
        else // derived on reading: the targets follow the reader's milestones
            EXPECT_TRUE(c.column.name == "share_pct" || c.column.name == "status" ||
                        c.column.name.rfind("target_", 0) == 0 ||
                        c.column.name.rfind("gap_", 0) == 0)
              << c.column.name;
    }
    EXPECT_EQ(back.id, "007");
    EXPECT_EQ(back.name, "Noord");
    EXPECT_EQ(back.area_ha, 10.5);
    EXPECT_EQ(back.rural_ha, 8.25);
    EXPECT_EQ(back.excl_ha, a.excl_ha);
    EXPECT_EQ(back.element_ha, 0.75);
    EXPECT_EQ(back.type_ha, a.type_ha);
    EXPECT_EQ(back.type_length_m, a.type_length_m);
    EXPECT_EQ(back.type_count, a.type_count);

    a.targets.share_pct.reset(); // no rural land: an empty cell
    for (const AreaColumn& c : area_columns(keys))
        if (c.column.name == "share_pct")
            EXPECT_TRUE(std::holds_alternative<std::monostate>(c.value(a)));
}

TEST(AreaSchema, GeometryKindsFromWkb)
{
    // Little-endian WKB headers: point (1), line string (2), multipolygon (6).
    const std::string point("\x01\x01\x00\x00\x00", 5), line("\x01\x02\x00\x00\x00", 5),
      multipolygon("\x01\x06\x00\x00\x00", 5), line_z("\x01\xea\x03\x00\x00", 5); // 1002
    EXPECT_EQ(geometry_kinds(point), io::kind_points);
    EXPECT_EQ(geometry_kinds(line), io::kind_lines);
    EXPECT_EQ(geometry_kinds(multipolygon), io::kind_polygons);
    EXPECT_EQ(geometry_kinds(line_z), io::kind_lines);
    EXPECT_EQ(geometry_kinds(""), 0);
}
