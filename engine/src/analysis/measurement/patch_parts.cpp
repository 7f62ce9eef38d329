// The patch rule judged part by part (patch_parts.h): the parts a whole run judges, parsed by
// the code measure() parses them with (element_shapes.cpp, rural_land.cpp), and each cluster
// united by filter_patches() on its parts in content order, as union_by_clusters() unites it.
#include "landel/analysis/measurement/patch_parts.h"

#include "landel/core/error.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"
#include "measure_stages.h"

#include <algorithm>
#include <deque>
#include <map>
#include <numeric>

namespace landel::analysis {

using geometry::GeomPtr;

namespace {

/// The judged polygons of one feature, with the keys that order them as measure() does.
struct FeatureParts
{
    GeomPtr parsed;                         ///< a mask's polygonal part (owns the polygons)
    std::vector<GeomPtr> owned;             ///< an element's patch polygons
    std::vector<const GEOSGeometry*> polys; ///< the parts, in part order
    std::deque<std::string> part_wkbs;      ///< an element part's content, which its key names
    std::vector<detail::ContentKey> keys;   ///< per part
    bool repaired = false;
};

FeatureParts parts_of(const geometry::GeosContext& ctx,
                      const MeasureRequest& request,
                      PatchSourceKind kind,
                      std::size_t source,
                      std::size_t feature)
{
    FeatureParts out;
    if (kind == PatchSourceKind::mask) {
        const MaskSource& src = request.masks[source];
        out.parsed = detail::parse_mask(ctx, src, feature, out.repaired);
        out.polys = detail::mask_patch_polygons(ctx, out.parsed.get());
        for (std::size_t j = 0; j < out.polys.size(); ++j)
            out.keys.push_back(detail::ContentKey{
              src.group, geometry::envelope(ctx, out.polys[j]), &src.wkb[feature], j });
        return out;
    }
    const ElementSource& src = request.sources[source];
    detail::ParsedElement p = detail::parse_feature(ctx, src, src.features[feature]);
    out.repaired = p.repaired;
    out.owned = std::move(p.patch_polygons);
    for (const GeomPtr& poly : out.owned) {
        out.polys.push_back(poly.get());
        out.part_wkbs.push_back(geometry::to_wkb(ctx, poly.get()));
        out.keys.push_back(detail::ContentKey{
          int(source), geometry::envelope(ctx, poly.get()), &out.part_wkbs.back(), 0 });
    }
    return out;
}

std::size_t feature_count(const MeasureRequest& request, PatchSourceKind kind, std::size_t source)
{
    return kind == PatchSourceKind::mask ? request.masks[source].wkb.size()
                                         : request.sources[source].features.size();
}

SourcePatchParts source_parts(geometry::Contexts& contexts,
                              const MeasureRequest& request,
                              PatchSourceKind kind,
                              std::size_t source)
{
    const std::size_t n = feature_count(request, kind, source);
    std::vector<std::vector<PatchPart>> per_feature(n);
    std::vector<char> repaired(n, 0);
    parallel::for_each_index(n, [&](std::size_t i) {
        const geometry::GeosContext& ctx = contexts.local();
        const FeatureParts parts = parts_of(ctx, request, kind, source, i);
        repaired[i] = parts.repaired ? 1 : 0;
        for (std::size_t j = 0; j < parts.polys.size(); ++j)
            per_feature[i].push_back(
              PatchPart{ i, j, parts.keys[j].env, geometry::area(ctx, parts.polys[j]) });
    });
    SourcePatchParts out;
    for (std::size_t i = 0; i < n; ++i) {
        if (repaired[i])
            out.repaired_at.push_back(i);
        out.parts.insert(out.parts.end(), per_feature[i].begin(), per_feature[i].end());
    }
    return out;
}

} // namespace

PatchParts patch_parts(const MeasureRequest& request)
{
    geometry::Contexts contexts; // first: every geometry below is destroyed before it
    PatchParts out;
    for (std::size_t s = 0; s < request.masks.size(); ++s)
        out.masks.push_back(
          request.masks[s].min_patch_ha
            ? std::optional(source_parts(contexts, request, PatchSourceKind::mask, s))
            : std::nullopt);
    for (std::size_t s = 0; s < request.sources.size(); ++s)
        out.elements.push_back(
          request.sources[s].max_patch_ha
            ? std::optional(source_parts(contexts, request, PatchSourceKind::element, s))
            : std::nullopt);
    return out;
}

std::optional<double> patch_limit_m2(const MeasureRequest& request,
                                     PatchSourceKind kind,
                                     std::size_t source)
{
    // The same expressions as measure()'s (element_shapes.cpp, rural_land.cpp), so that the
    // limit is the same double.
    const std::optional<double> ha = kind == PatchSourceKind::mask
                                       ? request.masks.at(source).min_patch_ha
                                       : request.sources.at(source).max_patch_ha;
    if (!ha)
        return std::nullopt;
    return *ha * 1e4;
}

ClusterVerdict judge_alone(const PatchPart& part, double limit_m2)
{
    ClusterVerdict v;
    v.patches = 1;
    const bool over = part.area_m2 > limit_m2; // as filter_patches() judges a patch
    v.over_limit.push_back(over);
    if (over)
        v.over_m2.push_back(part.area_m2);
    return v;
}

std::vector<ClusterVerdict> judge_clusters(const MeasureRequest& request,
                                           PatchSourceKind kind,
                                           std::size_t source,
                                           const std::vector<std::vector<PartOf>>& clusters)
{
    const std::optional<double> limit = patch_limit_m2(request, kind, source);
    if (!limit)
        throw InvalidArgument("judge_clusters: the source has no patch rule");
    const std::size_t n = feature_count(request, kind, source);

    // Parse each feature named once, whatever the number of its parts named.
    std::vector<std::size_t> named;
    for (const auto& cluster : clusters)
        for (const PartOf& at : cluster) {
            if (at.first >= n)
                throw InvalidArgument("judge_clusters: feature " + std::to_string(at.first) +
                                      " is not in the source; judge the patches again");
            named.push_back(at.first);
        }
    std::sort(named.begin(), named.end());
    named.erase(std::unique(named.begin(), named.end()), named.end());

    geometry::Contexts contexts; // first: every geometry below is destroyed before it
    std::vector<FeatureParts> parsed(named.size());
    parallel::for_each_index(named.size(), [&](std::size_t k) {
        parsed[k] = parts_of(contexts.local(), request, kind, source, named[k]);
    });
    const auto parts_at = [&](const PartOf& at) -> const FeatureParts& {
        return parsed[std::size_t(std::lower_bound(named.begin(), named.end(), at.first) -
                                  named.begin())];
    };

    std::vector<ClusterVerdict> out(clusters.size());
    parallel::for_each_index(clusters.size(), [&](std::size_t c) {
        const std::vector<PartOf>& members = clusters[c];
        for (const PartOf& at : members)
            if (at.second >= parts_at(at).polys.size())
                throw InvalidArgument("judge_clusters: feature " + std::to_string(at.first) +
                                      " has no part " + std::to_string(at.second) +
                                      "; judge the patches again");
        // Content order, as the whole run meets the cluster's parts.
        std::vector<std::size_t> order(members.size());
        std::iota(order.begin(), order.end(), std::size_t(0));
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return parts_at(members[a]).keys[members[a].second] <
                   parts_at(members[b]).keys[members[b].second];
        });
        std::vector<const GEOSGeometry*> polys;
        for (std::size_t k : order)
            polys.push_back(parts_at(members[k]).polys[members[k].second]);
        const PatchFilterResult judged = filter_patches(contexts.local(), polys, *limit);
        ClusterVerdict& v = out[c];
        v.over_limit.assign(members.size(), false);
        for (std::size_t k = 0; k < order.size(); ++k)
            v.over_limit[order[k]] = !judged.keep[k];
        v.patches = judged.patches;
        v.over_m2 = judged.dropped_areas_m2;
    });
    return out;
}

} // namespace landel::analysis
