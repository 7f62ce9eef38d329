#pragma once
/// @file land_index.h
/// Kinds of land a candidate site must keep off and may run along — water, roads, land the
/// user excludes — indexed once for all areas. A free parcel edge along water is a bank, along
/// a road a verge (docs/siting.md, "Kinds of site"); a candidate's strip never lies on them.

#include "landel/core/box.h"
#include "landel/geometry/contexts.h"

#include <memory>
#include <string>
#include <vector>

namespace landel::geometry {
class BoxIndex;
}

namespace landel::analysis {

/// A piece of a free edge and the kind of land it runs along: an index into the kinds the
/// LandIndex was built with, or LandIndex::kinds() when it runs along none of them.
struct KindedEdge
{
    std::string line_wkb; ///< LineString WKB
    std::size_t kind = 0;
};

class LandIndex
{
public:
    /// @p polygons_by_kind[k] holds the polygonal WKB of kind k (invalid ones repaired).
    explicit LandIndex(const std::vector<std::vector<std::string>>& polygons_by_kind);
    ~LandIndex();

    std::size_t kinds() const { return m_kinds.size(); }

    /// The WKB of every polygon of any kind whose envelope meets @p box, in a fixed order.
    std::vector<std::string> near(const Box& box) const;

    /// Splits the LineString @p line by the land it runs along: kind by kind in their order,
    /// the stretches within @p along_m of that kind's polygons that are at least
    /// @p min_length_m long are of that kind and leave the line; what is left, merged, in
    /// pieces at least @p min_length_m long, runs along none (@p line itself when no stretch
    /// runs along any kind).
    std::vector<KindedEdge> split(const geometry::GeosContext& ctx,
                                  const GEOSGeometry* line,
                                  double along_m,
                                  double min_length_m) const;

private:
    struct Kind;
    geometry::Contexts m_contexts; ///< declared first: the polygons are made in its contexts
    std::vector<std::unique_ptr<Kind>> m_kinds;
};

} // namespace landel::analysis
