// The patch rule judged part by part (analysis/measurement/patch_parts.h): the parts' areas,
// the clusters of their envelopes, judge_alone() and judge_clusters() put together in cluster
// order give judge_patches()' verdicts on the whole source, bit for bit, whatever order the
// features come in; a part that is not there is an error.
#include "landel/analysis/measurement/patch_parts.h"
#include "landel/core/error.h"
#include "landel/geometry/envelope_clusters.h"
#include "wkt.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>

using namespace landel;
using namespace landel::analysis;
using test::rect_wkb;
using test::wkb;

namespace {

/// A chain of five 130 m x 20 m woods overlapping by 20 m (a 1.14 ha patch), two 0.45 ha
/// woods touching in one point, the same 0.3 ha wood twice and a bow tie (repaired into two
/// triangles touching in a point); max_patch_ha 0.8. The same polygons as a mask with
/// min_patch_ha 0.4.
MeasureRequest woods_and_mask(bool reversed)
{
    std::vector<std::string> polygons;
    for (int k = 0; k < 5; ++k)
        polygons.push_back(rect_wkb(20 + 110 * k, 0, 150 + 110 * k, 20));
    polygons.push_back(rect_wkb(240, 100, 300, 175));
    polygons.push_back(rect_wkb(300, 25, 360, 100));
    polygons.push_back(rect_wkb(420, 100, 480, 150));
    polygons.push_back(rect_wkb(420, 100, 480, 150));
    polygons.push_back(wkb("POLYGON((520 120,560 160,560 120,520 160,520 120))"));
    if (reversed)
        std::reverse(polygons.begin(), polygons.end());

    MeasureRequest r;
    r.types = { "small_wood" };
    ElementSource woods;
    woods.label = "woods";
    woods.max_patch_ha = 0.8;
    MaskSource mask;
    mask.label = "forest";
    mask.min_patch_ha = 0.4;
    for (std::size_t i = 0; i < polygons.size(); ++i) {
        ElementFeature f;
        f.wkb = polygons[i];
        f.width_m = NAN;
        f.fid = std::int64_t(i);
        woods.features.push_back(f);
        mask.wkb.push_back(polygons[i]);
    }
    r.sources = { woods };
    r.masks = { mask };
    return r;
}

/// The judgement of one source put together from its parts as a run in pieces does it: the
/// envelopes clustered in content order, a part alone judged by its area, the clusters of
/// several by judge_clusters() (given their members in reverse, to show the order given does
/// not matter), the dropped areas summed cluster by cluster.
JudgedPatches judged_in_parts(const MeasureRequest& request, PatchSourceKind kind)
{
    const PatchParts all = patch_parts(request);
    const SourcePatchParts& parts =
      *(kind == PatchSourceKind::mask ? all.masks : all.elements).at(0);
    const double limit = *patch_limit_m2(request, kind, 0);
    std::vector<std::size_t> order(parts.parts.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const Box &x = parts.parts[a].env, &y = parts.parts[b].env;
        return std::tie(x.xmin, x.ymin, x.xmax, x.ymax, a) <
               std::tie(y.xmin, y.ymin, y.xmax, y.ymax, b);
    });
    std::vector<Box> boxes;
    for (std::size_t i : order)
        boxes.push_back(parts.parts[i].env);

    JudgedPatches out;
    out.over_limit.resize(kind == PatchSourceKind::mask ? request.masks[0].wkb.size()
                                                        : request.sources[0].features.size());
    double over_m2 = 0.0;
    for (const auto& cluster : geometry::envelope_clusters(boxes)) {
        std::vector<const PatchPart*> members;
        for (auto it = cluster.rbegin(); it != cluster.rend(); ++it)
            members.push_back(&parts.parts[order[*it]]);
        ClusterVerdict v;
        if (members.size() == 1) {
            v = judge_alone(*members.front(), limit);
        } else {
            std::vector<PartOf> at;
            for (const PatchPart* p : members)
                at.emplace_back(p->feature, p->part);
            v = judge_clusters(request, kind, 0, { at }).front();
        }
        for (std::size_t m = 0; m < members.size(); ++m) {
            auto& feature = out.over_limit[members[m]->feature];
            feature.resize(std::max(feature.size(), members[m]->part + 1), false);
            feature[members[m]->part] = v.over_limit[m];
        }
        out.patches += v.patches;
        out.over += v.over_m2.size();
        for (double a : v.over_m2)
            over_m2 += a;
    }
    out.over_ha = over_m2 / 1e4;
    return out;
}

void expect_same(const JudgedPatches& a, const JudgedPatches& b)
{
    EXPECT_EQ(a.over_limit, b.over_limit);
    EXPECT_EQ(a.patches, b.patches);
    EXPECT_EQ(a.over, b.over);
    EXPECT_EQ(a.over_ha, b.over_ha); // bit for bit: the same unions summed in the same order
}

} // namespace

TEST(PatchParts, AreTheFeaturesPolygonsWithTheirAreas)
{
    const MeasureRequest r = woods_and_mask(false);
    const PatchParts parts = patch_parts(r);
    ASSERT_TRUE(parts.elements.at(0) && parts.masks.at(0));
    const SourcePatchParts& woods = *parts.elements[0];
    ASSERT_EQ(woods.parts.size(), 11u) << "ten woods, the bow tie in two triangles";
    EXPECT_EQ(woods.repaired_at, std::vector<std::size_t>{ 9 });
    EXPECT_EQ(woods.parts[0].area_m2, 130.0 * 20.0);
    EXPECT_EQ(woods.parts[5].area_m2, 60.0 * 75.0);
    EXPECT_DOUBLE_EQ(woods.parts[9].area_m2 + woods.parts[10].area_m2, 2 * 0.5 * 40.0 * 20.0);
    EXPECT_EQ(woods.parts[9].feature, 9u);
    EXPECT_EQ(woods.parts[10].part, 1u);
}

TEST(PatchParts, PutTogetherAreTheWholeJudgement)
{
    for (bool reversed : { false, true }) {
        const MeasureRequest r = woods_and_mask(reversed);
        const PatchJudgement whole = judge_patches(r);
        const JudgedPatches woods = judged_in_parts(r, PatchSourceKind::element);
        expect_same(woods, *whole.elements.at(0));
        EXPECT_EQ(woods.patches, 6u);
        EXPECT_EQ(woods.over, 1u) << "the chain";
        EXPECT_DOUBLE_EQ(woods.over_ha, 570.0 * 20.0 / 1e4);
        const JudgedPatches forest = judged_in_parts(r, PatchSourceKind::mask);
        expect_same(forest, *whole.masks.at(0));
        EXPECT_EQ(forest.over, 3u) << "the chain and the two 0.45 ha woods mask";
    }
}

TEST(PatchParts, AClusterIsJudgedAlikeFromAnyFeatureOrder)
{
    const MeasureRequest forward = woods_and_mask(false), backward = woods_and_mask(true);
    // The chain: features 0..4 forward, 9..5 backward (the bow tie stays one feature).
    const ClusterVerdict a =
      judge_clusters(forward,
                     PatchSourceKind::element,
                     0,
                     { { { 0, 0 }, { 2, 0 }, { 4, 0 }, { 1, 0 }, { 3, 0 } } })
        .front();
    const ClusterVerdict b =
      judge_clusters(backward,
                     PatchSourceKind::element,
                     0,
                     { { { 5, 0 }, { 6, 0 }, { 7, 0 }, { 8, 0 }, { 9, 0 } } })
        .front();
    EXPECT_EQ(a.patches, 1u);
    EXPECT_EQ(a.over_m2, b.over_m2);
    EXPECT_EQ(a.over_limit, std::vector<bool>(5, true));
}

TEST(PatchParts, APartThatIsNotThereIsAnError)
{
    const MeasureRequest r = woods_and_mask(false);
    EXPECT_THROW(judge_clusters(r, PatchSourceKind::element, 0, { { { 0, 0 }, { 0, 1 } } }),
                 InvalidArgument);
    EXPECT_THROW(judge_clusters(r, PatchSourceKind::element, 0, { { { 0, 0 }, { 99, 0 } } }),
                 InvalidArgument);
}
