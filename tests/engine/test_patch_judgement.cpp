// Patches judged once on the whole source and handed to a piece that holds only some of the
// source's features (analysis::judge_patches, ElementSource::judged): the piece's figures are
// the whole run's, where judging its own features alone would not be.
#include "landel/analysis/measurement/measurement.h"
#include "landel/core/error.h"
#include "wkt.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace landel;
using namespace landel::analysis;
using test::square;
using test::wkb;

namespace {

ElementFeature wood(const std::string& wkt, std::int64_t fid)
{
    ElementFeature f;
    f.wkb = wkb(wkt);
    f.type = 0;
    f.width_m = NAN;
    f.fid = fid;
    return f;
}

/// Areas A = [0,100]² and B = [100,200]x[0,100]; woods (max_patch_ha 0.8): fid 1 and fid 2,
/// 0.5 ha each, share the edge x = 100 (a 1 ha patch: dropped); fid 3 has a 0.01 ha part in
/// A and one in B (two small patches: kept).
MeasureRequest woods_request(std::vector<std::string> areas)
{
    MeasureRequest r;
    r.areas_label = "areas";
    r.types = { "small_wood" };
    r.milestones = { { 2030, 0.05 }, { 2050, 0.10 } };
    for (const std::string& id : areas) {
        AreaFeature a;
        a.id = id;
        a.wkb = wkb(square(id == "A" ? 0 : 100, 0, 100));
        r.areas.push_back(a);
    }
    ElementSource woods;
    woods.label = "woods";
    woods.max_patch_ha = 0.8;
    woods.features = { wood("POLYGON((50 0,100 0,100 100,50 100,50 0))", 1),
                       wood("POLYGON((100 0,150 0,150 100,100 100,100 0))", 2),
                       wood("MULTIPOLYGON(((10 10,20 10,20 20,10 20,10 10)),"
                            "((160 10,170 10,170 20,160 20,160 10)))",
                            3) };
    r.sources = { woods };
    return r;
}

/// The judgement of @p whole for its features at @p positions, as a piece holding only those
/// would get it.
std::shared_ptr<const JudgedPatches> for_positions(const JudgedPatches& whole,
                                                   const std::vector<std::size_t>& positions)
{
    auto out = std::make_shared<JudgedPatches>(whole);
    out->over_limit.clear();
    for (std::size_t i : positions)
        out->over_limit.push_back(whole.over_limit.at(i));
    return out;
}

} // namespace

TEST(PatchJudgement, JudgesAsMeasureDoes)
{
    const PatchJudgement judged = judge_patches(woods_request({ "A", "B" }));
    ASSERT_EQ(judged.elements.size(), 1u);
    const JudgedPatches& woods = *judged.elements[0];
    EXPECT_EQ(woods.over_limit,
              (std::vector<std::vector<bool>>{ { true }, { true }, { false, false } }));
    EXPECT_EQ(woods.patches, 3u);
    EXPECT_EQ(woods.over, 1u);
    EXPECT_NEAR(woods.over_ha, 1.0, 1e-12);
    EXPECT_EQ(judged.element_reports.at(0).features, 3u);
}

TEST(PatchJudgement, PieceWithTheWholeJudgementGivesTheWholeRunsFigures)
{
    const MeasureResult whole = measure(woods_request({ "A", "B" }));
    ASSERT_NEAR(whole.areas.at(0).type_ha.at(0), 0.01, 1e-12); // only fid 3's part in A
    const PatchJudgement judged = judge_patches(woods_request({ "A", "B" }));

    // A piece of area A that read fid 1 and fid 3 only (fid 2 lies in B).
    MeasureRequest piece = woods_request({ "A" });
    piece.sources[0].features = { piece.sources[0].features[0], piece.sources[0].features[2] };
    const MeasureResult alone = measure(piece);
    EXPECT_NEAR(alone.areas.at(0).type_ha.at(0), 0.51, 1e-12) << "half the patch judged alone";

    piece.sources[0].judged = for_positions(*judged.elements[0], { 0, 2 });
    const MeasureResult given = measure(piece);
    EXPECT_EQ(given.areas.at(0).type_ha.at(0), whole.areas.at(0).type_ha.at(0));
    EXPECT_EQ(given.areas.at(0).element_ha, whole.areas.at(0).element_ha);
    EXPECT_EQ(given.element_reports.at(0).patches, 3u);
    EXPECT_EQ(given.element_reports.at(0).dropped_patches, 1u);
}

TEST(PatchJudgement, JudgementOfOtherFeaturesIsAnError)
{
    const PatchJudgement judged = judge_patches(woods_request({ "A", "B" }));
    MeasureRequest piece = woods_request({ "A" });
    piece.sources[0].judged = for_positions(*judged.elements[0], { 0 }); // three features held
    try {
        measure(piece);
        FAIL() << "a judgement of other features must not be used";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("woods: the patches were judged on other features"),
                  std::string::npos)
          << e.what();
    }
}
