#include "landel/geometry/ops.h"
#include "measure_stages.h"

#include <numeric>

namespace landel::analysis::detail {

using geometry::GeomPtr;

namespace {

/// A polygonal piece of one type's element area on the land, with its envelope.
struct Piece
{
    GeomPtr geom;
    Box env;
};

/// Groups geometries whose envelopes meet, transitively (union-find over an R-tree). Two
/// geometries in different groups have disjoint envelopes, so they cannot overlap or touch.
/// Groups come in order of their smallest member, members in ascending order.
std::vector<std::vector<std::size_t>> envelope_clusters(const std::vector<Box>& env)
{
    std::vector<std::size_t> parent(env.size());
    std::iota(parent.begin(), parent.end(), std::size_t(0));
    auto find = [&parent](std::size_t i) {
        while (parent[i] != i)
            i = parent[i] = parent[parent[i]];
        return i;
    };
    const geometry::BoxIndex index(env);
    for (std::size_t i = 0; i < env.size(); ++i)
        for (std::size_t j : index.query(env[i])) {
            const std::size_t a = find(i), b = find(j);
            if (a != b)
                parent[std::max(a, b)] = std::min(a, b);
        }
    std::vector<std::vector<std::size_t>> clusters;
    std::vector<std::size_t> slot(env.size(), env.size());
    for (std::size_t i = 0; i < env.size(); ++i) {
        const std::size_t root = find(i);
        if (slot[root] == env.size()) {
            slot[root] = clusters.size();
            clusters.emplace_back();
        }
        clusters[slot[root]].push_back(i);
    }
    return clusters;
}

} // namespace

OwnedPieces overlay_types(const geometry::GeosContext& ctx, const GEOSGeometry* land,
                          const Box& window, const ElementShapes& shapes,
                          const geometry::BoxIndex& index, std::size_t type_count,
                          std::size_t source_count)
{
    OwnedPieces out;
    out.m2.assign(type_count, 0.0);
    out.owned_wkb.resize(type_count);
    out.sources_hit.assign(source_count, 0);
    if (geometry::is_empty(ctx, land))
        return out;

    // Footprints inside the land are taken as they are; those crossing its boundary are
    // clipped one by one (small overlays): (a ∪ b) ∩ R = (a ∩ R) ∪ (b ∩ R).
    geometry::PreparedPtr prepared = ctx.own_prepared(GEOSPrepare_r(ctx.handle(), land), "prepare");
    std::vector<std::vector<const GEOSGeometry*>> by_type(type_count);
    std::vector<GeomPtr> clipped;
    std::vector<GeomPtr> built; // footprints made for this item (strips, circles)
    for (std::size_t j : index.query(window)) {
        const Shape& s = shapes.shapes[j];
        GeomPtr storage;
        const GEOSGeometry* footprint = s.footprint(ctx, storage);
        if (!ctx.check_predicate(
              GEOSPreparedIntersects_r(ctx.handle(), prepared.get(), footprint), "intersects"))
            continue;
        out.sources_hit[std::size_t(s.source)] = 1;
        const GEOSGeometry* piece = footprint;
        if (!ctx.check_predicate(
              GEOSPreparedContainsProperly_r(ctx.handle(), prepared.get(), footprint),
              "containsProperly")) {
            clipped.push_back(
              geometry::polygonal_part(ctx, geometry::intersection(ctx, footprint, land).get()));
            piece = clipped.back().get();
            if (geometry::is_empty(ctx, piece))
                continue;
        } else if (storage) {
            built.push_back(std::move(storage));
        }
        by_type[std::size_t(s.type)].push_back(piece);
    }

    // Types in precedence order. A type's area is the union of its footprints, formed per
    // cluster of footprints whose envelopes meet (most trees and hedges touch nothing, and
    // need no union at all); each cluster then gives up what the pieces of earlier types near
    // it cover. Pieces of one type are disjoint, so their areas add up and their collection
    // is a valid MultiPolygon.
    std::vector<Piece> earlier; // every piece of the types done so far
    for (std::size_t t = 0; t < type_count; ++t) {
        const std::vector<const GEOSGeometry*>& parts = by_type[t];
        if (parts.empty())
            continue;
        std::vector<Box> env(parts.size());
        for (std::size_t i = 0; i < parts.size(); ++i)
            env[i] = geometry::envelope(ctx, parts[i]);

        std::vector<Box> earlier_env;
        for (const Piece& p : earlier)
            earlier_env.push_back(p.env);
        const geometry::BoxIndex earlier_index(earlier_env);
        std::vector<geometry::PreparedPtr> earlier_prepared(earlier.size());

        std::vector<Piece> pieces;
        std::vector<GeomPtr> owned;
        for (const std::vector<std::size_t>& cluster : envelope_clusters(env)) {
            Piece piece;
            if (cluster.size() == 1) {
                piece.geom = geometry::clone(ctx, parts[cluster.front()]);
                piece.env = env[cluster.front()];
            } else {
                std::vector<const GEOSGeometry*> members;
                for (std::size_t i : cluster) {
                    members.push_back(parts[i]);
                    piece.env.expand(env[i]);
                }
                piece.geom = geometry::polygonal_part(ctx, geometry::union_of(ctx, members).get());
            }
            // Only earlier pieces that really meet this one take something from it. One large
            // earlier piece (a connected hedge network) meets the envelopes of most later
            // pieces (trees), so each is tested against its prepared form before any overlay,
            // and a single one is subtracted as it is, without a union.
            std::vector<const GEOSGeometry*> above;
            for (std::size_t k : earlier_index.query(piece.env)) {
                if (!earlier_prepared[k])
                    earlier_prepared[k] = ctx.own_prepared(GEOSPrepare_r(ctx.handle(), earlier[k].geom.get()),
                                                           "prepare");
                if (ctx.check_predicate(
                      GEOSPreparedIntersects_r(ctx.handle(), earlier_prepared[k].get(), piece.geom.get()),
                      "intersects"))
                    above.push_back(earlier[k].geom.get());
            }
            GeomPtr mine;
            if (above.empty())
                mine = geometry::clone(ctx, piece.geom.get());
            else if (above.size() == 1)
                mine = geometry::polygonal_part(ctx, geometry::difference(ctx, piece.geom.get(), above.front()).get());
            else
                mine = geometry::polygonal_part(
                  ctx, geometry::difference(ctx, piece.geom.get(), geometry::union_of(ctx, above).get()).get());
            out.m2[t] += geometry::area(ctx, mine.get());
            owned.push_back(std::move(mine));
            pieces.push_back(std::move(piece));
        }

        std::vector<GeomPtr> polygons;
        for (const GeomPtr& g : owned) {
            std::vector<const GEOSGeometry*> polys;
            geometry::collect_parts(ctx, g.get(), polys);
            for (const GEOSGeometry* p : polys)
                polygons.push_back(geometry::clone(ctx, p));
        }
        if (out.m2[t] > 0.0)
            out.owned_wkb[t] = geometry::to_wkb(
              ctx, geometry::make_collection(ctx, GEOS_MULTIPOLYGON, std::move(polygons)).get());
        for (Piece& p : pieces)
            earlier.push_back(std::move(p));
    }
    return out;
}

} // namespace landel::analysis::detail
