// The classes of a diverging legend (the change maps of landel compare): bounds, labels,
// colours from the published ColorBrewer RdYlGn scheme, and which class a value falls in.

#include "landel/core/error.h"
#include "landel/render/class_legend.h"

#include <gtest/gtest.h>

#include <cmath>
#include <tuple>

namespace {

using landel::render::class_index;
using landel::render::diverging_classes;
using landel::render::ShareClass;

std::tuple<int, int, int> rgb(const landel::palette::Rgb& c)
{
    return { c.r, c.g, c.b };
}

TEST(ClassLegend, SymmetricBoundsGiveANeutralMiddleAndRdYlGnSides)
{
    const std::vector<double> bounds{ -2.0, -0.5, -0.1, 0.1, 0.5, 2.0 };
    const std::vector<ShareClass> classes = diverging_classes(bounds, "pp");
    ASSERT_EQ(classes.size(), bounds.size() + 1);
    // ColorBrewer RdYlGn with 7 classes (colorbrewer2.org), red to green.
    const std::tuple<int, int, int> rdylgn[] = { { 215, 48, 39 },   { 252, 141, 89 },
                                                 { 254, 224, 139 }, { 255, 255, 191 },
                                                 { 217, 239, 139 }, { 145, 207, 96 },
                                                 { 26, 152, 80 } };
    for (std::size_t k = 0; k < classes.size(); ++k) {
        EXPECT_EQ(rgb(classes[k].colour), rdylgn[k]) << k;
        EXPECT_EQ(classes[k].lower, k == 0 ? -INFINITY : bounds[k - 1]) << k;
        EXPECT_EQ(classes[k].upper, k == bounds.size() ? INFINITY : bounds[k]) << k;
    }
    // The ends are the colours of lost and gained land in change.gpkg.
    EXPECT_EQ(rgb(classes.front().colour), rgb(landel::palette::lost));
    EXPECT_EQ(rgb(classes.back().colour), rgb(landel::palette::gained));
    EXPECT_EQ(classes[0].label, "under -2 pp");
    EXPECT_EQ(classes[1].label, "-2 to -0.5 pp");
    EXPECT_EQ(classes[3].label, "-0.1 to +0.1 pp");
    EXPECT_EQ(classes[6].label, "+2 pp and more");
}

TEST(ClassLegend, ZeroAsABoundLeavesNoNeutralClass)
{
    const std::vector<ShareClass> classes = diverging_classes({ -1.0, 0.0, 1.0 }, "pp");
    ASSERT_EQ(classes.size(), 4u);
    // Two classes each side: the outer ones at the ends of the ramp, the inner ones halfway
    // between them and the neutral middle, i.e. at 1.5 and 4.5 of the 7 stops 0..6: the mean
    // of stops 1 and 2, of stops 4 and 5 (rounded half away from zero).
    EXPECT_EQ(rgb(classes[0].colour), rgb(landel::palette::lost));
    EXPECT_EQ(rgb(classes[1].colour),
              std::make_tuple(253, 183, 114)); // (252,141,89), (254,224,139)
    EXPECT_EQ(rgb(classes[2].colour),
              std::make_tuple(181, 223, 118)); // (217,239,139), (145,207,96)
    EXPECT_EQ(rgb(classes[3].colour), rgb(landel::palette::gained));
    EXPECT_EQ(classes[1].label, "-1 to 0 pp");
    EXPECT_EQ(classes[2].label, "0 to +1 pp");
}

TEST(ClassLegend, AValueFallsInTheClassWhoseLowerBoundItReaches)
{
    const std::vector<ShareClass> classes =
      diverging_classes({ -2.0, -0.5, -0.1, 0.1, 0.5, 2.0 }, "pp");
    const std::pair<double, std::size_t> cases[] = {
        { -50.0, 0 },  { -2.0001, 0 }, { -2.0, 1 }, { -0.3, 2 }, { -0.1, 3 }, { 0.0, 3 },
        { 0.0999, 3 }, { 0.1, 4 },     { 1.0, 5 },  { 2.0, 6 },  { 75.0, 6 },
    };
    for (const auto& [value, index] : cases)
        EXPECT_EQ(class_index(classes, value), index) << value;
}

TEST(ClassLegend, BadBoundsAreRefused)
{
    EXPECT_THROW(diverging_classes({}, "pp"), landel::InvalidArgument);
    EXPECT_THROW(diverging_classes({ 1.0, 0.0 }, "pp"), landel::InvalidArgument);
    EXPECT_THROW(diverging_classes({ 0.0, 0.0 }, "pp"), landel::InvalidArgument);
    EXPECT_THROW(diverging_classes({ -1.0, NAN }, "pp"), landel::InvalidArgument);
    EXPECT_THROW(class_index({}, 1.0), landel::InvalidArgument);
}

} // namespace
