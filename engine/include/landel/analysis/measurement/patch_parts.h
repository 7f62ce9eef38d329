#pragma once
/// @file patch_parts.h
/// The patch rule (patch_filter.h) judged part by part, so that a run in pieces need not read
/// a source whole (pipeline/patch_pieces.h).
///
/// A whole run unites a source's polygon parts cluster by cluster: the parts whose envelopes
/// meet, directly or through others (geometry::union_by_clusters), each cluster in content
/// order. A patch never spans two clusters. The judgement therefore splits into three steps:
/// 1. patch_parts(): of any features of the source (those of one tile), each polygon part's
///    envelope and net area;
/// 2. the clusters of the whole source's part envelopes (geometry::envelope_clusters, boxes
///    only). A part alone in its cluster is its own patch, judged by its area (judge_alone());
/// 3. judge_clusters(): the parts of each cluster of several parts, read again and united as
///    the whole run unites them.
/// With the same parts, in the same order, united the same way, every verdict, patch count and
/// area equals the whole run's, bit for bit.

#include "landel/analysis/measurement/measurement.h"
#include "landel/analysis/measurement/patch_filter.h"
#include "landel/core/box.h"

#include <cstddef>
#include <optional>
#include <vector>

namespace landel::analysis {

/// One polygon part a patch rule judges.
struct PatchPart
{
    std::size_t feature = 0; ///< position of its feature in the request's source
    std::size_t part = 0;    ///< position among the judged polygons of the feature
    Box env;
    double area_m2 = 0.0; ///< net (holes excluded)
};

/// The judged parts of one source's features, in feature and part order.
struct SourcePatchParts
{
    std::vector<PatchPart> parts;
    std::vector<std::size_t> repaired_at; ///< features repaired, as SourceReport::repaired_at
};

/// Per mask source (min_patch_ha) and element source (max_patch_ha) of a request, in its
/// order: the parts of the features it holds; nothing for a source without a patch rule.
struct PatchParts
{
    std::vector<std::optional<SourcePatchParts>> masks, elements;
};

/// The parts measure() would judge of the features @p request holds (any subset of each
/// source's features). Throws InvalidArgument for features measure() rejects.
PatchParts patch_parts(const MeasureRequest& request);

/// Which of a request's sources a cluster's parts come from.
enum class PatchSourceKind
{
    mask,
    element
};

/// The judgement of one cluster of parts.
struct ClusterVerdict
{
    std::vector<bool> over_limit; ///< per member, in the order the members were given
    std::size_t patches = 0;
    std::vector<double> over_m2; ///< the net area of each patch over the limit, in order
};

/// The patch limit in m² of source @p source of @p kind in @p request (min_patch_ha of a mask,
/// max_patch_ha of an element source); nothing when it has no patch rule.
std::optional<double> patch_limit_m2(const MeasureRequest& request,
                                     PatchSourceKind kind,
                                     std::size_t source);

/// A part alone in its cluster: its own patch.
ClusterVerdict judge_alone(const PatchPart& part, double limit_m2);

/// Judges @p clusters of source @p source of @p kind of @p request: each a list of its parts as
/// (feature position in the source, part position), as measure() judges them on the whole
/// source. The request's source must hold every feature named. Throws InvalidArgument when a
/// part named does not exist (the features changed).
std::vector<ClusterVerdict> judge_clusters(const MeasureRequest& request,
                                           PatchSourceKind kind,
                                           std::size_t source,
                                           const std::vector<std::vector<PartOf>>& clusters);

} // namespace landel::analysis
