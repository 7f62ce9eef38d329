#pragma once
// Internal: the patches of a run's max_patch_ha / min_patch_ha sources, judged once on the
// whole sources (pieces.h, judge_patches) and handed to every piece by feature id, so that a
// piece reads those sources only near its areas; as bytes (CBOR), and back.

#include "landel/analysis/measurement/measurement.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

/// One source's judgement, by feature id (the ids the source's layer gives). Flat arrays, so
/// that a judgement of millions of features stays small in every piece.
struct SourcePatches
{
    std::vector<std::int64_t> fids; ///< every feature read from the whole source, ascending
    /// Per feature in fids, the position of its first part in over_limit (and one past the
    /// last feature's last part at the end).
    std::vector<std::size_t> first_part;
    /// Per polygon part, in feature and part order: 1 when its patch is over the limit.
    std::vector<std::uint8_t> over_limit;
    std::vector<std::int64_t> repaired; ///< ids of the features repaired
    std::size_t patches = 0, over = 0;
    double over_ha = 0.0;

    /// The judgement for @p fids (a piece's features of the source, in its order). Throws
    /// Error naming @p label when one of them was not judged (the source changed).
    std::shared_ptr<const analysis::JudgedPatches> for_features(
      const std::vector<std::int64_t>& fids,
      const std::string& label) const;
};

/// Per vector mask source and per vector element source (in the request's order): the
/// judgement, or null for a source without a patch rule.
struct PatchVerdicts
{
    std::vector<std::shared_ptr<const SourcePatches>> masks, elements;

    const SourcePatches* mask(std::size_t s) const
    {
        return s < masks.size() ? masks[s].get() : nullptr;
    }
    const SourcePatches* element(std::size_t s) const
    {
        return s < elements.size() ? elements[s].get() : nullptr;
    }
};

/// The verdicts of @p judgement on sources whose features had @p mask_fids / @p element_fids.
PatchVerdicts verdicts_of(const analysis::PatchJudgement& judgement,
                          const std::vector<std::vector<std::int64_t>>& mask_fids,
                          const std::vector<std::vector<std::int64_t>>& element_fids);

std::string to_bytes(const PatchVerdicts& verdicts);
/// @throws Error when @p bytes are not patch verdicts of this landel version.
PatchVerdicts patch_verdicts_from_bytes(const std::string& bytes);

} // namespace landel::pipeline::detail
