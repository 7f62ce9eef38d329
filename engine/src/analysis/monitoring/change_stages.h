#pragma once
// Internal stages of compare_area (change.cpp). Not installed.

#include "landel/geometry/geos_context.h"

#include <cstddef>
#include <map>
#include <utility>
#include <vector>

namespace landel::analysis::detail {

/// Element parts of both years whose envelopes, grown by half the tolerance, meet
/// transitively. Every step of the method (change.h) relates only land that overlaps or lies
/// within the tolerance, so clusters can be compared one by one and their results collected:
/// results of different clusters lie apart.
struct ChangeCluster
{
    /// Per type: the connected parts (polygons) of the owned geometry in this cluster.
    std::vector<std::vector<const GEOSGeometry*>> before, after;
    /// The same parts of the same types, coordinate for coordinate, in both years: nothing
    /// changed, nothing to overlay.
    bool unchanged = false;
};

/// The clusters of an area's owned geometry per type (@p before and @p after, polygonal), in
/// order of their first part (before's types in order, then after's).
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
