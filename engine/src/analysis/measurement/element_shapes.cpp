#include "landel/analysis/measurement/footprint.h"
#include "landel/analysis/measurement/patch_filter.h"
#include "landel/core/error.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"
#include "measure_stages.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <numeric>
#include <sstream>

namespace landel::analysis::detail {

using geometry::GeomPtr;
using geometry::GeosContext;

bool ContentKey::operator<(const ContentKey& o) const
{
    if (group != o.group)
        return group < o.group;
    if (env.xmin != o.env.xmin)
        return env.xmin < o.env.xmin;
    if (env.ymin != o.env.ymin)
        return env.ymin < o.env.ymin;
    if (env.xmax != o.env.xmax)
        return env.xmax < o.env.xmax;
    if (env.ymax != o.env.ymax)
        return env.ymax < o.env.ymax;
    const int c = wkb && o.wkb ? wkb->compare(*o.wkb) : 0;
    if (c != 0)
        return c < 0;
    return part < o.part;
}

namespace {

/// The parts of @p g of one GEOS single type, as one multi-geometry (null when none).
GeomPtr parts_of_type(const GeosContext& ctx,
                      const GEOSGeometry* g,
                      int single_type,
                      int multi_type)
{
    std::vector<const GEOSGeometry*> parts;
    geometry::collect_parts(ctx, g, parts);
    std::vector<GeomPtr> picked;
    for (const GEOSGeometry* p : parts)
        if (GEOSGeomTypeId_r(ctx.handle(), p) == single_type)
            picked.push_back(geometry::clone(ctx, p));
    if (picked.empty())
        return nullptr;
    return geometry::make_collection(ctx, multi_type, std::move(picked));
}

/// Envelope of @p g grown by @p margin on every side (empty stays empty).
Box grown_envelope(const GeosContext& ctx, const GEOSGeometry* g, double margin)
{
    Box b = geometry::envelope(ctx, g);
    if (!b.empty()) {
        b.xmin -= margin;
        b.ymin -= margin;
        b.xmax += margin;
        b.ymax += margin;
    }
    return b;
}

} // namespace

ParsedElement parse_feature(const GeosContext& ctx,
                            const ElementSource& src,
                            const ElementFeature& f)
{
    ParsedElement p;
    GeomPtr g = geometry::from_wkb(ctx, f.wkb);
    if (!geometry::coordinates_in_range(ctx, g.get()))
        throw InvalidArgument(src.label + ": feature " + std::to_string(f.fid) +
                              " has a coordinate that is not a number or beyond ±1e15 m");
    if (geometry::is_empty(ctx, g.get()))
        return p;
    const int dims = dimension_mask(ctx, g.get());
    if ((dims & has_polygons) && !geometry::is_valid(ctx, g.get())) {
        g = geometry::make_valid(ctx, g.get());
        p.repaired = true;
    }
    if (dims & (has_points | has_lines)) {
        if (std::isnan(f.width_m))
            throw InvalidArgument(src.label + ": feature " + std::to_string(f.fid) +
                                  " is a line or point without a width (no width_field value and "
                                  "no width_m)");
        if (!(f.width_m > 0.0) || !std::isfinite(f.width_m)) {
            std::ostringstream msg;
            msg << src.label << ": feature " << f.fid << " has width " << f.width_m
                << " m; widths must be > 0";
            throw InvalidArgument(msg.str());
        }
        p.lines = parts_of_type(ctx, g.get(), GEOS_LINESTRING, GEOS_MULTILINESTRING);
        p.points = parts_of_type(ctx, g.get(), GEOS_POINT, GEOS_MULTIPOINT);
    }
    if (dims & has_polygons) {
        if (src.max_patch_ha) {
            // Polygons are judged as patches before they become shapes.
            std::vector<const GEOSGeometry*> parts;
            geometry::collect_parts(ctx, g.get(), parts);
            for (const GEOSGeometry* part : parts)
                if (GEOSGeomTypeId_r(ctx.handle(), part) == GEOS_POLYGON)
                    p.patch_polygons.push_back(geometry::clone(ctx, part));
        } else {
            p.polygons =
              dims == has_polygons ? std::move(g) : geometry::polygonal_part(ctx, g.get());
        }
    }
    return p;
}

const GEOSGeometry* Shape::footprint(const GeosContext& ctx, GeomPtr& storage) const
{
    if (polygons && !lines && !points)
        return polygons.get();
    std::vector<GeomPtr> pieces;
    if (lines)
        pieces.push_back(element_footprint(ctx, lines.get(), width_m));
    if (points)
        pieces.push_back(element_footprint(ctx, points.get(), width_m));
    if (polygons)
        pieces.push_back(geometry::clone(ctx, polygons.get()));
    if (pieces.size() == 1) {
        storage = std::move(pieces.front());
    } else {
        std::vector<const GEOSGeometry*> refs;
        for (const GeomPtr& piece : pieces)
            refs.push_back(piece.get());
        storage = geometry::polygonal_part(ctx, geometry::union_of(ctx, refs).get());
    }
    return storage.get();
}

ElementShapes build_element_shapes(Contexts& contexts, const MeasureRequest& request)
{
    ElementShapes out;
    struct Keyed
    {
        Shape shape;
        ContentKey key;
        PartOf part_of; ///< patch parts: the feature and part it is
    };
    std::vector<Keyed> all;
    // Content of patch polygons, which the keys point at; a deque keeps the addresses stable.
    std::deque<std::string> part_wkbs;

    out.judged.resize(request.sources.size());
    for (std::size_t s = 0; s < request.sources.size(); ++s) {
        const ElementSource& src = request.sources[s];
        SourceReport report;
        report.label = src.label;
        report.features = src.features.size();

        std::vector<ParsedElement> parsed(src.features.size());
        parallel::for_each_index(src.features.size(), [&](std::size_t i) {
            parsed[i] = parse_feature(contexts.local(), src, src.features[i]);
        });

        const GeosContext& ctx = contexts.local();
        std::vector<Keyed> patch_parts;
        for (std::size_t i = 0; i < parsed.size(); ++i) {
            ParsedElement& p = parsed[i];
            if (p.repaired)
                report.repaired_at.push_back(i);
            const int type = src.features[i].type;
            if (p.polygons || p.lines || p.points) {
                Keyed k;
                k.shape.polygons = std::move(p.polygons);
                k.shape.lines = std::move(p.lines);
                k.shape.points = std::move(p.points);
                k.shape.width_m = src.features[i].width_m;
                k.shape.type = type;
                k.shape.source = int(s);
                // A strip or circle stays within its centre geometry's envelope grown by
                // half the width.
                const double half = k.shape.lines || k.shape.points ? k.shape.width_m / 2.0 : 0.0;
                for (const GeomPtr* part : { &k.shape.polygons, &k.shape.lines, &k.shape.points })
                    if (*part)
                        k.shape.env.expand(grown_envelope(ctx, part->get(), half));
                k.key = ContentKey{ int(s), k.shape.env, &src.features[i].wkb, 0 };
                all.push_back(std::move(k));
            }
            for (std::size_t j = 0; j < p.patch_polygons.size(); ++j) {
                Keyed k;
                k.shape.polygons = std::move(p.patch_polygons[j]);
                k.shape.type = type;
                k.shape.source = int(s);
                k.shape.env = geometry::envelope(ctx, k.shape.polygons.get());
                part_wkbs.push_back(geometry::to_wkb(ctx, k.shape.polygons.get()));
                k.key = ContentKey{ int(s), k.shape.env, &part_wkbs.back(), 0 };
                k.part_of = { i, j };
                patch_parts.push_back(std::move(k));
            }
        }
        report.repaired = report.repaired_at.size();

        if (src.max_patch_ha) {
            std::shared_ptr<const JudgedPatches> judged = src.judged;
            if (!judged) {
                // Judge the patches on content-ordered input: the union, and so the patch
                // areas, must not depend on feature order.
                std::sort(patch_parts.begin(),
                          patch_parts.end(),
                          [](const Keyed& a, const Keyed& b) { return a.key < b.key; });
                std::vector<const GEOSGeometry*> polys;
                std::vector<PartOf> part_of;
                for (const Keyed& k : patch_parts) {
                    polys.push_back(k.shape.polygons.get());
                    part_of.push_back(k.part_of);
                }
                judged = judge_source_parts(
                  ctx, polys, part_of, src.features.size(), *src.max_patch_ha * 1e4);
            }
            report.patches = judged->patches;
            report.dropped_patches = judged->over;
            report.dropped_patch_ha = judged->over_ha;
            for (Keyed& k : patch_parts)
                if (!over_limit(*judged, k.part_of, src.label))
                    all.push_back(std::move(k));
            out.judged[s] = std::move(judged);
        }
        out.reports.push_back(report);
    }

    std::sort(all.begin(), all.end(), [](const Keyed& a, const Keyed& b) { return a.key < b.key; });
    out.shapes.reserve(all.size());
    for (Keyed& k : all)
        out.shapes.push_back(std::move(k.shape));
    return out;
}

} // namespace landel::analysis::detail
