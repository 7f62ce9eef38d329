#include "landel/analysis/delineation/overlay_delineation.h"

#include "landel/core/error.h"
#include "landel/geometry/box_index.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"
#include "landel/parallel/progress_counter.h"
#include "overlay_stages.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>
#include <tuple>

namespace landel::analysis {

using geometry::GeomPtr;
using geometry::GeosContext;

namespace detail {

LowVertex lowest_vertex(const GeosContext& ctx, const GEOSGeometry* g)
{
    std::vector<const GEOSGeometry*> polygons;
    geometry::collect_parts(ctx, g, polygons);
    LowVertex low{ std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::infinity() };
    for (const GEOSGeometry* polygon : polygons) {
        const GEOSGeometry* ring = GEOSGetExteriorRing_r(ctx.handle(), polygon);
        const GEOSCoordSequence* seq = ring ? GEOSGeom_getCoordSeq_r(ctx.handle(), ring) : nullptr;
        unsigned int size = 0;
        if (!seq || !GEOSCoordSeq_getSize_r(ctx.handle(), seq, &size))
            ctx.fail("exterior ring coordinates");
        for (unsigned int i = 0; i < size; ++i) {
            LowVertex v;
            if (!GEOSCoordSeq_getXY_r(ctx.handle(), seq, i, &v.x, &v.y))
                ctx.fail("coordinate");
            low = std::min(low, v);
        }
    }
    return low;
}

GeomPtr coverage_union(const GeosContext& ctx, const std::vector<const GEOSGeometry*>& polygons)
{
    if (polygons.size() == 1)
        return geometry::clone(ctx, polygons.front());
    std::vector<GeomPtr> clones;
    clones.reserve(polygons.size());
    for (const GEOSGeometry* p : polygons)
        clones.push_back(geometry::clone(ctx, p));
    const GeomPtr coverage =
      geometry::make_collection(ctx, GEOS_GEOMETRYCOLLECTION, std::move(clones));
    GEOSGeometry* u = GEOSCoverageUnion_r(ctx.handle(), coverage.get());
    if (!u)
        u = GEOSUnaryUnion_r(ctx.handle(), coverage.get());
    GeomPtr polygonal = geometry::polygonal_part(ctx, ctx.own(u, "union").get());
    // A connected result is written as a Polygon, not as a MultiPolygon of one.
    if (GEOSGetNumGeometries_r(ctx.handle(), polygonal.get()) == 1)
        return geometry::clone(ctx, GEOSGetGeometryN_r(ctx.handle(), polygonal.get(), 0));
    return polygonal;
}

} // namespace detail

namespace {

using detail::Contexts;
using detail::LowVertex;
using detail::OverlayPart;

void report(const Progress& progress, double fraction, const char* stage)
{
    if (progress && !progress(fraction, stage))
        throw Cancelled();
}

std::string format_ha(double m2)
{
    std::ostringstream out;
    out.precision(m2 < 1e4 ? 3 : 6);
    out << m2 / 1e4 << " ha";
    return out.str();
}

std::string join_first(const std::vector<std::string>& items, std::size_t limit = 10)
{
    std::ostringstream out;
    for (std::size_t i = 0; i < items.size() && i < limit; ++i)
        out << (i ? "; " : "") << items[i];
    if (items.size() > limit)
        out << "; and " << items.size() - limit << " more";
    return out.str();
}

bool is_lineal_or_puntal(int geos_type)
{
    return geos_type == GEOS_POINT || geos_type == GEOS_LINESTRING ||
           geos_type == GEOS_LINEARRING || geos_type == GEOS_MULTIPOINT ||
           geos_type == GEOS_MULTILINESTRING;
}

/// A layer feature after parsing and repair.
struct Feature
{
    GeomPtr geom; ///< polygonal; empty when the input was empty or collapsed
    Box env;
    bool not_polygonal = false;
    bool repaired = false;
    double input_m2 = 0.0;
};

/// Parses one feature or study area polygon: polygonal parts only, repaired when invalid.
Feature parse_polygonal(const GeosContext& ctx, const std::string& wkb)
{
    Feature f;
    GeomPtr g = geometry::from_wkb(ctx, wkb);
    if (geometry::is_empty(ctx, g.get())) {
        f.geom = geometry::empty_multipolygon(ctx);
        return f;
    }
    f.geom = geometry::polygonal_part(ctx, g.get());
    if (is_lineal_or_puntal(GEOSGeomTypeId_r(ctx.handle(), g.get())) ||
        geometry::is_empty(ctx, f.geom.get())) {
        f.not_polygonal = true;
        return f;
    }
    f.input_m2 = geometry::area(ctx, f.geom.get());
    if (!geometry::is_valid(ctx, f.geom.get())) {
        f.geom = geometry::polygonal_part(ctx, geometry::make_valid(ctx, f.geom.get()).get());
        f.repaired = true;
    }
    f.env = geometry::envelope(ctx, f.geom.get());
    return f;
}

/// Orders geometries by content (envelope, then WKB bytes) so that GEOS sees the same input
/// whatever order the features came in: its results (vertex order, start points, rounding)
/// depend on input order.
bool content_less(const Box& ea, const std::string& wa, const Box& eb, const std::string& wb)
{
    if (ea.xmin != eb.xmin)
        return ea.xmin < eb.xmin;
    if (ea.ymin != eb.ymin)
        return ea.ymin < eb.ymin;
    if (ea.xmax != eb.xmax)
        return ea.xmax < eb.xmax;
    if (ea.ymax != eb.ymax)
        return ea.ymax < eb.ymax;
    return wa < wb;
}

/// One layer's land split by value: the regions are disjoint.
struct LayerRegions
{
    std::vector<std::string> values;               ///< distinct, in byte order
    std::vector<std::vector<std::size_t>> members; ///< per value: feature indices, content order
    std::vector<GeomPtr> regions;                  ///< per value
    double overlap_m2 = 0.0; ///< land claimed by several values, given to the first
};

/// One polygon of a value region, as indexed for classifying faces.
struct RegionPolygon
{
    const GEOSGeometry* geom = nullptr;
    std::size_t layer = 0;
    std::size_t value = 0;
};

/// Lower-cased ASCII letters and digits, non-ASCII bytes (UTF-8 letters) as they are, every
/// other run of characters one '-'.
std::string slug(const std::string& text)
{
    std::string out;
    bool dash = false;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        const bool keep =
          (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80;
        if (!keep) {
            dash = !out.empty();
            continue;
        }
        if (dash)
            out += '-';
        dash = false;
        out += (u >= 'A' && u <= 'Z') ? char(u - 'A' + 'a') : c;
    }
    return out.empty() ? "area" : out;
}

std::string class_name(const std::vector<std::ptrdiff_t>& value_of_layer,
                       const std::vector<LayerRegions>& layers)
{
    bool covered = false;
    for (const std::ptrdiff_t v : value_of_layer)
        covered = covered || v >= 0;
    if (!covered)
        return unclassified_class;
    std::string name;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        if (l)
            name += " / ";
        const std::ptrdiff_t v = value_of_layer[l];
        name += v >= 0 ? layers[l].values[std::size_t(v)] : std::string(unclassified_class);
    }
    return name;
}

} // namespace

OverlayResult delineate_overlay(const OverlayRequest& request)
{
    if (request.layers.empty())
        throw InvalidArgument("overlay: no class layers given");
    if (!(request.min_area_ha >= 0.0) || !std::isfinite(request.min_area_ha))
        throw InvalidArgument("overlay: min_area_ha must be a finite number >= 0");
    for (const ClassLayer& layer : request.layers)
        for (const ClassFeature& f : layer.features)
            if (f.value.empty())
                throw InvalidArgument(layer.label + ": feature " + std::to_string(f.fid) +
                                      " has no '" + layer.field + "' value");

    OverlayResult result;
    Contexts contexts;
    const GeosContext& main = contexts.local();
    const Progress& progress = request.progress;
    report(progress, 0.0, "overlay: reading");

    // 1. Parse and repair every feature.
    std::vector<std::pair<std::size_t, std::size_t>> refs; // (layer, feature)
    for (std::size_t l = 0; l < request.layers.size(); ++l)
        for (std::size_t i = 0; i < request.layers[l].features.size(); ++i)
            refs.emplace_back(l, i);
    std::vector<Feature> features(refs.size());
    parallel::for_each_index(refs.size(), [&](std::size_t k) {
        features[k] = parse_polygonal(contexts.local(),
                                      request.layers[refs[k].first].features[refs[k].second].wkb);
    });
    for (std::size_t k = 0; k < refs.size(); ++k) {
        const ClassLayer& layer = request.layers[refs[k].first];
        const ClassFeature& f = layer.features[refs[k].second];
        if (features[k].not_polygonal)
            throw InvalidArgument(layer.label + ": class layers must be polygons (feature " +
                                  std::to_string(f.fid) + " is not)");
        if (!features[k].repaired)
            continue;
        ++result.repaired;
        const double after = geometry::area(main, features[k].geom.get());
        const double before = features[k].input_m2;
        const double change = before > 0 ? std::abs(after - before) / before : 1.0;
        if (change > 0.01) {
            std::ostringstream msg;
            msg.precision(3);
            msg << layer.label << ": repairing the invalid geometry of feature " << f.fid
                << " changed its area by " << 100.0 * change << "%";
            result.warnings.push_back(msg.str());
        }
    }

    // A content-defined order of all features (ties: identical geometry, so layer and value).
    std::vector<std::size_t> content_order(refs.size());
    for (std::size_t k = 0; k < refs.size(); ++k)
        content_order[k] = k;
    const auto feature_of = [&](std::size_t k) -> const ClassFeature& {
        return request.layers[refs[k].first].features[refs[k].second];
    };
    std::sort(content_order.begin(), content_order.end(), [&](std::size_t a, std::size_t b) {
        const ClassFeature& fa = feature_of(a);
        const ClassFeature& fb = feature_of(b);
        if (content_less(features[a].env, fa.wkb, features[b].env, fb.wkb))
            return true;
        if (content_less(features[b].env, fb.wkb, features[a].env, fa.wkb))
            return false;
        return std::tie(refs[a].first, fa.value, a) < std::tie(refs[b].first, fb.value, b);
    });

    // 2. The study area.
    GeomPtr study;
    const bool study_given = !request.study_area_wkb.empty();
    if (study_given) {
        std::vector<Feature> parts(request.study_area_wkb.size());
        parallel::for_each_index(parts.size(), [&](std::size_t k) {
            parts[k] = parse_polygonal(contexts.local(), request.study_area_wkb[k]);
        });
        std::vector<std::size_t> order(parts.size());
        for (std::size_t k = 0; k < parts.size(); ++k) {
            if (parts[k].not_polygonal)
                throw InvalidArgument("overlay: the study area must be polygons");
            result.repaired += parts[k].repaired ? 1 : 0;
            order[k] = k;
        }
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return content_less(
              parts[a].env, request.study_area_wkb[a], parts[b].env, request.study_area_wkb[b]);
        });
        std::vector<const GEOSGeometry*> polygons;
        for (std::size_t k : order)
            polygons.push_back(parts[k].geom.get());
        study = geometry::polygonal_part(main, geometry::union_of(main, polygons).get());
    } else {
        std::vector<const GEOSGeometry*> polygons;
        for (std::size_t k : content_order)
            polygons.push_back(features[k].geom.get());
        study = geometry::polygonal_part(main, geometry::union_of(main, polygons).get());
    }
    const double study_m2 = geometry::area(main, study.get());
    if (!(study_m2 > 0.0))
        throw InvalidArgument(study_given ? "overlay: the study area is empty"
                                          : "overlay: the class layers hold no polygons");
    const Box study_env = geometry::envelope(main, study.get());
    result.study_area_wkb = geometry::to_wkb(main, study.get());
    report(progress, 0.1, "overlay: value regions");

    // 3. Value regions per layer, from the features near the study area, in content order.
    std::vector<LayerRegions> layers(request.layers.size());
    {
        std::vector<std::map<std::string, std::vector<std::size_t>>> by_value(layers.size());
        for (std::size_t k : content_order)
            if (features[k].env.intersects(study_env))
                by_value[refs[k].first][feature_of(k).value].push_back(k);
        for (std::size_t l = 0; l < layers.size(); ++l)
            for (auto& [value, members] : by_value[l]) {
                layers[l].values.push_back(value);
                layers[l].members.push_back(std::move(members));
            }
    }
    // Where values of one layer overlap, the first value in byte order owns the land. Overlaps
    // are found feature by feature (R-tree, then relate on small geometries), which scales with
    // the number of features; comparing the values' unions pairwise would grow with the square
    // of the number of values and run relate or overlay on whole-layer geometries.
    std::vector<std::size_t> value_of(refs.size(), 0);
    std::vector<std::pair<std::size_t, std::size_t>> near; // (layer, feature) near the study area
    std::vector<geometry::BoxIndex> layer_index;
    std::vector<std::vector<std::size_t>> layer_near(layers.size());
    for (std::size_t l = 0; l < layers.size(); ++l) {
        std::vector<Box> envs;
        for (std::size_t v = 0; v < layers[l].members.size(); ++v)
            for (std::size_t f : layers[l].members[v]) {
                value_of[f] = v;
                near.emplace_back(l, f);
                layer_near[l].push_back(f);
                envs.push_back(features[f].env);
            }
        layer_index.emplace_back(envs);
    }
    std::vector<std::vector<GeomPtr>> claimed_earlier(refs.size());
    parallel::for_each_index(near.size(), [&](std::size_t i) {
        const GeosContext& ctx = contexts.local();
        const auto [l, f] = near[i];
        for (std::size_t pos : layer_index[l].query(features[f].env)) {
            const std::size_t other = layer_near[l][pos];
            if (value_of[other] >= value_of[f] ||
                !ctx.check_predicate(
                  GEOSRelatePattern_r(
                    ctx.handle(), features[other].geom.get(), features[f].geom.get(), "2********"),
                  "relate"))
                continue;
            claimed_earlier[f].push_back(geometry::polygonal_part(
              ctx,
              geometry::intersection(ctx, features[other].geom.get(), features[f].geom.get())
                .get()));
        }
    });
    std::vector<std::pair<std::size_t, std::size_t>> value_refs; // (layer, value)
    for (std::size_t l = 0; l < layers.size(); ++l) {
        layers[l].regions.resize(layers[l].values.size());
        for (std::size_t v = 0; v < layers[l].values.size(); ++v)
            value_refs.emplace_back(l, v);
    }
    std::vector<double> overlap_m2(value_refs.size(), 0.0);
    parallel::for_each_index(value_refs.size(), [&](std::size_t k) {
        const GeosContext& ctx = contexts.local();
        const auto [l, v] = value_refs[k];
        std::vector<const GEOSGeometry*> polygons, claimed;
        for (std::size_t f : layers[l].members[v]) {
            polygons.push_back(features[f].geom.get());
            for (const GeomPtr& c : claimed_earlier[f])
                claimed.push_back(c.get());
        }
        GeomPtr united = geometry::polygonal_part(ctx, geometry::union_of(ctx, polygons).get());
        if (claimed.empty()) {
            layers[l].regions[v] = std::move(united);
            return;
        }
        const GeomPtr taken = geometry::union_of(ctx, claimed);
        overlap_m2[k] = geometry::area(ctx, taken.get());
        layers[l].regions[v] =
          geometry::polygonal_part(ctx, geometry::difference(ctx, united.get(), taken.get()).get());
    });
    for (std::size_t k = 0; k < value_refs.size(); ++k)
        layers[value_refs[k].first].overlap_m2 += overlap_m2[k];
    claimed_earlier.clear();
    for (std::size_t l = 0; l < layers.size(); ++l)
        if (layers[l].overlap_m2 > 0.0)
            result.warnings.push_back(
              request.layers[l].label + ": polygons with different '" + request.layers[l].field +
              "' values overlap on " + format_ha(layers[l].overlap_m2) +
              "; the value first in alphabetical (byte) order owns the overlap");
    report(progress, 0.25, "overlay: faces");

    // 4. Faces: the boundaries of the study area and of every region near it, noded together
    // in one union and polygonized. Noding them in one operation computes every crossing point
    // once, so neighbouring faces share their edges exactly.
    std::vector<RegionPolygon> region_polygons;
    std::vector<Box> region_env;
    for (std::size_t l = 0; l < layers.size(); ++l)
        for (std::size_t v = 0; v < layers[l].regions.size(); ++v) {
            std::vector<const GEOSGeometry*> polygons;
            geometry::collect_parts(main, layers[l].regions[v].get(), polygons);
            for (const GEOSGeometry* p : polygons) {
                const Box env = geometry::envelope(main, p);
                if (!env.intersects(study_env))
                    continue;
                region_polygons.push_back({ p, l, v });
                region_env.push_back(env);
            }
        }
    std::vector<GeomPtr> boundaries(region_polygons.size() + (study_given ? 1 : 0));
    parallel::for_each_index(boundaries.size(), [&](std::size_t k) {
        const GeosContext& ctx = contexts.local();
        const GEOSGeometry* g = k < region_polygons.size() ? region_polygons[k].geom : study.get();
        boundaries[k] = ctx.own(GEOSBoundary_r(ctx.handle(), g), "boundary");
    });
    const GeomPtr linework =
      geometry::make_collection(main, GEOS_GEOMETRYCOLLECTION, std::move(boundaries));
    const GeomPtr noded = main.own(GEOSUnaryUnion_r(main.handle(), linework.get()), "noding");
    const GEOSGeometry* noded_ptr = noded.get();
    const GeomPtr polygonized =
      main.own(GEOSPolygonize_r(main.handle(), &noded_ptr, 1), "polygonize");
    std::vector<const GEOSGeometry*> faces;
    geometry::collect_parts(main, polygonized.get(), faces);
    report(progress, 0.4, "overlay: classes");

    // 5. Classify every face by an interior point: inside the study area? which value of each
    // layer? Prepared geometries index themselves lazily, so each worker prepares its own.
    const geometry::BoxIndex region_index(region_env);
    const std::size_t layer_count = layers.size();
    std::vector<std::vector<std::ptrdiff_t>> face_values(faces.size());
    std::vector<double> face_m2(faces.size(), 0.0);
    std::vector<char> inside(faces.size(), 0);
    {
        // Declared after `contexts`, so destroyed before the contexts they were made with.
        tbb::enumerable_thread_specific<std::vector<geometry::PreparedPtr>> prepared_sets;
        const std::size_t study_slot = region_polygons.size();
        parallel::ProgressCounter counter(progress, 0.4, 0.6, faces.size(), "overlay: classes");
        parallel::for_each_index(
          faces.size(),
          [&](std::size_t k) {
              const GeosContext& ctx = contexts.local();
              std::vector<geometry::PreparedPtr>& prepared = prepared_sets.local();
              if (prepared.empty())
                  prepared.resize(study_slot + 1);
              const auto holds = [&](std::size_t slot, const GEOSGeometry* point) {
                  if (!prepared[slot]) {
                      const GEOSGeometry* g =
                        slot == study_slot ? study.get() : region_polygons[slot].geom;
                      prepared[slot] = ctx.own_prepared(GEOSPrepare_r(ctx.handle(), g), "prepare");
                  }
                  return ctx.check_predicate(
                    GEOSPreparedIntersects_r(ctx.handle(), prepared[slot].get(), point),
                    "intersects");
              };
              face_m2[k] = geometry::area(ctx, faces[k]);
              if (face_m2[k] > 0.0) {
                  const GeomPtr point =
                    ctx.own(GEOSPointOnSurface_r(ctx.handle(), faces[k]), "point on surface");
                  const Box at = geometry::envelope(ctx, point.get());
                  std::vector<std::ptrdiff_t> values(layer_count, -1);
                  bool covered = false;
                  // Ids ascend, so a point on the edge of two values of a layer gets the first.
                  for (std::size_t j : region_index.query(at)) {
                      const RegionPolygon& rp = region_polygons[j];
                      if (values[rp.layer] < 0 && holds(j, point.get())) {
                          values[rp.layer] = std::ptrdiff_t(rp.value);
                          covered = true;
                      }
                  }
                  inside[k] = study_given ? holds(study_slot, point.get()) : covered;
                  face_values[k] = std::move(values);
              }
              counter.step();
          },
          16);
    }

    std::map<std::string, std::vector<const GEOSGeometry*>> class_faces;
    std::vector<double> covered_m2(layer_count, 0.0);
    for (std::size_t k = 0; k < faces.size(); ++k) {
        if (!inside[k])
            continue;
        class_faces[class_name(face_values[k], layers)].push_back(faces[k]);
        for (std::size_t l = 0; l < layer_count; ++l)
            if (face_values[k][l] >= 0)
                covered_m2[l] += face_m2[k];
    }
    for (std::size_t l = 0; l < layer_count; ++l) {
        const double share = covered_m2[l] / study_m2;
        if (share < 1.0 - 1e-6) {
            std::ostringstream msg;
            msg.precision(4);
            msg << request.layers[l].label << ": covers " << 100.0 * share
                << "% of the study area; the rest reads '" << unclassified_class
                << "' for this layer";
            result.warnings.push_back(msg.str());
        }
    }
    report(progress, 0.6, "overlay: parts");

    // 6. Parts: the connected components of each class.
    std::vector<std::string> classes;
    std::vector<const std::vector<const GEOSGeometry*>*> faces_of_class;
    for (const auto& [name, members] : class_faces) {
        classes.push_back(name);
        faces_of_class.push_back(&members);
    }
    std::vector<std::vector<OverlayPart>> class_parts(classes.size());
    parallel::for_each_index(classes.size(), [&](std::size_t c) {
        const GeosContext& ctx = contexts.local();
        const GeomPtr united_class = detail::coverage_union(ctx, *faces_of_class[c]);
        std::vector<const GEOSGeometry*> polygons;
        geometry::collect_parts(ctx, united_class.get(), polygons);
        for (const GEOSGeometry* p : polygons) {
            OverlayPart part;
            part.geom = geometry::clone(ctx, p);
            part.cls = c;
            part.area_m2 = geometry::area(ctx, p);
            part.env = geometry::envelope(ctx, p);
            part.low = detail::lowest_vertex(ctx, p);
            class_parts[c].push_back(std::move(part));
        }
    });
    std::vector<OverlayPart> parts;
    for (std::vector<OverlayPart>& cp : class_parts)
        for (OverlayPart& p : cp)
            parts.push_back(std::move(p));
    class_parts.clear();
    // A content-defined order; it is the last tie-break of merging and numbering.
    std::sort(parts.begin(), parts.end(), [&main](const OverlayPart& a, const OverlayPart& b) {
        if (a.cls != b.cls)
            return a.cls < b.cls;
        if (!(a.low == b.low))
            return a.low < b.low;
        if (a.area_m2 != b.area_m2)
            return a.area_m2 < b.area_m2;
        return geometry::to_wkb(main, a.geom.get()) < geometry::to_wkb(main, b.geom.get());
    });
    report(progress, 0.7, "overlay: merging");

    // 7. Merge parts under the minimum area, then unite each group.
    const detail::MergedParts merged =
      detail::merge_small_parts(contexts, parts, request.min_area_ha * 1e4, progress, 0.7, 0.85);
    result.merged_parts = merged.merged;
    const std::size_t area_count = merged.groups.size();
    std::vector<GeomPtr> area_geom(area_count);
    parallel::for_each_index(area_count, [&](std::size_t g) {
        const GeosContext& ctx = contexts.local();
        const std::vector<std::size_t>& members = merged.groups[g];
        if (members.size() == 1) {
            area_geom[g] = std::move(parts[members.front()].geom);
            return;
        }
        std::vector<const GEOSGeometry*> polygons;
        for (std::size_t m : members)
            polygons.push_back(parts[m].geom.get());
        area_geom[g] = detail::coverage_union(ctx, polygons);
    });
    std::size_t stayed_small = 0;
    for (const std::vector<std::size_t>& members : merged.groups) {
        double m2 = 0.0;
        for (std::size_t m : members)
            m2 += parts[m].area_m2;
        stayed_small += m2 < request.min_area_ha * 1e4 ? 1 : 0;
    }
    if (stayed_small)
        result.warnings.push_back("overlay: " + std::to_string(stayed_small) +
                                  " parts under min_area_ha have no neighbour to merge into and "
                                  "stay as they are");
    report(progress, 0.85, "overlay: checking");

    // 8. The areas must cover the study area: no gaps, no overlaps.
    std::vector<const GEOSGeometry*> area_refs;
    for (const GeomPtr& g : area_geom)
        area_refs.push_back(g.get());
    const std::vector<std::string> problems =
      check_coverage(main, area_refs, study.get(), 1e-6 * study_m2);
    if (!problems.empty())
        throw GeometryError("overlay: the delineated areas do not form a coverage of the study "
                            "area: " +
                            join_first(problems));
    report(progress, 0.95, "overlay: naming");

    // 9. Ids and names: per class, numbered by lowest vertex; classes with the same slug are
    // numbered together so that ids stay unique.
    struct Numbered
    {
        std::size_t group;
        std::size_t cls;
        LowVertex low;
        std::size_t first_part;
    };
    std::vector<Numbered> order;
    for (std::size_t g = 0; g < area_count; ++g) {
        const std::size_t first = merged.groups[g].front();
        order.push_back(
          { g, parts[first].cls, detail::lowest_vertex(main, area_geom[g].get()), first });
    }
    std::vector<std::string> class_slug(classes.size());
    for (std::size_t c = 0; c < classes.size(); ++c)
        class_slug[c] = slug(classes[c]);
    std::sort(order.begin(), order.end(), [&](const Numbered& a, const Numbered& b) {
        if (class_slug[a.cls] != class_slug[b.cls])
            return class_slug[a.cls] < class_slug[b.cls];
        if (a.cls != b.cls)
            return a.cls < b.cls;
        if (!(a.low == b.low))
            return a.low < b.low;
        return a.first_part < b.first_part;
    });
    // Names from the first layer that names areas, when there is one.
    std::vector<std::string> given_names(area_count);
    for (std::size_t l = 0; l < request.layers.size(); ++l) {
        if (!request.layers[l].names_areas)
            continue;
        std::vector<const GEOSGeometry*> named, areas_in_order;
        std::vector<std::string> names;
        for (std::size_t k = 0; k < refs.size(); ++k)
            if (refs[k].first == l) {
                named.push_back(features[k].geom.get());
                names.push_back(request.layers[l].features[refs[k].second].name);
            }
        for (const Numbered& item : order)
            areas_in_order.push_back(area_geom[item.group].get());
        given_names = detail::dominant_names(contexts, areas_in_order, named, names);
        break;
    }
    std::map<std::string, std::size_t> name_uses, name_count;
    for (const std::string& n : given_names)
        if (!n.empty())
            ++name_uses[n];
    std::map<std::string, std::size_t> slug_count;
    std::vector<std::size_t> class_count(classes.size(), 0);
    result.areas.resize(area_count);
    // `order` is already sorted by slug then number, which is the output order.
    for (std::size_t k = 0; k < area_count; ++k) {
        const Numbered& item = order[k];
        const std::string& s = class_slug[item.cls];
        DelineatedArea& area = result.areas[k];
        area.id = s + "-" + std::to_string(++slug_count[s]);
        const std::string number = std::to_string(++class_count[item.cls]);
        const std::string& given = given_names[k];
        if (given.empty())
            area.name = request.name_prefix + classes[item.cls] + " " + number;
        else if (name_uses[given] == 1)
            area.name = request.name_prefix + given;
        else
            area.name = request.name_prefix + given + " " + std::to_string(++name_count[given]);
        area.cls = classes[item.cls];
        area.wkb = geometry::to_wkb(main, area_geom[item.group].get());
        area.area_ha = geometry::area(main, area_geom[item.group].get()) / 1e4;
    }
    report(progress, 1.0, "overlay: done");
    return result;
}

} // namespace landel::analysis
