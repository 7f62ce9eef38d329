#pragma once
/// @file patch_pieces.h
/// The patches of a run in pieces judged in parts too, so that no task reads a source with a
/// patch rule (`max_patch_ha`, `min_patch_ha`) whole (analysis/measurement/patch_parts.h):
///
/// 1. plan_patch_tiles(): tiles over the extent of those sources;
/// 2. patch_tile(): per tile, on any machine, the polygon parts of the features near the tile
///    (their envelopes and net areas);
/// 3. plan_patch_clusters(): the clusters of all parts' envelopes (boxes only); a part alone
///    in its cluster is judged there by its area, the clusters of several parts go to groups;
/// 4. judge_patch_group(): per group, on any machine, its clusters' features read near their
///    parts and each cluster united as a whole run unites it;
/// 5. patch_verdicts(): the judgement, the bytes judge_patches() gives, bit for bit.
///
/// Only a cluster is ever read whole: a forest whose parts touch from one end of the country to
/// the other is read by one task, every other source's part by the tasks near it.

#include "landel/core/box.h"
#include "landel/pipeline/config.h"
#include "landel/pipeline/pieces.h"

#include <cstddef>
#include <string>
#include <vector>

namespace landel::pipeline {

/// @p per_side × @p per_side tiles (row by row from the lower left) of equal size over the
/// extent of the config's vector sources with a patch rule, read from @p copies where given;
/// empty when no source has one (or the sources are empty). Throws like run().
std::vector<Box> plan_patch_tiles(const Config& config,
                                  std::size_t per_side,
                                  const std::vector<LayerCopy>& copies = {});

/// The polygon parts (feature id, part, envelope, net area) of the features of the sources
/// with a patch rule whose envelope meets @p tile, with the ids of every feature read and
/// repaired; as bytes (CBOR). Throws like run().
std::string patch_tile(const Config& config,
                       const Box& tile,
                       const std::vector<LayerCopy>& copies = {});

/// The plan made from every tile's parts (patch_tile()): the whole judgement but that of the
/// clusters of several parts, which are split into @p groups groups of about equal part count,
/// nearby clusters together (as bytes each, for judge_patch_group(); the last groups may be
/// empty).
struct PatchClusterPlan
{
    std::string plan;
    std::vector<std::string> groups;
    std::size_t parts = 0;                  ///< polygon parts of all sources
    std::size_t clustered = 0;              ///< of them in clusters of several parts
    std::vector<std::size_t> tile_features; ///< per tile: the features it read
    std::vector<std::size_t> group_parts;   ///< per group: the parts of its clusters
};
/// @throws Error when a tile's bytes are not landel's of this version.
PatchClusterPlan plan_patch_clusters(const std::vector<std::string>& tiles, std::size_t groups);

/// Judges the clusters of one group (plan_patch_clusters()) as a whole run judges them,
/// reading the sources with a patch rule near the group's parts only; as bytes (CBOR).
/// Throws like run(), or Error when a feature of the group is no longer there.
std::string judge_patch_group(const Config& config,
                              const std::string& group,
                              const std::vector<LayerCopy>& copies = {});

/// The judgement of @p plan with its groups' verdicts @p judged (in the plan's group order): the
/// bytes judge_patches() gives for the whole sources, for measure_piece(). Throws Error when a
/// group is missing or not landel's.
std::string patch_verdicts(const std::string& plan, const std::vector<std::string>& judged);

} // namespace landel::pipeline
