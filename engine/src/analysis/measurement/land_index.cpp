#include "landel/analysis/measurement/land_index.h"

#include "landel/geometry/box_index.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"

namespace landel::analysis {

struct LandIndex::Kind
{
    std::vector<std::string> wkb;
    std::vector<geometry::GeomPtr> polygons;
    std::vector<Box> boxes;
    std::unique_ptr<geometry::BoxIndex> index;
};

namespace {

/// The LineString parts of @p g, merged where they continue: those at least @p min_length_m
/// long, and the others.
struct Pieces
{
    std::vector<geometry::GeomPtr> long_ones;
    std::vector<geometry::GeomPtr> short_ones;
};

Pieces pieces_of(const geometry::GeosContext& ctx, const GEOSGeometry* g, double min_length_m)
{
    std::vector<const GEOSGeometry*> parts, lines;
    geometry::collect_parts(ctx, g, parts);
    for (const GEOSGeometry* p : parts)
        if (GEOSGeomTypeId_r(ctx.handle(), p) == GEOS_LINESTRING)
            lines.push_back(p);
    Pieces out;
    if (lines.empty())
        return out;
    const geometry::GeomPtr all = geometry::union_of(ctx, lines);
    const geometry::GeomPtr merged =
      ctx.own(GEOSLineMerge_r(ctx.handle(), all.get()), "line merge");
    std::vector<const GEOSGeometry*> pieces;
    geometry::collect_parts(ctx, merged.get(), pieces);
    for (const GEOSGeometry* piece : pieces)
        if (GEOSGeomTypeId_r(ctx.handle(), piece) == GEOS_LINESTRING)
            (geometry::length(ctx, piece) >= min_length_m ? out.long_ones : out.short_ones)
              .push_back(geometry::clone(ctx, piece));
    return out;
}

} // namespace

LandIndex::LandIndex(const std::vector<std::vector<std::string>>& polygons_by_kind)
{
    for (const std::vector<std::string>& wkbs : polygons_by_kind) {
        auto kind = std::make_unique<Kind>();
        kind->wkb = wkbs;
        kind->polygons.resize(wkbs.size());
        kind->boxes.resize(wkbs.size());
        parallel::for_each_index(wkbs.size(), [&](std::size_t i) {
            const geometry::GeosContext& ctx = m_contexts.local();
            kind->polygons[i] = geometry::polygonal_from_wkb(ctx, wkbs[i]);
            if (!geometry::is_empty(ctx, kind->polygons[i].get()))
                kind->boxes[i] = geometry::envelope(ctx, kind->polygons[i].get());
        });
        kind->index = std::make_unique<geometry::BoxIndex>(kind->boxes);
        m_kinds.push_back(std::move(kind));
    }
}

LandIndex::~LandIndex() = default;

std::vector<std::string> LandIndex::near(const Box& box) const
{
    std::vector<std::string> out;
    for (const auto& kind : m_kinds)
        for (std::size_t i : kind->index->query(box))
            out.push_back(kind->wkb[i]);
    return out;
}

std::vector<KindedEdge> LandIndex::split(const geometry::GeosContext& ctx,
                                         const GEOSGeometry* line,
                                         double along_m,
                                         double min_length_m) const
{
    std::vector<KindedEdge> out;
    geometry::GeomPtr rest = geometry::clone(ctx, line);
    for (std::size_t k = 0; k < m_kinds.size() && !geometry::is_empty(ctx, rest.get()); ++k) {
        // Only the polygons' parts near the line matter: clipping them first keeps the buffer
        // of a lake or a long road small.
        const Box reach = grown(geometry::envelope(ctx, rest.get()), along_m + 1.0);
        std::vector<geometry::GeomPtr> clipped;
        std::vector<const GEOSGeometry*> parts;
        for (std::size_t i : m_kinds[k]->index->query(reach)) {
            clipped.push_back(geometry::clip_to_box(ctx, m_kinds[k]->polygons[i].get(), reach));
            parts.push_back(clipped.back().get());
        }
        if (parts.empty())
            continue;
        const geometry::GeomPtr land = geometry::union_of(ctx, parts);
        const geometry::GeomPtr zone =
          ctx.own(GEOSBuffer_r(ctx.handle(), land.get(), along_m, 8), "along zone");
        // Inside and outside the zone from the same noding, so that the stretches left over
        // join up again exactly (a difference of lines from lines would not always remove a
        // stretch whose cut points lie a rounding off its segments).
        const geometry::GeomPtr inside = geometry::intersection(ctx, rest.get(), zone.get());
        Pieces pieces = pieces_of(ctx, inside.get(), min_length_m);
        if (pieces.long_ones.empty())
            continue;
        for (const geometry::GeomPtr& piece : pieces.long_ones)
            out.push_back({ geometry::to_wkb(ctx, piece.get()), k });
        geometry::GeomPtr outside = geometry::difference(ctx, rest.get(), zone.get());
        std::vector<const GEOSGeometry*> left{ outside.get() };
        for (const geometry::GeomPtr& piece : pieces.short_ones)
            left.push_back(piece.get());
        rest = geometry::union_of(ctx, left);
    }
    if (out.empty()) { // the line as it is: along no land, nothing to split
        if (geometry::length(ctx, line) >= min_length_m)
            out.push_back({ geometry::to_wkb(ctx, line), m_kinds.size() });
        return out;
    }
    for (const geometry::GeomPtr& piece : pieces_of(ctx, rest.get(), min_length_m).long_ones)
        out.push_back({ geometry::to_wkb(ctx, piece.get()), m_kinds.size() });
    return out;
}

} // namespace landel::analysis
