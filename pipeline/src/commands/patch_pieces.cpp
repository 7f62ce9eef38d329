// The patches of a run in pieces judged in parts (patch_pieces.h). The engine parses and unites
// (analysis/measurement/patch_parts.h); this file reads the tiles and groups, makes the plan
// and puts the verdicts together in the order a whole run sums them.
#include "landel/pipeline/patch_pieces.h"

#include "commands/piece_copies.h"
#include "landel/analysis/measurement/patch_parts.h"
#include "landel/core/error.h"
#include "landel/core/z_order.h"
#include "landel/geometry/envelope_clusters.h"
#include "landel/io/indexed_copy.h"
#include "landel/pipeline/version.h"
#include "stages/inputs.h"
#include "stages/landel_bytes.h"
#include "stages/patch_verdicts.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <tuple>

namespace landel::pipeline {

using analysis::PatchSourceKind;
using detail::cbor_bytes;
using nlohmann::json;

namespace {

constexpr const char* kind_names[] = { "masks", "elements" };

/// @p bytes as the object tagged @p tag by this landel; Error naming @p what otherwise.
json decoded(const std::string& bytes, const char* tag, const std::string& what)
{
    return detail::tagged_object(bytes, tag, what, "judge the patches with one landel");
}

/// The sources with a patch rule, read near @p near only.
detail::LoadedInputs load_patch_sources(const Config& config,
                                        const std::vector<Box>& near,
                                        const std::vector<LayerCopy>& copies)
{
    RunLog log;
    const io::Crs crs = detail::run_crs(config);
    AreaScope scope;
    scope.patch_sources_only = true;
    scope.patch_sources_near = BoxSet(near);
    return detail::load_inputs(config, crs, log, true, {}, scope, detail::by_source(copies));
}

/// The feature ids of source @p s of @p kind as loaded.
std::vector<std::int64_t> fids_of(const detail::LoadedInputs& inputs,
                                  PatchSourceKind kind,
                                  std::size_t s)
{
    if (kind == PatchSourceKind::mask)
        return inputs.mask_fids.at(s);
    std::vector<std::int64_t> fids;
    for (const analysis::ElementFeature& f : inputs.request.sources.at(s).features)
        fids.push_back(f.fid);
    return fids;
}

// --- a tile's parts ------------------------------------------------------------------------

json tile_source(const analysis::SourcePatchParts& parts,
                 const std::vector<std::int64_t>& fids,
                 double limit_m2)
{
    std::vector<std::int64_t> repaired, part_fid;
    std::vector<std::size_t> part;
    std::vector<double> env, area;
    for (std::size_t i : parts.repaired_at)
        repaired.push_back(fids[i]);
    for (const analysis::PatchPart& p : parts.parts) {
        part_fid.push_back(fids[p.feature]);
        part.push_back(p.part);
        env.insert(env.end(), { p.env.xmin, p.env.ymin, p.env.xmax, p.env.ymax });
        area.push_back(p.area_m2);
    }
    return { { "fids", fids }, { "repaired", repaired }, { "part_fid", part_fid }, { "part", part },
             { "env", env },   { "area", area },         { "limit_m2", limit_m2 } };
}

// --- the plan ------------------------------------------------------------------------------

/// One source's parts from every tile, each feature once.
struct SourceParts
{
    double limit_m2 = 0.0;
    std::map<std::int64_t, std::vector<std::pair<Box, double>>> parts; ///< by fid, in part order
    std::vector<std::int64_t> repaired;
};

void add_tile_source(const json& t, SourceParts& into)
{
    into.limit_m2 = t.at("limit_m2").get<double>();
    const auto fids = t.at("fids").get<std::vector<std::int64_t>>();
    const auto part_fid = t.at("part_fid").get<std::vector<std::int64_t>>();
    const auto part = t.at("part").get<std::vector<std::size_t>>();
    const auto env = t.at("env").get<std::vector<double>>();
    const auto area = t.at("area").get<std::vector<double>>();
    for (std::int64_t fid : t.at("repaired").get<std::vector<std::int64_t>>())
        into.repaired.push_back(fid);
    // A feature near two tiles is read by both, with the same parts: the first tile's stay.
    std::map<std::int64_t, std::vector<std::pair<Box, double>>> read;
    for (std::int64_t fid : fids)
        read[fid];
    for (std::size_t k = 0; k < part_fid.size(); ++k) {
        auto& of = read[part_fid[k]];
        if (part[k] != of.size())
            throw Error("patch tile of landel whose parts are out of order");
        of.emplace_back(Box{ env[4 * k], env[4 * k + 1], env[4 * k + 2], env[4 * k + 3] }, area[k]);
    }
    for (auto& [fid, parts] : read)
        into.parts.emplace(fid, std::move(parts));
}

/// A cluster of several parts, waiting for a group: its source and its members' feature id,
/// part and envelope, in the whole run's order.
struct WideCluster
{
    std::size_t kind = 0, source = 0;
    std::vector<std::tuple<std::int64_t, std::size_t, Box>> members;
};

/// [kind][source]: the parts every tile read; the features each tile read into @p result.
std::vector<std::vector<std::optional<SourceParts>>> parts_of_tiles(
  const std::vector<std::string>& tiles,
  PatchClusterPlan& result)
{
    std::vector<std::vector<std::optional<SourceParts>>> sources(2);
    for (const std::string& bytes : tiles) {
        const json t = decoded(bytes, "landel_patch_tile", "patch tiles");
        result.tile_features.push_back(t.at("features").get<std::size_t>());
        for (std::size_t k = 0; k < 2; ++k) {
            const json& of_kind = t.at(kind_names[k]);
            sources[k].resize(std::max(sources[k].size(), of_kind.size()));
            for (std::size_t s = 0; s < of_kind.size(); ++s) {
                if (of_kind[s].is_null())
                    continue;
                if (!sources[k][s])
                    sources[k][s].emplace();
                add_tile_source(of_kind[s], *sources[k][s]);
            }
        }
    }
    return sources;
}

/// The plan of one source: its features (ascending ids) and their parts, and its clusters in
/// the order the whole run meets them, each alone part's area kept for its verdict; the
/// clusters of several parts are appended to @p wide.
json plan_source(const SourceParts& src,
                 std::size_t kind,
                 std::size_t source,
                 std::vector<WideCluster>& wide,
                 PatchClusterPlan& result)
{
    std::vector<std::int64_t> fids, part_fid, repaired = src.repaired;
    std::vector<std::size_t> first_part, part;
    std::vector<Box> env;
    std::vector<double> area;
    for (const auto& [fid, parts] : src.parts) {
        fids.push_back(fid);
        first_part.push_back(env.size());
        for (std::size_t j = 0; j < parts.size(); ++j) {
            part_fid.push_back(fid);
            part.push_back(j);
            env.push_back(parts[j].first);
            area.push_back(parts[j].second);
        }
    }
    first_part.push_back(env.size());
    std::sort(repaired.begin(), repaired.end());
    repaired.erase(std::unique(repaired.begin(), repaired.end()), repaired.end());
    result.parts += env.size();

    // The clusters in the whole run's order: it meets the parts in content order, envelope
    // first; parts with equal envelopes fall in one cluster, so ordering ties by id leaves
    // every cluster's first part, and so the clusters' order, unchanged.
    std::vector<std::size_t> order(env.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::tie(env[a].xmin, env[a].ymin, env[a].xmax, env[a].ymax, a) <
               std::tie(env[b].xmin, env[b].ymin, env[b].xmax, env[b].ymax, b);
    });
    std::vector<Box> ordered;
    for (std::size_t i : order)
        ordered.push_back(env[i]);
    std::vector<std::size_t> members, cluster_start;
    std::vector<std::int64_t> cluster_wide; // per cluster: its position in `wide`, or -1
    for (const auto& cluster : geometry::envelope_clusters(ordered)) {
        cluster_start.push_back(members.size());
        for (std::size_t i : cluster)
            members.push_back(order[i]);
        if (cluster.size() == 1) {
            cluster_wide.push_back(-1);
            continue;
        }
        cluster_wide.push_back(std::int64_t(wide.size()));
        WideCluster& w = wide.emplace_back(WideCluster{ kind, source, {} });
        for (std::size_t i : cluster)
            w.members.emplace_back(part_fid[order[i]], part[order[i]], env[order[i]]);
        result.clustered += cluster.size();
    }
    cluster_start.push_back(members.size());
    return { { "fids", fids },
             { "first_part", first_part },
             { "repaired", repaired },
             { "limit_m2", src.limit_m2 },
             { "area", area },
             { "members", members },
             { "cluster_start", cluster_start },
             { "cluster_wide", cluster_wide } };
}

/// The @p wide clusters along a Z-order curve of their centres, so that a group's clusters lie
/// close together and its reading box stays small.
std::vector<std::size_t> along_z_order(const std::vector<WideCluster>& wide)
{
    std::vector<Box> boxes(wide.size());
    Box all;
    for (std::size_t w = 0; w < wide.size(); ++w) {
        for (const auto& member : wide[w].members)
            boxes[w].expand(std::get<Box>(member));
        all.expand(boxes[w]);
    }
    std::vector<std::pair<std::uint64_t, std::size_t>> keyed;
    for (std::size_t w = 0; w < wide.size(); ++w)
        keyed.emplace_back(z_order_key(0.5 * (boxes[w].xmin + boxes[w].xmax),
                                       0.5 * (boxes[w].ymin + boxes[w].ymax),
                                       all),
                           w);
    std::sort(keyed.begin(), keyed.end());
    std::vector<std::size_t> order;
    for (const auto& [key, w] : keyed)
        order.push_back(w);
    return order;
}

/// The @p wide clusters into @p groups groups of nearby clusters of about equal part count (the
/// last ones may be empty, so that a caller can lay out its tasks before the plan is made):
/// each group's bytes into @p result, where each cluster went into @p plan.
void group_wide_clusters(const std::vector<WideCluster>& wide,
                         std::size_t groups,
                         json& plan,
                         PatchClusterPlan& result)
{
    std::vector<std::size_t> wide_group(wide.size()), wide_slot(wide.size());
    std::vector<json> group_sources(groups, json::array());
    std::vector<std::vector<Box>> group_boxes(groups);
    std::map<std::tuple<std::size_t, std::size_t, std::size_t>, std::size_t> entry_of;
    std::size_t done = 0;
    for (const std::size_t w : along_z_order(wide)) {
        const std::size_t g = std::min(groups - 1, done * groups / result.clustered);
        done += wide[w].members.size();
        const auto key = std::make_tuple(g, wide[w].kind, wide[w].source);
        auto at = entry_of.find(key);
        if (at == entry_of.end()) {
            at = entry_of.emplace(key, group_sources[g].size()).first;
            group_sources[g].push_back({ { "kind", wide[w].kind },
                                         { "source", wide[w].source },
                                         { "clusters", json::array() } });
        }
        json& clusters = group_sources[g][at->second]["clusters"];
        wide_group[w] = g;
        wide_slot[w] = clusters.size();
        std::vector<std::int64_t> fid;
        std::vector<std::size_t> part;
        for (const auto& [f, p, box] : wide[w].members) {
            fid.push_back(f);
            part.push_back(p);
            group_boxes[g].push_back(box);
        }
        clusters.push_back({ { "fid", fid }, { "part", part } });
    }
    plan["wide_group"] = wide_group;
    plan["wide_slot"] = wide_slot;
    plan["groups"] = groups;
    for (std::size_t g = 0; g < groups; ++g) {
        std::vector<double> boxes;
        for (const Box& b : group_boxes[g])
            boxes.insert(boxes.end(), { b.xmin, b.ymin, b.xmax, b.ymax });
        result.group_parts.push_back(group_boxes[g].size());
        result.groups.push_back(cbor_bytes({ { "landel_patch_group", version() },
                                             { "group", g },
                                             { "boxes", boxes },
                                             { "sources", group_sources[g] } }));
    }
}

} // namespace

std::vector<Box> plan_patch_tiles(const Config& config,
                                  std::size_t per_side,
                                  const std::vector<LayerCopy>& copies)
{
    if (per_side == 0)
        throw Error("plan_patch_tiles: ask for at least one tile per side");
    RunLog log;
    const io::Crs crs = detail::run_crs(config);
    const detail::LayerCopies by_key = detail::by_source(copies);
    detail::LoadedInputs recorded;
    Box extent;
    const auto add = [&](const SourceConfig& src) {
        io::VectorRequest request = detail::vector_request(src);
        if (const auto copy = by_key.find(io::layer_key(request)); copy != by_key.end())
            request.copy = copy->second;
        extent.expand(detail::open_recorded(request, crs, recorded)->extent());
    };
    for (const MaskConfig& m : config.masks)
        if (!m.raster() && m.min_patch_ha)
            add(m);
    for (const ElementConfig& e : config.elements)
        if (!e.raster() && e.max_patch_ha)
            add(e);
    if (extent.empty())
        return {};
    // The outer tiles reach a metre beyond the extent, so that rounding in a reprojected
    // extent leaves no feature unread.
    extent = grown(extent, 1.0);
    std::vector<Box> tiles;
    const double w = extent.width() / double(per_side), h = extent.height() / double(per_side);
    for (std::size_t r = 0; r < per_side; ++r)
        for (std::size_t c = 0; c < per_side; ++c)
            tiles.push_back(
              Box{ extent.xmin + double(c) * w,
                   extent.ymin + double(r) * h,
                   c + 1 == per_side ? extent.xmax : extent.xmin + double(c + 1) * w,
                   r + 1 == per_side ? extent.ymax : extent.ymin + double(r + 1) * h });
    return tiles;
}

std::string patch_tile(const Config& config, const Box& tile, const std::vector<LayerCopy>& copies)
{
    const detail::LoadedInputs inputs = load_patch_sources(config, { tile }, copies);
    const analysis::PatchParts parts = analysis::patch_parts(inputs.request);
    std::size_t features = 0;
    for (const auto& fids : inputs.mask_fids)
        features += fids.size();
    for (const analysis::ElementSource& src : inputs.request.sources)
        features += src.features.size();
    json out{ { "landel_patch_tile", version() }, { "features", features } };
    for (const PatchSourceKind kind : { PatchSourceKind::mask, PatchSourceKind::element }) {
        const auto& of_kind = kind == PatchSourceKind::mask ? parts.masks : parts.elements;
        json sources = json::array();
        for (std::size_t s = 0; s < of_kind.size(); ++s)
            sources.push_back(of_kind[s]
                                ? tile_source(*of_kind[s],
                                              fids_of(inputs, kind, s),
                                              *analysis::patch_limit_m2(inputs.request, kind, s))
                                : json(nullptr));
        out[kind_names[int(kind)]] = std::move(sources);
    }
    return cbor_bytes(out);
}

PatchClusterPlan plan_patch_clusters(const std::vector<std::string>& tiles, std::size_t groups)
{
    if (tiles.empty())
        throw Error("plan_patch_clusters: no tile");
    PatchClusterPlan result;
    const auto sources = parts_of_tiles(tiles, result);
    json plan{ { "landel_patch_plan", version() } };
    std::vector<WideCluster> wide;
    for (std::size_t k = 0; k < 2; ++k) {
        json of_kind = json::array();
        for (std::size_t s = 0; s < sources[k].size(); ++s)
            of_kind.push_back(sources[k][s] ? plan_source(*sources[k][s], k, s, wide, result)
                                            : json(nullptr));
        plan[kind_names[k]] = std::move(of_kind);
    }
    group_wide_clusters(wide, std::max<std::size_t>(groups, 1), plan, result);
    result.plan = cbor_bytes(plan);
    return result;
}

std::string judge_patch_group(const Config& config,
                              const std::string& group,
                              const std::vector<LayerCopy>& copies)
{
    const json g = decoded(group, "landel_patch_group", "patch groups");
    const auto flat = g.at("boxes").get<std::vector<double>>();
    std::vector<Box> near;
    for (std::size_t k = 0; k + 3 < flat.size(); k += 4)
        near.push_back(Box{ flat[k], flat[k + 1], flat[k + 2], flat[k + 3] });
    const detail::LoadedInputs inputs = load_patch_sources(config, near, copies);

    json out_sources = json::array();
    for (const json& entry : g.at("sources")) {
        const auto kind = PatchSourceKind(entry.at("kind").get<int>());
        const auto s = entry.at("source").get<std::size_t>();
        const std::vector<std::int64_t> fids = fids_of(inputs, kind, s);
        std::map<std::int64_t, std::size_t> position;
        for (std::size_t i = 0; i < fids.size(); ++i)
            position.emplace(fids[i], i);
        std::vector<std::vector<analysis::PartOf>> clusters;
        for (const json& c : entry.at("clusters")) {
            const auto fid = c.at("fid").get<std::vector<std::int64_t>>();
            const auto part = c.at("part").get<std::vector<std::size_t>>();
            auto& members = clusters.emplace_back();
            for (std::size_t m = 0; m < fid.size(); ++m) {
                const auto at = position.find(fid[m]);
                if (at == position.end())
                    throw Error("patch group: feature " + std::to_string(fid[m]) +
                                " of a patch source was not there when read again; judge the "
                                "patches again");
                members.emplace_back(at->second, part[m]);
            }
        }
        json verdicts = json::array();
        for (const analysis::ClusterVerdict& v :
             analysis::judge_clusters(inputs.request, kind, s, clusters)) {
            std::vector<std::uint8_t> over(v.over_limit.begin(), v.over_limit.end());
            verdicts.push_back({ { "over", json::binary(over) },
                                 { "patches", v.patches },
                                 { "over_m2", v.over_m2 } });
        }
        out_sources.push_back(
          { { "kind", int(kind) }, { "source", s }, { "verdicts", std::move(verdicts) } });
    }
    return cbor_bytes({ { "landel_patch_group_verdicts", version() },
                        { "group", g.at("group") },
                        { "sources", std::move(out_sources) } });
}

std::string patch_verdicts(const std::string& plan_bytes, const std::vector<std::string>& judged)
{
    const json plan = decoded(plan_bytes, "landel_patch_plan", "patch plans");
    const auto groups = plan.at("groups").get<std::size_t>();
    if (judged.size() != groups)
        throw Error("patch verdicts: " + std::to_string(judged.size()) +
                    " groups judged, the plan has " + std::to_string(groups));
    // [group][(kind, source)]: the verdicts of its clusters, in their slot order.
    std::vector<std::map<std::pair<std::size_t, std::size_t>, json>> of_group(groups);
    for (const std::string& bytes : judged) {
        const json r = decoded(bytes, "landel_patch_group_verdicts", "patch group verdicts");
        const auto g = r.at("group").get<std::size_t>();
        if (g >= groups || !of_group[g].empty())
            throw Error("patch verdicts: group " + std::to_string(g) +
                        " is not the plan's or given twice");
        for (const json& s : r.at("sources"))
            of_group[g][{ s.at("kind").get<std::size_t>(), s.at("source").get<std::size_t>() }] =
              s.at("verdicts");
    }
    const auto wide_group = plan.at("wide_group").get<std::vector<std::size_t>>();
    const auto wide_slot = plan.at("wide_slot").get<std::vector<std::size_t>>();

    detail::PatchVerdicts verdicts;
    for (std::size_t k = 0; k < 2; ++k) {
        auto& out = k == 0 ? verdicts.masks : verdicts.elements;
        for (std::size_t s = 0; s < plan.at(kind_names[k]).size(); ++s) {
            const json& p = plan.at(kind_names[k])[s];
            if (p.is_null()) {
                out.push_back(nullptr);
                continue;
            }
            auto src = std::make_shared<detail::SourcePatches>();
            src->fids = p.at("fids").get<std::vector<std::int64_t>>();
            src->first_part = p.at("first_part").get<std::vector<std::size_t>>();
            src->repaired = p.at("repaired").get<std::vector<std::int64_t>>();
            const auto limit_m2 = p.at("limit_m2").get<double>();
            const auto area = p.at("area").get<std::vector<double>>();
            const auto members = p.at("members").get<std::vector<std::size_t>>();
            const auto start = p.at("cluster_start").get<std::vector<std::size_t>>();
            const auto cluster_wide = p.at("cluster_wide").get<std::vector<std::int64_t>>();
            src->over_limit.assign(area.size(), 0);
            // The dropped areas summed in the order a whole run sums them: cluster by cluster,
            // each cluster's patches in the order its union gives them.
            double over_m2 = 0.0;
            for (std::size_t c = 0; c + 1 < start.size(); ++c) {
                analysis::ClusterVerdict v;
                if (cluster_wide[c] < 0) {
                    analysis::PatchPart alone;
                    alone.area_m2 = area[members[start[c]]];
                    v = analysis::judge_alone(alone, limit_m2);
                } else {
                    const auto w = std::size_t(cluster_wide[c]);
                    const auto found = of_group[wide_group[w]].find({ k, s });
                    if (found == of_group[wide_group[w]].end() ||
                        wide_slot[w] >= found->second.size())
                        throw Error("patch verdicts: group " + std::to_string(wide_group[w]) +
                                    " lacks a cluster of the plan");
                    const json& j = found->second[wide_slot[w]];
                    const auto& over = j.at("over").get_binary();
                    v.over_limit.assign(over.begin(), over.end());
                    v.patches = j.at("patches").get<std::size_t>();
                    v.over_m2 = j.at("over_m2").get<std::vector<double>>();
                }
                if (v.over_limit.size() != start[c + 1] - start[c])
                    throw Error("patch verdicts: a cluster's verdict does not fit the plan");
                for (std::size_t m = 0; m < v.over_limit.size(); ++m)
                    src->over_limit[members[start[c] + m]] = v.over_limit[m] ? 1 : 0;
                src->patches += v.patches;
                src->over += v.over_m2.size();
                for (double a : v.over_m2)
                    over_m2 += a;
            }
            src->over_ha = over_m2 / 1e4;
            out.push_back(std::move(src));
        }
    }
    return detail::to_bytes(verdicts);
}

} // namespace landel::pipeline
