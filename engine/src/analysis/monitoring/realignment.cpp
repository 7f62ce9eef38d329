#include "realignment.h"

#include "landel/geometry/ops.h"

#include <algorithm>

namespace landel::analysis::detail {

using geometry::GeomPtr;
using geometry::GeosContext;

namespace {

std::vector<const GEOSGeometry*> parts_of(const GeosContext& ctx, const GEOSGeometry* g)
{
    std::vector<const GEOSGeometry*> parts;
    geometry::collect_parts(ctx, g, parts);
    return parts;
}

std::vector<Box> envelopes(const GeosContext& ctx, const std::vector<const GEOSGeometry*>& parts)
{
    std::vector<Box> env;
    env.reserve(parts.size());
    for (const GEOSGeometry* p : parts)
        env.push_back(geometry::envelope(ctx, p));
    return env;
}

// Mitre joins keep straight edges and right angles where they were: eroding a rectangle
// wider than the tolerance and dilating it again gives the rectangle back, so only parts
// narrower than the tolerance survive as "thin". A limit of 10 mitres every corner of about
// 11.5 degrees or more (the mitre is 1/sin(angle/2) times the distance); sharper ones are
// bevelled, which counts a little more of such a spike as thin.
constexpr double mitre_limit = 10.0;
constexpr int quadrant_segments = 8;

GeomPtr mitre_buffer(const GeosContext& ctx, const GEOSGeometry* g, double distance)
{
    return ctx.own(GEOSBufferWithStyle_r(ctx.handle(),
                                         g,
                                         distance,
                                         quadrant_segments,
                                         GEOSBUF_CAP_FLAT,
                                         GEOSBUF_JOIN_MITRE,
                                         mitre_limit),
                   "realignment opening");
}

/// @p raw minus its opening by @p tolerance_m: the parts narrower than the tolerance.
GeomPtr thin_parts(const GeosContext& ctx, const GEOSGeometry* raw, double tolerance_m)
{
    const GeomPtr eroded = mitre_buffer(ctx, raw, -tolerance_m / 2.0);
    if (geometry::is_empty(ctx, eroded.get()))
        return geometry::clone(ctx, raw);
    const GeomPtr opened = mitre_buffer(ctx, eroded.get(), tolerance_m / 2.0);
    return geometry::polygonal_part(ctx, geometry::difference(ctx, raw, opened.get()).get());
}

/// The land of @p thin within @p tolerance_m of @p other. Only the parts of @p other whose
/// envelope comes within reach of a thin part are buffered: the same land as buffering all
/// of them, since a point of @p other within the tolerance of a thin part lies in that
/// part's envelope grown by the tolerance.
GeomPtr near_other(const GeosContext& ctx,
                   const GEOSGeometry* thin,
                   const ElementParts& other,
                   double tolerance_m)
{
    std::vector<std::size_t> reach;
    for (const GEOSGeometry* p : parts_of(ctx, thin))
        for (std::size_t k : other.near(grown(geometry::envelope(ctx, p), tolerance_m)))
            reach.push_back(k);
    std::sort(reach.begin(), reach.end());
    reach.erase(std::unique(reach.begin(), reach.end()), reach.end());
    if (reach.empty())
        return geometry::empty_multipolygon(ctx);
    std::vector<const GEOSGeometry*> reached;
    for (std::size_t k : reach)
        reached.push_back(other.part(k));
    // The reached parts may share edges, which makes their MultiPolygon invalid as a
    // polygon, not as the input of a positive buffer: that is the union of their buffers.
    const GeomPtr zone = ctx.own(GEOSBuffer_r(ctx.handle(),
                                              geometry::multipolygon_of(ctx, reached).get(),
                                              tolerance_m,
                                              quadrant_segments),
                                 "realignment zone");
    // Mostly the zone holds all the thin land (a strip beside the element it came off): that
    // needs no overlay, whose result would only carry thin's edges recomputed.
    const geometry::PreparedPtr prepared =
      ctx.own_prepared(GEOSPrepare_r(ctx.handle(), zone.get()), "prepare realignment zone");
    if (ctx.check_predicate(GEOSPreparedCovers_r(ctx.handle(), prepared.get(), thin), "covers"))
        return geometry::clone(ctx, thin);
    return geometry::polygonal_part(ctx, geometry::intersection(ctx, thin, zone.get()).get());
}

/// The connected parts of own (the type's changed land in raw's year), found by envelope. Each
/// polygon of an overlay of own lies in one of them (parts meet at points at most); it is known
/// to lie in a part when that part's envelope alone holds its envelope.
class OwnParts
{
public:
    static constexpr std::size_t none = std::size_t(-1);

    OwnParts(const GeosContext& ctx, const GEOSGeometry* own)
      : parts(parts_of(ctx, own))
      , boxes(envelopes(ctx, parts))
      , m_index(boxes)
    {
    }

    /// The part that @p box (a polygon's envelope) lies in, or none when that is not known.
    std::size_t holder(const Box& box) const
    {
        std::size_t found = none;
        for (std::size_t k : m_index.query(box))
            if (boxes[k].contains(box)) {
                if (found != none)
                    return none;
                found = k;
            }
        return found;
    }

    const std::vector<const GEOSGeometry*> parts;
    const std::vector<Box> boxes;

private:
    geometry::BoxIndex m_index;
};

/// Per part of @p own: whether it shares land with the other year's elements, as far as
/// @p own_outside (own's land outside them) tells without an overlay; false where it does not
/// tell. A part P shares area(P) − area(P's own_outside) with them, since the other year's
/// land that meets P is its changed land, which own_outside is own minus. Only a clear share
/// is taken (1e-3 m², or 1e-6 of the part where that is more, far above the overlay's
/// round-off): a part that merely touches the other year keeps all of its land up to round-off
/// and is decided exactly.
std::vector<bool> shares_land_known(const GeosContext& ctx,
                                    const OwnParts& own,
                                    const GEOSGeometry* own_outside)
{
    std::vector<double> outside_m2(own.parts.size(), 0.0);
    std::vector<bool> told(own.parts.size(), true);
    for (const GEOSGeometry* g : parts_of(ctx, own_outside)) {
        const Box e = geometry::envelope(ctx, g);
        const std::size_t k = own.holder(e);
        if (k != OwnParts::none)
            outside_m2[k] += geometry::area(ctx, g);
        else
            for (std::size_t j = 0; j < own.parts.size(); ++j)
                if (own.boxes[j].intersects(e))
                    told[j] = false;
    }
    std::vector<bool> shares(own.parts.size(), false);
    for (std::size_t k = 0; k < own.parts.size(); ++k) {
        if (!told[k])
            continue;
        const double part_m2 = geometry::area(ctx, own.parts[k]);
        shares[k] = part_m2 - outside_m2[k] >= std::max(1e-3, 1e-6 * part_m2);
    }
    return shares;
}

} // namespace

ElementParts::ElementParts(const GeosContext& ctx, std::vector<const GEOSGeometry*> parts)
  : m_parts(std::move(parts))
  , m_index(envelopes(ctx, m_parts))
{
}

bool ElementParts::shares_land(const GeosContext& ctx, const GEOSGeometry* part) const
{
    double shared_m2 = 0.0;
    for (std::size_t k : near(geometry::envelope(ctx, part))) {
        // Sharing an edge or a point is sharing no land: most neighbours only touch.
        if (!ctx.check_predicate(GEOSRelatePattern_r(ctx.handle(), part, m_parts[k], "T********"),
                                 "relate"))
            continue;
        shared_m2 += geometry::area(ctx, geometry::intersection(ctx, part, m_parts[k]).get());
        if (shared_m2 >= sliver_m2)
            return true;
    }
    return false;
}

GeomPtr realignment_noise(const GeosContext& ctx,
                          const GEOSGeometry* raw,
                          const GEOSGeometry* own,
                          const GEOSGeometry* own_outside,
                          const ElementParts& other,
                          double tolerance_m)
{
    if (!(tolerance_m > 0.0) || geometry::is_empty(ctx, raw) ||
        other.near(grown(geometry::envelope(ctx, raw), tolerance_m)).empty())
        return geometry::empty_multipolygon(ctx);
    // An element that appeared or disappeared whole is change, however thin and near: a part
    // of own that shares no land with the other year's elements. Decided on the parts
    // themselves, not by containment in an overlay's result, whose noding may move vertices
    // (a 3.3 m² crown remnant that went whole beside a redrawn wood was counted as noise
    // that way). Less than sliver_m2 of shared land is none: the slivers between a run's
    // types are no land either. Decided first, so that the land of such elements is left out
    // of the opening and the zone, the costliest steps, wherever its polygons are told apart.
    const Box raw_env = geometry::envelope(ctx, raw);
    const OwnParts own_parts(ctx, own);
    const std::vector<bool> shares = shares_land_known(ctx, own_parts, own_outside);
    std::vector<bool> went_whole(own_parts.parts.size(), false);
    std::vector<const GEOSGeometry*> whole;
    for (std::size_t k = 0; k < own_parts.parts.size(); ++k)
        if (own_parts.boxes[k].intersects(raw_env) && !shares[k] &&
            !other.shares_land(ctx, own_parts.parts[k])) {
            went_whole[k] = true;
            whole.push_back(own_parts.parts[k]);
        }
    std::vector<const GEOSGeometry*> candidates;
    bool untold = false; // a candidate that may lie in an element that went whole
    const std::vector<const GEOSGeometry*> raw_parts = parts_of(ctx, raw);
    for (const GEOSGeometry* p : raw_parts) {
        const std::size_t k = own_parts.holder(geometry::envelope(ctx, p));
        if (k != OwnParts::none && went_whole[k])
            continue;
        untold = untold || (k == OwnParts::none && !whole.empty());
        candidates.push_back(p);
    }
    if (candidates.empty())
        return geometry::empty_multipolygon(ctx);
    const GeomPtr kept = candidates.size() < raw_parts.size()
                           ? geometry::multipolygon_of(ctx, candidates)
                           : geometry::GeomPtr();
    const GeomPtr thin = thin_parts(ctx, kept ? kept.get() : raw, tolerance_m);
    if (geometry::is_empty(ctx, thin.get()))
        return geometry::empty_multipolygon(ctx);
    GeomPtr noise = near_other(ctx, thin.get(), other, tolerance_m);
    if (!untold || geometry::is_empty(ctx, noise.get()))
        return noise;
    return geometry::polygonal_part(
      ctx,
      geometry::difference(ctx, noise.get(), geometry::multipolygon_of(ctx, whole).get()).get());
}

} // namespace landel::analysis::detail
