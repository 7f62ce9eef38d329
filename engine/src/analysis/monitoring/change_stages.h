#pragma once
// Internal stages of compare_area (change.cpp). Not installed.

#include "landel/geometry/geos_context.h"

#include <cstddef>
#include <map>
#include <utility>
#include <vector>

namespace landel::analysis::detail {

/// Changed element parts of both years that lie within the tolerance of each other,
/// transitively, with the unchanged parts within the tolerance of them. A part is unchanged when
/// the other year has the same part of the same type, coordinate for coordinate: it adds nothing to
/// any figure (it is neither gone nor new, and types are disjoint within a year, so it is no
/// reclassification either), but it is element land the changed parts are compared with.
/// Every step of the method (change.h) relates only land that overlaps or lies within the
/// tolerance, so clusters can be compared one by one and their results collected: results
/// of different clusters lie apart.
struct ChangeCluster
{
    /// Per type: the changed connected parts (polygons) of the owned geometry.
    std::vector<std::vector<const GEOSGeometry*>> before, after;
    /// The unchanged parts of each year (any type) within the tolerance of a changed part:
    /// with them, the union of a year's parts here is that year's element land everywhere
    /// within the tolerance of the changed parts.
    std::vector<const GEOSGeometry*> before_context, after_context;
};

/// The clusters of the changed parts of an area's owned geometry per type (@p before and
/// @p after, polygonal), in order of their first part (before's types in order, then
/// after's); none when nothing changed.
std::vector<ChangeCluster> change_clusters(const geometry::GeosContext& ctx,
                                           const std::vector<geometry::GeomPtr>& before,
                                           const std::vector<geometry::GeomPtr>& after,
                                           double tolerance_m);

/// The later run's rural land RB, prepared: most disappeared land lies wholly inside it and
/// needs no overlay to be split into masked and lost land.
class LaterRuralLand
{
public:
    /// @p rural must outlive this object.
    LaterRuralLand(const geometry::GeosContext& ctx, const GEOSGeometry* rural);

    /// Splits @p gone into @p masked (gone − RB) and @p lost (gone ∩ RB), both polygonal.
    void split(const geometry::GeosContext& ctx,
               const GEOSGeometry* gone,
               geometry::GeomPtr& masked,
               geometry::GeomPtr& lost) const;

private:
    const GEOSGeometry* m_rural;
    geometry::PreparedPtr m_prepared; // null when there is no rural land
};

/// One type's change in an area, collected cluster by cluster.
struct TypeParts
{
    double gained_ha = 0, lost_ha = 0, masked_ha = 0;
    double realigned_gained_ha = 0, realigned_lost_ha = 0;
    std::vector<geometry::GeomPtr> gained, lost, masked, realigned;
};

/// Reclassified land from one type to another, collected cluster by cluster.
struct ReclassifiedParts
{
    double ha = 0;
    std::vector<geometry::GeomPtr> parts;
};

struct ChangeParts
{
    std::vector<TypeParts> types;
    std::map<std::pair<std::size_t, std::size_t>, ReclassifiedParts> reclassified;
};

/// Steps 1 to 4 of the method (change.h) on one cluster, added to @p out.
void cluster_change(const geometry::GeosContext& ctx,
                    const ChangeCluster& cluster,
                    const LaterRuralLand& rural,
                    double tolerance_m,
                    ChangeParts& out);

} // namespace landel::analysis::detail
