#include "change_stages.h"
#include "realignment.h"

#include "landel/geometry/ops.h"

namespace landel::analysis::detail {

using geometry::GeomPtr;
using geometry::GeosContext;

namespace {

/// One year's geometry in a cluster.
struct ClusterYear
{
    std::vector<GeomPtr> owned; ///< per type, changed parts only; null when there are none
    GeomPtr elements;           ///< the union of all parts here (EA or EB near the change)
    bool none = true;           ///< no element at all
};

ClusterYear cluster_year(const GeosContext& ctx,
                         const std::vector<std::vector<const GEOSGeometry*>>& parts,
                         const std::vector<const GEOSGeometry*>& context)
{
    ClusterYear out;
    std::vector<const GEOSGeometry*> all = context;
    for (const std::vector<const GEOSGeometry*>& type_parts : parts) {
        out.owned.push_back(type_parts.empty() ? nullptr
                                               : geometry::multipolygon_of(ctx, type_parts));
        all.insert(all.end(), type_parts.begin(), type_parts.end());
    }
    out.none = all.empty();
    // One part needs no union; several may share edges across types, which the union merges.
    out.elements = all.size() == 1
                     ? geometry::clone(ctx, all.front())
                     : geometry::polygonal_part(ctx, geometry::union_of(ctx, all).get());
    return out;
}

double hectares(const GeosContext& ctx, const GEOSGeometry* g)
{
    return geometry::area(ctx, g) / 1e4;
}

// Overlays of polygons can also return the lines and points where the inputs touch; change
// is land, so only the polygons are kept.
GeomPtr land_of_difference(const GeosContext& ctx, const GEOSGeometry* a, const GEOSGeometry* b)
{
    return geometry::polygonal_part(ctx, geometry::difference(ctx, a, b).get());
}

/// Adds @p g, when it has land, to @p parts and its hectares to @p ha.
void keep(const GeosContext& ctx, GeomPtr g, std::vector<GeomPtr>& parts, double& ha)
{
    if (geometry::is_empty(ctx, g.get()))
        return;
    ha += hectares(ctx, g.get());
    parts.push_back(std::move(g));
}

/// Step 1: A_t ∩ B_u for every u ≠ t.
void reclassified_from(const GeosContext& ctx,
                       std::size_t t,
                       const ClusterYear& before,
                       const ClusterYear& after,
                       ChangeParts& out)
{
    const GEOSGeometry* a = before.owned[t].get();
    const Box a_env = geometry::envelope(ctx, a);
    for (std::size_t u = 0; u < after.owned.size(); ++u) {
        const GEOSGeometry* b = after.owned[u].get();
        if (u == t || !b || !geometry::envelope(ctx, b).intersects(a_env))
            continue;
        ReclassifiedParts& r = out.reclassified[{ t, u }];
        keep(ctx,
             geometry::polygonal_part(ctx, geometry::intersection(ctx, a, b).get()),
             r.parts,
             r.ha);
    }
}

/// Step 4 on @p raw: keeps the change in @p change / @p change_ha and returns the noise.
/// @p vanished is all of the type's land that appeared or disappeared (raw, and for losses
/// also the masked part): realignment_noise finds the elements that went whole in it.
GeomPtr realign(const GeosContext& ctx,
                GeomPtr raw,
                const GEOSGeometry* own,
                const GEOSGeometry* vanished,
                const ElementParts& other,
                double tolerance_m,
                std::vector<GeomPtr>& change,
                double& change_ha)
{
    GeomPtr noise = realignment_noise(ctx, raw.get(), own, vanished, other, tolerance_m);
    if (geometry::is_empty(ctx, noise.get()))
        keep(ctx, std::move(raw), change, change_ha);
    else if (!ctx.check_predicate(GEOSEqualsExact_r(ctx.handle(), noise.get(), raw.get(), 0.0),
                                  "equals exact"))
        // (All of it noise, as a strip beside a shifted element mostly is, leaves no change:
        // the overlay of two copies of the same edges is skipped.)
        keep(ctx, land_of_difference(ctx, raw.get(), noise.get()), change, change_ha);
    return noise;
}

} // namespace

void cluster_change(const GeosContext& ctx,
                    const ChangeCluster& cluster,
                    const LaterRuralLand& rural,
                    double tolerance_m,
                    ChangeParts& out)
{
    const ClusterYear a = cluster_year(ctx, cluster.before, cluster.before_context);
    const ClusterYear b = cluster_year(ctx, cluster.after, cluster.after_context);
    const ElementParts a_parts(ctx, a.elements.get());
    const ElementParts b_parts(ctx, b.elements.get());
    for (std::size_t t = 0; t < a.owned.size(); ++t) {
        TypeParts& tp = out.types[t];
        std::vector<GeomPtr> noise;
        if (const GEOSGeometry* a_t = a.owned[t].get()) {
            reclassified_from(ctx, t, a, b, out);
            // Step 2: what disappeared, split by the later rural land.
            GeomPtr gone =
              b.none ? geometry::clone(ctx, a_t) : land_of_difference(ctx, a_t, b.elements.get());
            GeomPtr masked, raw_lost;
            rural.split(ctx, gone.get(), masked, raw_lost);
            keep(ctx, std::move(masked), tp.masked, tp.masked_ha);
            GeomPtr n = realign(
              ctx, std::move(raw_lost), a_t, gone.get(), b_parts, tolerance_m, tp.lost, tp.lost_ha);
            if (!geometry::is_empty(ctx, n.get())) {
                tp.realigned_lost_ha += hectares(ctx, n.get());
                noise.push_back(std::move(n));
            }
        }
        if (const GEOSGeometry* b_t = b.owned[t].get()) {
            // Step 3: what appeared.
            GeomPtr raw_gained =
              a.none ? geometry::clone(ctx, b_t) : land_of_difference(ctx, b_t, a.elements.get());
            // Gains have no masked part: an element that appeared whole lies in the raw gain.
            const GEOSGeometry* appeared = raw_gained.get(); // lives on in realign's `raw`
            GeomPtr n = realign(ctx,
                                std::move(raw_gained),
                                b_t,
                                appeared,
                                a_parts,
                                tolerance_m,
                                tp.gained,
                                tp.gained_ha);
            if (!geometry::is_empty(ctx, n.get())) {
                tp.realigned_gained_ha += hectares(ctx, n.get());
                noise.push_back(std::move(n));
            }
        }
        // The two removed parts are disjoint (one inside EA, the other outside it) but may
        // share an edge, so together they are a union.
        if (noise.size() == 1)
            tp.realigned.push_back(std::move(noise.front()));
        else if (noise.size() == 2)
            tp.realigned.push_back(geometry::polygonal_part(
              ctx, geometry::union_of(ctx, { noise[0].get(), noise[1].get() }).get()));
    }
}

} // namespace landel::analysis::detail
