#include "landel/geometry/envelope_clusters.h"
#include "landel/geometry/ops.h"
#include "measure_stages.h"

namespace landel::analysis::detail {

using geometry::GeomPtr;

namespace {

/// A polygonal piece of one type's element area on the land, with its envelope.
struct Piece
{
    GeomPtr geom;
    Box env;
};

/// The footprints met by one piece of land, clipped to it, per type.
struct Footprints
{
    std::vector<std::vector<const GEOSGeometry*>> by_type;
    std::vector<GeomPtr> clipped;
    std::vector<GeomPtr> built; ///< footprints made for this item (strips, circles)
};

/// Footprints inside the land are taken as they are; those crossing its boundary are clipped
/// one by one (small overlays): (a ∪ b) ∩ R = (a ∩ R) ∪ (b ∩ R). Marks the sources met.
Footprints footprints_on(const geometry::GeosContext& ctx,
                         const GEOSGeometry* land,
                         const Box& window,
                         const ElementShapes& shapes,
                         const geometry::BoxIndex& index,
                         OwnedPieces& out)
{
    geometry::PreparedPtr prepared = ctx.own_prepared(GEOSPrepare_r(ctx.handle(), land), "prepare");
    Footprints f;
    f.by_type.resize(out.m2.size());
    for (std::size_t j : index.query(window)) {
        const Shape& s = shapes.shapes[j];
        GeomPtr storage;
        const GEOSGeometry* footprint = s.footprint(ctx, storage);
        if (!ctx.check_predicate(GEOSPreparedIntersects_r(ctx.handle(), prepared.get(), footprint),
                                 "intersects"))
            continue;
        out.sources_hit[std::size_t(s.source)] = 1;
        const GEOSGeometry* piece = footprint;
        if (!ctx.check_predicate(
              GEOSPreparedContainsProperly_r(ctx.handle(), prepared.get(), footprint),
              "containsProperly")) {
            f.clipped.push_back(
              geometry::polygonal_part(ctx, geometry::intersection(ctx, footprint, land).get()));
            piece = f.clipped.back().get();
            if (geometry::is_empty(ctx, piece))
                continue;
        } else if (storage) {
            f.built.push_back(std::move(storage));
        }
        f.by_type[std::size_t(s.type)].push_back(piece);
    }
    return f;
}

/// One cluster of a type's footprints (@p parts with envelopes @p env), united.
Piece unite_cluster(const geometry::GeosContext& ctx,
                    const std::vector<const GEOSGeometry*>& parts,
                    const std::vector<Box>& env,
                    const std::vector<std::size_t>& cluster)
{
    Piece piece;
    if (cluster.size() == 1) {
        piece.geom = geometry::clone(ctx, parts[cluster.front()]);
        piece.env = env[cluster.front()];
        return piece;
    }
    std::vector<const GEOSGeometry*> members;
    for (std::size_t i : cluster) {
        members.push_back(parts[i]);
        piece.env.expand(env[i]);
    }
    piece.geom = geometry::polygonal_part(ctx, geometry::union_of(ctx, members).get());
    return piece;
}

/// The pieces of the types done so far, indexed, each prepared when first needed.
class EarlierPieces
{
public:
    EarlierPieces(const geometry::GeosContext& ctx, const std::vector<Piece>& earlier)
      : m_ctx(ctx)
      , m_earlier(earlier)
      , m_index(envelopes(earlier))
      , m_prepared(earlier.size())
    {
    }

    /// @p piece minus what the earlier pieces own. Only earlier pieces that really meet it
    /// take something from it. One large earlier piece (a connected hedge network) meets the
    /// envelopes of most later pieces (trees), so each is tested against its prepared form
    /// before any overlay, and a single one is subtracted as it is, without a union.
    GeomPtr remainder(const Piece& piece)
    {
        const geometry::GeosContext& ctx = m_ctx;
        std::vector<const GEOSGeometry*> above;
        for (std::size_t k : m_index.query(piece.env))
            if (meets(k, piece.geom.get()))
                above.push_back(m_earlier[k].geom.get());
        if (above.empty())
            return geometry::clone(ctx, piece.geom.get());
        if (above.size() == 1)
            return geometry::polygonal_part(
              ctx, geometry::difference(ctx, piece.geom.get(), above.front()).get());
        return geometry::polygonal_part(
          ctx,
          geometry::difference(ctx, piece.geom.get(), geometry::union_of(ctx, above).get()).get());
    }

private:
    static std::vector<Box> envelopes(const std::vector<Piece>& pieces)
    {
        std::vector<Box> env;
        for (const Piece& p : pieces)
            env.push_back(p.env);
        return env;
    }

    bool meets(std::size_t k, const GEOSGeometry* g)
    {
        const geometry::GeosContext& ctx = m_ctx;
        if (!m_prepared[k])
            m_prepared[k] =
              ctx.own_prepared(GEOSPrepare_r(ctx.handle(), m_earlier[k].geom.get()), "prepare");
        return ctx.check_predicate(GEOSPreparedIntersects_r(ctx.handle(), m_prepared[k].get(), g),
                                   "intersects");
    }

    const geometry::GeosContext& m_ctx;
    const std::vector<Piece>& m_earlier;
    const geometry::BoxIndex m_index;
    std::vector<geometry::PreparedPtr> m_prepared;
};

/// The owned pieces of one type as a MultiPolygon's WKB.
std::string owned_wkb(const geometry::GeosContext& ctx, const std::vector<GeomPtr>& owned)
{
    std::vector<GeomPtr> polygons;
    for (const GeomPtr& g : owned) {
        std::vector<const GEOSGeometry*> polys;
        geometry::collect_parts(ctx, g.get(), polys);
        for (const GEOSGeometry* p : polys)
            polygons.push_back(geometry::clone(ctx, p));
    }
    return geometry::to_wkb(
      ctx, geometry::make_collection(ctx, GEOS_MULTIPOLYGON, std::move(polygons)).get());
}

} // namespace

OwnedPieces overlay_types(const geometry::GeosContext& ctx,
                          const GEOSGeometry* land,
                          const Box& window,
                          const ElementShapes& shapes,
                          const geometry::BoxIndex& index,
                          std::size_t type_count,
                          std::size_t source_count)
{
    OwnedPieces out;
    out.m2.assign(type_count, 0.0);
    out.owned_wkb.resize(type_count);
    out.sources_hit.assign(source_count, 0);
    if (geometry::is_empty(ctx, land))
        return out;
    const Footprints footprints = footprints_on(ctx, land, window, shapes, index, out);

    // Types in precedence order. A type's area is the union of its footprints, formed per
    // cluster of footprints whose envelopes meet (most trees and hedges touch nothing, and
    // need no union at all); each cluster then gives up what the pieces of earlier types near
    // it cover. Pieces of one type are disjoint, so their areas add up and their collection
    // is a valid MultiPolygon.
    std::vector<Piece> earlier; // every piece of the types done so far
    for (std::size_t t = 0; t < type_count; ++t) {
        const std::vector<const GEOSGeometry*>& parts = footprints.by_type[t];
        if (parts.empty())
            continue;
        std::vector<Box> env(parts.size());
        for (std::size_t i = 0; i < parts.size(); ++i)
            env[i] = geometry::envelope(ctx, parts[i]);
        EarlierPieces above(ctx, earlier);
        std::vector<Piece> pieces;
        std::vector<GeomPtr> owned;
        for (const std::vector<std::size_t>& cluster : geometry::envelope_clusters(env)) {
            Piece piece = unite_cluster(ctx, parts, env, cluster);
            GeomPtr mine = above.remainder(piece);
            out.m2[t] += geometry::area(ctx, mine.get());
            owned.push_back(std::move(mine));
            pieces.push_back(std::move(piece));
        }
        if (out.m2[t] > 0.0)
            out.owned_wkb[t] = owned_wkb(ctx, owned);
        for (Piece& p : pieces)
            earlier.push_back(std::move(p));
    }
    return out;
}

} // namespace landel::analysis::detail
