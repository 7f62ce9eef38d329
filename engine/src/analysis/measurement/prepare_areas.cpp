#include "landel/core/error.h"
#include "landel/core/text.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"
#include "measure_stages.h"

#include <cmath>
#include <map>
#include <sstream>

namespace landel::analysis::detail {

using geometry::GeomPtr;

namespace {

const char* type_name(int geos_type)
{
    switch (geos_type) {
        case GEOS_POINT:
            return "Point";
        case GEOS_LINESTRING:
            return "LineString";
        case GEOS_LINEARRING:
            return "LinearRing";
        case GEOS_MULTIPOINT:
            return "MultiPoint";
        case GEOS_MULTILINESTRING:
            return "MultiLineString";
        case GEOS_GEOMETRYCOLLECTION:
            return "GeometryCollection";
        default:
            return "non-polygon";
    }
}

} // namespace

PreparedAreas prepare_areas(Contexts& contexts, const MeasureRequest& request)
{
    const std::size_t n = request.areas.size();
    PreparedAreas out;
    out.geom.resize(n);
    out.env.resize(n);

    // Per-area findings, collected by index so that messages come out in input order.
    std::vector<int> bad_type(n, -1);
    std::vector<double> input_m2(n, 0.0), repaired_m2(n, -1.0);

    parallel::for_each_index(n, [&](std::size_t i) {
        const geometry::GeosContext& ctx = contexts.local();
        GeomPtr g = geometry::from_wkb(ctx, request.areas[i].wkb);
        if (!geometry::coordinates_in_range(ctx, g.get()))
            throw InvalidArgument(request.areas_label + ": area " + request.areas[i].id +
                                  " (feature " + std::to_string(request.areas[i].fid) +
                                  ") has a coordinate that is not a number or beyond ±1e15 m");
        const int type = GEOSGeomTypeId_r(ctx.handle(), g.get());
        if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) {
            bad_type[i] = type;
            return;
        }
        input_m2[i] = geometry::area(ctx, g.get());
        if (!geometry::is_valid(ctx, g.get())) {
            g = geometry::polygonal_part(ctx, geometry::make_valid(ctx, g.get()).get());
            repaired_m2[i] = geometry::area(ctx, g.get());
        }
        out.geom[i] = std::move(g);
    });

    const std::string& label = request.areas_label;
    for (std::size_t i = 0; i < n; ++i)
        if (bad_type[i] >= 0)
            throw InvalidArgument(label + ": areas are not polygons (feature " +
                                  std::to_string(request.areas[i].fid) + " is a " +
                                  type_name(bad_type[i]) + ")");

    std::vector<std::string> zero;
    std::map<std::string, int> seen;
    std::vector<std::string> duplicates;
    for (std::size_t i = 0; i < n; ++i) {
        const std::string& id = request.areas[i].id;
        const double a = repaired_m2[i] >= 0 ? repaired_m2[i] : input_m2[i];
        if (!(a > 0.0))
            zero.push_back(id);
        if (++seen[id] == 2)
            duplicates.push_back(id);
        if (repaired_m2[i] >= 0) {
            ++out.repaired;
            const double change =
              input_m2[i] > 0 ? std::abs(repaired_m2[i] - input_m2[i]) / input_m2[i] : 1.0;
            if (change > 0.01) {
                std::ostringstream msg;
                msg.precision(3);
                msg << label << ": repairing the invalid geometry of area " << id
                    << " changed its area by " << 100.0 * change << "%";
                out.warnings.push_back(msg.str());
            }
        }
    }
    if (!zero.empty())
        throw InvalidArgument(label + ": areas with zero area: " + join_first(zero));
    if (!duplicates.empty())
        throw InvalidArgument(label + ": duplicate area_id values: " + join_first(duplicates));

    const geometry::GeosContext& main = contexts.local();
    if (!request.study_area_wkb.empty()) {
        std::vector<GeomPtr> parts;
        std::vector<const GEOSGeometry*> refs;
        for (const std::string& wkb : request.study_area_wkb) {
            GeomPtr s = geometry::from_wkb(main, wkb);
            if (!geometry::coordinates_in_range(main, s.get()))
                throw InvalidArgument("study area: a polygon has a coordinate that is not a "
                                      "number or beyond ±1e15 m");
            if (!geometry::is_valid(main, s.get()))
                s = geometry::make_valid(main, s.get());
            parts.push_back(geometry::polygonal_part(main, s.get()));
            refs.push_back(parts.back().get());
        }
        out.study = geometry::polygonal_part(main, geometry::union_of(main, refs).get());
        std::vector<char> outside(n, 0);
        parallel::for_each_index(n, [&](std::size_t i) {
            const geometry::GeosContext& ctx = contexts.local();
            GeomPtr clipped = geometry::polygonal_part(
              ctx, geometry::intersection(ctx, out.geom[i].get(), out.study.get()).get());
            outside[i] = geometry::is_empty(ctx, clipped.get());
            out.geom[i] = std::move(clipped);
        });
        std::vector<std::string> ids;
        for (std::size_t i = 0; i < n; ++i)
            if (outside[i])
                ids.push_back(request.areas[i].id);
        if (!ids.empty())
            out.warnings.push_back(outside_study_warning(label, ids));
    } else {
        std::vector<const GEOSGeometry*> refs;
        for (const GeomPtr& g : out.geom)
            refs.push_back(g.get());
        out.study = union_of_areas(main, refs);
    }

    for (std::size_t i = 0; i < n; ++i)
        out.env[i] = geometry::envelope(main, out.geom[i].get());

    std::vector<const GEOSGeometry*> geom;
    for (const GeomPtr& g : out.geom)
        geom.push_back(g.get());
    for (const auto& [i, j] : overlapping_pairs(contexts, geom, out.env))
        out.overlaps.emplace_back(request.areas[i].id, request.areas[j].id);
    if (!out.overlaps.empty())
        out.warnings.push_back(overlap_warning(label, out.overlaps));
    return out;
}

std::vector<std::pair<std::size_t, std::size_t>> overlapping_pairs(
  Contexts& contexts,
  const std::vector<const GEOSGeometry*>& geom,
  const std::vector<Box>& env)
{
    // Interiors meet in two dimensions ("2********"); shared borders don't.
    const std::size_t n = geom.size();
    const geometry::BoxIndex index(env);
    std::vector<std::vector<std::size_t>> partners(n);
    parallel::for_each_index(n, [&](std::size_t i) {
        const geometry::GeosContext& ctx = contexts.local();
        for (std::size_t j : index.query(env[i])) {
            if (j <= i)
                continue;
            if (ctx.check_predicate(
                  GEOSRelatePattern_r(ctx.handle(), geom[i], geom[j], "2********"), "relate"))
                partners[i].push_back(j);
        }
    });
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j : partners[i])
            pairs.emplace_back(i, j);
    return pairs;
}

GeomPtr union_of_areas(const geometry::GeosContext& ctx,
                       const std::vector<const GEOSGeometry*>& geom)
{
    return geometry::polygonal_part(ctx, geometry::union_of(ctx, geom).get());
}

std::string outside_study_warning(const std::string& label, const std::vector<std::string>& ids)
{
    return label + ": areas outside the study area (measured as 0 ha): " + join_first(ids);
}

std::string overlap_warning(const std::string& label,
                            const std::vector<std::pair<std::string, std::string>>& overlaps)
{
    std::vector<std::string> pairs;
    for (const auto& p : overlaps)
        pairs.push_back(p.first + "/" + p.second);
    return label + ": overlapping areas, each measured on its own; totals are not additive: " +
           join_first(pairs);
}

} // namespace landel::analysis::detail
