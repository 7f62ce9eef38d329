// The whole-run figures recomputed for merged results (merged_measurement.h) equal what
// measure() found over all areas at once.
#include "landel/analysis/measurement/merged_measurement.h"
#include "wkt.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace landel;
using namespace landel::analysis;
using test::square;
using test::wkb;

namespace {

MeasureRequest overlapping_case()
{
    MeasureRequest r;
    r.areas_label = "areas";
    r.types = { "hedge", "small_wood" };
    r.milestones = { { 2030, 0.05 }, { 2050, 0.10 } };
    // A and B share an edge; X overlaps both; Y lies apart. Cells of 25 m straddle A|B.
    const char* names[] = { "A", "B", "X", "Y" };
    const std::string shapes[] = {
        square(0, 0, 100), square(100, 0, 100), square(60, 30, 80), square(400, 400, 50)
    };
    for (int i = 0; i < 4; ++i) {
        AreaFeature a;
        a.id = names[i];
        a.fid = i + 1;
        a.wkb = wkb(shapes[i]);
        r.areas.push_back(a);
    }
    ElementFeature hedge;
    hedge.wkb = wkb("LINESTRING(10 60,190 67)");
    hedge.type = 0;
    hedge.width_m = 3.0;
    hedge.fid = 1;
    ElementFeature wood;
    wood.wkb = wkb("POLYGON((90 5,130 5,130 20,90 20,90 5))");
    wood.type = 1;
    wood.width_m = NAN;
    wood.fid = 2;
    r.sources = { { "hedges", { hedge }, {} }, { "woods", { wood }, {} } };
    return r;
}

} // namespace

TEST(MergedMeasurement, OverlapsEqualThoseOfTheWholeMeasurement)
{
    const MeasureResult whole = measure(overlapping_case());
    ASSERT_EQ(whole.overlapping_areas.size(), 2u);
    const AreaOverlaps again = MergedAreas(whole).overlaps("areas");
    EXPECT_EQ(again.pairs, whole.overlapping_areas);
    EXPECT_EQ(again.pairs[0], std::make_pair(std::string("A"), std::string("X")));
    EXPECT_EQ(again.pairs[1], std::make_pair(std::string("B"), std::string("X")));
    EXPECT_EQ(
      again.warning,
      "areas: overlapping areas, each measured on its own; totals are not additive: A/X, B/X");
    EXPECT_NE(std::find(whole.warnings.begin(), whole.warnings.end(), again.warning),
              whole.warnings.end());
}

TEST(MergedMeasurement, DensityEqualsThatOfTheWholeMeasurementBitForBit)
{
    const MeasureResult whole = measure(overlapping_case());
    ASSERT_FALSE(whole.density.grid().empty());
    const Raster<float> again = MergedAreas(whole).element_density(25.0);
    ASSERT_EQ(again.grid().extent().xmin, whole.density.grid().extent().xmin);
    ASSERT_EQ(again.grid().extent().ymax, whole.density.grid().extent().ymax);
    ASSERT_EQ(again.grid().rows(), whole.density.grid().rows());
    ASSERT_EQ(again.grid().cols(), whole.density.grid().cols());
    EXPECT_EQ(again.values(), whole.density.values());
    EXPECT_EQ(again.mask(), whole.density.mask());
    // An independent figure for one cell: (0..25, 50..75) holds the hedge strip from x = 10
    // to 25 (its centre-line at y = 60..60.58, 3 m wide, all inside the cell, flat end at
    // x = 10 square to the line), i.e. 15 m x 3 m / cos(angle) of 625 m²; X does not reach
    // this cell.
    const Grid& g = again.grid();
    const std::size_t row = std::size_t(g.row_of(60.0)), col = std::size_t(g.col_of(10.0));
    const double slope = 7.0 / 180.0;
    EXPECT_NEAR(again.values()[row * g.cols() + col],
                15.0 * 3.0 * std::sqrt(1 + slope * slope) / 625.0,
                1e-6);
    EXPECT_TRUE(MergedAreas(whole).element_density(0.0).grid().empty());
}

TEST(MergedMeasurement, OutsideStudyWarningEqualsThatOfTheWholeMeasurement)
{
    MeasureRequest r = overlapping_case();
    r.study_area_wkb = { wkb(square(0, 0, 200)) }; // Y (at 400, 400) lies outside
    AreaFeature z;
    z.id = "Z";
    z.fid = 9;
    z.wkb = wkb(square(-300, -300, 50)); // outside too
    r.areas.push_back(z);
    const MeasureResult whole = measure(r);
    const std::string again = MergedAreas(whole).outside_study_warning("areas");
    EXPECT_EQ(again, "areas: areas outside the study area (measured as 0 ha): Y, Z");
    EXPECT_NE(std::find(whole.warnings.begin(), whole.warnings.end(), again), whole.warnings.end());
    EXPECT_EQ(MergedAreas(measure(overlapping_case())).outside_study_warning("areas"), "");
}
