#include "change_stages.h"
#include "realignment.h"

#include "landel/core/error.h"
#include "landel/geometry/ops.h"

#include <algorithm>
#include <cmath>
#include <memory>

namespace landel::analysis::detail {

using geometry::GeomPtr;
using geometry::GeosContext;

namespace {

// Overlays of polygons can also return the lines and points where the inputs touch; change
// is land, so only the polygons are kept.
GeomPtr land_of_difference(const GeosContext& ctx, const GEOSGeometry* a, const GEOSGeometry* b)
{
    return geometry::polygonal_part(ctx, geometry::difference(ctx, a, b).get());
}

/// One year's geometry in a cluster.
///
/// The other year's changed parts are all that an overlay of this year's changed parts
/// needs: an unchanged part is also a part of this year, and a year's parts share no land
/// (types are disjoint, and so are the parts of a type). So the loss of a changed part is
/// its difference with the later year's changed parts alone, and most changed parts (an
/// element that appeared or disappeared whole) meet none and need no overlay at all.
class ClusterYear
{
public:
    ClusterYear(const GeosContext& ctx,
                const std::vector<std::vector<const GEOSGeometry*>>& parts,
                const std::vector<const GEOSGeometry*>& context)
      : m_ctx(ctx)
    {
        for (const std::vector<const GEOSGeometry*>& type_parts : parts) {
            owned.push_back(type_parts.empty() ? nullptr
                                               : geometry::multipolygon_of(ctx, type_parts));
            m_changed.insert(m_changed.end(), type_parts.begin(), type_parts.end());
        }
        for (const GEOSGeometry* p : m_changed)
            m_changed_envelopes.push_back(geometry::envelope(ctx, p));
        std::vector<const GEOSGeometry*> all = context;
        all.insert(all.end(), m_changed.begin(), m_changed.end());
        m_elements = std::make_unique<ElementParts>(ctx, all);
    }

    std::vector<GeomPtr> owned; ///< per type, changed parts only; null when there are none

    /// This year's element land near the change (EA or EB), part by part.
    const ElementParts& elements() const { return *m_elements; }

    /// What of @p g (changed land of the other year) is not this year's element land; @p whole
    /// is set when that is all of g, every part of it appeared or disappeared whole.
    GeomPtr outside(const GEOSGeometry* g, bool& whole) const
    {
        std::vector<const GEOSGeometry*> parts;
        geometry::collect_parts(m_ctx, g, parts);
        whole = std::none_of(parts.begin(), parts.end(), [this](const GEOSGeometry* p) {
            return meets_changed(geometry::envelope(m_ctx, p));
        });
        if (whole)
            return geometry::clone(m_ctx, g);
        if (!m_changed_land)
            // Changed parts of several types may share edges, which the union merges.
            m_changed_land =
              m_changed.size() == 1
                ? geometry::clone(m_ctx, m_changed.front())
                : geometry::polygonal_part(m_ctx, geometry::union_of(m_ctx, m_changed).get());
        return land_of_difference(m_ctx, g, m_changed_land.get());
    }

private:
    /// Whether a changed part here may share land with land inside @p box: their envelopes
    /// overlap with positive area.
    bool meets_changed(const Box& box) const
    {
        for (const Box& e : m_changed_envelopes)
            if (e.xmin < box.xmax && box.xmin < e.xmax && e.ymin < box.ymax && box.ymin < e.ymax)
                return true;
        return false;
    }

    const GeosContext& m_ctx;
    std::vector<const GEOSGeometry*> m_changed;
    std::vector<Box> m_changed_envelopes;
    mutable GeomPtr m_changed_land; ///< the union of m_changed, made when first needed
    std::unique_ptr<ElementParts> m_elements;
};

double hectares(const GeosContext& ctx, const GEOSGeometry* g)
{
    return geometry::area(ctx, g) / 1e4;
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

/// Whether @p cut holds the land of @p whole less that of @p removed (which lies in it), to
/// what a figure can show: 0.01 m² (1e-6 ha, the last digit of change.csv), or 1e-6 of the
/// land where that is more, far above the overlays' round-off (1e-4 m² on 9,260 m² at most on
/// the monitoring benchmark case).
bool keeps_the_rest(const GeosContext& ctx,
                    const GEOSGeometry* whole,
                    const GEOSGeometry* removed,
                    const GEOSGeometry* cut)
{
    const double whole_m2 = geometry::area(ctx, whole);
    const double lost_m2 = whole_m2 - geometry::area(ctx, removed) - geometry::area(ctx, cut);
    return std::abs(lost_m2) <= std::max(1e-2, 1e-6 * whole_m2);
}

/// @p raw − @p noise, where noise lies in raw, overlaid only where the noise lies: a polygon of
/// raw whose envelope meets no polygon of the noise is kept as it is. Re-noding land that the
/// noise does not touch is wasted work, and it is where one overlay of all of raw went wrong:
/// with noise sharing the edges of some of raw's polygons, GEOS dropped another whole polygon
/// (15.5 m² of gain on the monitoring benchmark case, area G042, 2020 -> 2024). The result is
/// checked by its area; where it misses land, each touched polygon is cut on its own, and
/// where that misses land too, the change is not reported at all (GeometryError).
GeomPtr without_noise(const GeosContext& ctx, const GEOSGeometry* raw, const GEOSGeometry* noise)
{
    std::vector<const GEOSGeometry*> raw_parts, noise_parts, apart, touched;
    geometry::collect_parts(ctx, raw, raw_parts);
    geometry::collect_parts(ctx, noise, noise_parts);
    std::vector<Box> noise_boxes;
    for (const GEOSGeometry* n : noise_parts)
        noise_boxes.push_back(geometry::envelope(ctx, n));
    const auto noise_meets = [&](const Box& e) {
        return std::any_of(noise_boxes.begin(), noise_boxes.end(), [&](const Box& n) {
            return n.xmin < e.xmax && e.xmin < n.xmax && n.ymin < e.ymax && e.ymin < n.ymax;
        });
    };
    for (const GEOSGeometry* p : raw_parts)
        (noise_meets(geometry::envelope(ctx, p)) ? touched : apart).push_back(p);
    if (touched.empty())
        return geometry::clone(ctx, raw);
    const GeomPtr touched_land = geometry::multipolygon_of(ctx, touched);
    GeomPtr cut = land_of_difference(ctx, touched_land.get(), noise);
    std::vector<GeomPtr> one_by_one;
    if (!keeps_the_rest(ctx, touched_land.get(), noise, cut.get())) {
        std::vector<const GEOSGeometry*> pieces;
        for (const GEOSGeometry* p : touched) {
            one_by_one.push_back(land_of_difference(ctx, p, noise));
            geometry::collect_parts(ctx, one_by_one.back().get(), pieces);
        }
        cut = geometry::multipolygon_of(ctx, pieces);
        if (!keeps_the_rest(ctx, touched_land.get(), noise, cut.get()))
            throw GeometryError("change: GEOS lost land removing realignment noise near (" +
                                std::to_string(geometry::envelope(ctx, noise).xmin) + ", " +
                                std::to_string(geometry::envelope(ctx, noise).ymin) + ")");
    }
    if (apart.empty())
        return cut;
    // The cut land lies inside the touched polygons, which share no edge with the others.
    geometry::collect_parts(ctx, cut.get(), apart);
    return geometry::multipolygon_of(ctx, apart);
}

/// Step 4 on @p raw: keeps the change in @p change / @p change_ha and returns the noise.
/// @p own is the type's changed land in raw's year: realignment_noise finds the elements in
/// it that went whole, helped by @p own_outside, own's land outside the other year's elements
/// (null: raw itself, as for a gain; a loss is what of it lies in the later rural land).
GeomPtr realign(const GeosContext& ctx,
                GeomPtr raw,
                const GEOSGeometry* own,
                const GEOSGeometry* own_outside,
                const ElementParts& other,
                double tolerance_m,
                std::vector<GeomPtr>& change,
                double& change_ha)
{
    GeomPtr noise = realignment_noise(
      ctx, raw.get(), own, own_outside ? own_outside : raw.get(), other, tolerance_m);
    if (geometry::is_empty(ctx, noise.get()))
        keep(ctx, std::move(raw), change, change_ha);
    else if (!ctx.check_predicate(GEOSEqualsExact_r(ctx.handle(), noise.get(), raw.get(), 0.0),
                                  "equals exact"))
        // (All of it noise, as a strip beside a shifted element mostly is, leaves no change:
        // the overlay of two copies of the same edges is skipped.)
        keep(ctx, without_noise(ctx, raw.get(), noise.get()), change, change_ha);
    return noise;
}

} // namespace

void cluster_change(const GeosContext& ctx,
                    const ChangeCluster& cluster,
                    const LaterRuralLand& rural,
                    double tolerance_m,
                    ChangeParts& out)
{
    const ClusterYear a(ctx, cluster.before, cluster.before_context);
    const ClusterYear b(ctx, cluster.after, cluster.after_context);
    for (std::size_t t = 0; t < a.owned.size(); ++t) {
        TypeParts& tp = out.types[t];
        std::vector<GeomPtr> noise;
        if (const GEOSGeometry* a_t = a.owned[t].get()) {
            reclassified_from(ctx, t, a, b, out);
            // Step 2: what disappeared, split by the later rural land.
            bool whole = false;
            GeomPtr gone = b.outside(a_t, whole);
            GeomPtr masked, raw_lost;
            rural.split(ctx, gone.get(), masked, raw_lost);
            keep(ctx, std::move(masked), tp.masked, tp.masked_ha);
            if (whole) // what went whole is never noise (step 4)
                keep(ctx, std::move(raw_lost), tp.lost, tp.lost_ha);
            else {
                GeomPtr n = realign(ctx,
                                    std::move(raw_lost),
                                    a_t,
                                    gone.get(),
                                    b.elements(),
                                    tolerance_m,
                                    tp.lost,
                                    tp.lost_ha);
                if (!geometry::is_empty(ctx, n.get())) {
                    tp.realigned_lost_ha += hectares(ctx, n.get());
                    noise.push_back(std::move(n));
                }
            }
        }
        if (const GEOSGeometry* b_t = b.owned[t].get()) {
            // Step 3: what appeared.
            bool whole = false;
            GeomPtr raw_gained = a.outside(b_t, whole);
            if (whole)
                keep(ctx, std::move(raw_gained), tp.gained, tp.gained_ha);
            else {
                GeomPtr n = realign(ctx,
                                    std::move(raw_gained),
                                    b_t,
                                    nullptr, // a gain is all of b_t outside EA
                                    a.elements(),
                                    tolerance_m,
                                    tp.gained,
                                    tp.gained_ha);
                if (!geometry::is_empty(ctx, n.get())) {
                    tp.realigned_gained_ha += hectares(ctx, n.get());
                    noise.push_back(std::move(n));
                }
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
