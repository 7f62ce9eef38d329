#pragma once
/// @file change.h
/// Change of landscape elements between two measurement years of the same areas (monitoring).
/// Inputs are the outputs of two runs as WKB in one projected CRS in metres; the engine knows
/// no file formats.
///
/// Method, per area, with A_t / B_t the owned element geometry of type t before / after
/// (types are disjoint within a run), EA = ∪A_t, EB = ∪B_t and RB the later run's rural land.
/// compare_area() numbers its steps alike.
///  1. Reclassified t→u (u ≠ t): A_t ∩ B_u, land that stayed element land but changed type.
///     It is neither a loss of t nor a gain of u.
///  2. Disappeared land D_t = A_t − EB splits into masked_t = D_t − RB (land the later run's
///     masks took out of its rural land, e.g. a new building over a hedge: reported apart,
///     not a loss, since the later run did not look there) and raw lost_t = D_t ∩ RB.
///  3. Raw gained_t = B_t − EA.
///  4. Realignment (noise is not change), with tolerance τ > 0. Digitising the same hedge
///     again a few decimetres off leaves a thin strip of loss on one side and of gain on the
///     other. For the raw lost land L of a type:
///       - thin = L − opening(L), the opening being buffer(buffer(L, −τ/2), +τ/2) with mitre
///         joins, so that a straight-edged part wider than τ opens back to itself exactly and
///         only parts narrower than τ are left;
///       - near = thin ∩ buffer(EB, τ) (round joins): the thin land within τ of the later
///         year's elements;
///       - an element that disappears whole is never noise: every connected part of A_t that
///         shares no land with EB (less than 1e-6 m², the slivers between a run's types,
///         counts as none) is taken out of `near` (a part that only touches a later element
///         along its edge has still disappeared whole);
///       - realigned = near, lost = L − near.
///     Gains likewise, with B_t, EA and the connected parts of B_t that share no land with
///     EA. With τ = 0 nothing is removed.
///  5. before_ha = area(A_t), after_ha = area(B_t), net_ha = after_ha − before_ha exactly; so
///     net = gained − lost − masked + reclassified in − reclassified out + realigned gained −
///     realigned lost, up to round-off.
/// All overlays are exact GEOS overlays (no snapping); hectares are m² / 1e4.
///
/// Work: a connected part of A_t that B_t holds too, coordinate for coordinate (and the same
/// part of B_t), adds to no figure: it is neither gone nor new, and it meets no other type's
/// land. Every step relates only land that overlaps or lies within τ, so the other, changed
/// parts of both years are grouped into clusters of parts within τ of each other
/// (transitively); the steps run cluster by cluster on small geometries: the changed parts,
/// with the unchanged ones within τ of them as the years' element land. In a landscape measured
/// again most parts are unchanged, and the work follows the change, not the area. Clusters are
/// taken in a fixed order within an area and areas run in parallel, each on its own GEOS context,
/// so results do not depend on the thread count.

#include "landel/core/progress.h"
#include "landel/geometry/geos_context.h"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace landel::analysis {

/// One area in one run (all WKB in the same projected CRS, metres).
struct AreaYear
{
    int year = 0;
    std::string area_wkb;               ///< the area as measured (for the caller's matching)
    std::string rural_wkb;              ///< its rural land ("" = none)
    std::vector<std::string> owned_wkb; ///< per type, in types order: owned geometry ("" = none)
};

struct ChangeOptions
{
    double tolerance_m = 0.5; ///< 0: no realignment
};

/// The change of one type in one area.
struct TypeChange
{
    double before_ha = 0, after_ha = 0;
    double gained_ha = 0, lost_ha = 0; ///< after realignment
    double net_ha = 0;                 ///< after_ha - before_ha, exactly
    /// before-element land of this type that is no element in `after` and is not rural land
    /// in `after`
    double masked_ha = 0;
    double realigned_ha = 0;        ///< gained + lost parts removed as noise
    double realigned_gained_ha = 0; ///< the part of realigned_ha removed from the gains
    double realigned_lost_ha = 0;   ///< the part of realigned_ha removed from the losses
    std::string gained_wkb, lost_wkb, realigned_wkb; ///< polygonal, "" = none
    std::string masked_wkb;                          ///< polygonal, "" = none
};

/// Land of type `from` before that is element land of type `to` after.
struct Reclassification
{
    std::size_t from = 0, to = 0;
    double ha = 0;
    std::string wkb; ///< polygonal
};

struct AreaChange
{
    std::vector<TypeChange> types;              ///< per type, in types order
    std::vector<Reclassification> reclassified; ///< non-empty ones, sorted by (from, to)
};

/// Compares one area between two years (before.year < after.year).
/// @throws InvalidArgument on mismatched type counts, years out of order or a negative or
/// non-finite tolerance; GeometryError when GEOS fails.
AreaChange compare_area(const geometry::GeosContext& ctx,
                        const AreaYear& before,
                        const AreaYear& after,
                        const ChangeOptions& options);

/// All areas, before[i] paired with after[i], in parallel over areas (TBB, one GEOS context
/// per worker); identical for any thread count. Errors name the area's index and, like
/// for_each_index, the one of the lowest index is thrown.
/// @throws InvalidArgument when the lists differ in length, or as compare_area.
std::vector<AreaChange> compare_areas(const std::vector<AreaYear>& before,
                                      const std::vector<AreaYear>& after,
                                      const ChangeOptions& options,
                                      const Progress& progress = {});

/// Several pairs of years of the same areas at once: result[p][i] compares area i of
/// years[pairs[p].first] with area i of years[pairs[p].second], as compare_area. One parallel
/// loop over every pair and area, so that a pair's slowest areas do not leave cores idle
/// before the next pair starts; identical for any thread count. Errors name the area's
/// index and the pair's years.
/// @throws InvalidArgument when the years hold different numbers of areas or a pair names
/// no year, or as compare_area.
std::vector<std::vector<AreaChange>> compare_pairs(
  const std::vector<std::vector<AreaYear>>& years,
  const std::vector<std::pair<std::size_t, std::size_t>>& pairs,
  const ChangeOptions& options,
  const Progress& progress = {});

} // namespace landel::analysis
