#pragma once
// Internal stages of delineate_overlay() (overlay_delineation.cpp). Not installed.

#include "landel/core/box.h"
#include "landel/core/progress.h"
#include "landel/geometry/contexts.h"
#include "landel/geometry/geos_context.h"

#include <cstddef>
#include <string>
#include <vector>

namespace landel::analysis::detail {

using geometry::Contexts;

/// A point compared by x, then y: "lowest vertex" in the tie rules of docs/delineation.md.
struct LowVertex
{
    double x = 0.0;
    double y = 0.0;

    bool operator<(const LowVertex& o) const { return x != o.x ? x < o.x : y < o.y; }
    bool operator==(const LowVertex& o) const { return x == o.x && y == o.y; }
};

/// The lowest vertex of a polygonal geometry (it lies on an exterior ring).
LowVertex lowest_vertex(const geometry::GeosContext& ctx, const GEOSGeometry* g);

/// One connected component of a class, before merging.
struct OverlayPart
{
    geometry::GeomPtr geom; ///< a Polygon
    std::size_t cls = 0;    ///< index into the sorted class names
    double area_m2 = 0.0;
    Box env;
    LowVertex low;
};

/// Parts after merging: every group becomes one area of its first member's class.
struct MergedParts
{
    /// Per group, the indices of its parts; the first is the part the others merged into.
    /// Groups are in the order of their first part.
    std::vector<std::vector<std::size_t>> groups;
    std::size_t merged = 0; ///< parts under the limit merged into a neighbour
};

/// Merges parts under @p min_area_m2 into neighbours by the rules of delineate_overlay().
/// @pre the parts are in a content-defined order (an index is the last tie-break) and form
///   a coverage whose neighbours share edges vertex for vertex.
/// Progress runs from @p from to @p to while borders are measured.
MergedParts merge_small_parts(Contexts& contexts,
                              const std::vector<OverlayPart>& parts,
                              double min_area_m2,
                              const Progress& progress,
                              double from,
                              double to);

/// Unites polygons that form a coverage without moving a coordinate (GEOS coverage union),
/// so borders shared with other parts stay identical; falls back to an ordinary union when
/// GEOS finds the input is not a clean coverage.
geometry::GeomPtr coverage_union(const geometry::GeosContext& ctx,
                                 const std::vector<const GEOSGeometry*>& polygons);

/// Per area, the name of the feature overlapping it most (largest intersection area; ties:
/// the smaller name in byte order); empty when no feature with a non-empty name overlaps it.
/// Features are found through an R-tree of their envelopes; areas run on TBB workers.
std::vector<std::string> dominant_names(Contexts& contexts,
                                        const std::vector<const GEOSGeometry*>& areas,
                                        const std::vector<const GEOSGeometry*>& named,
                                        const std::vector<std::string>& names);

} // namespace landel::analysis::detail
