#include "landel/analysis/delineation/overlay_delineation.h"

#include "landel/core/error.h"
#include "landel/core/text.h"
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

std::string format_ha(double m2)
{
    std::ostringstream out;
    out.precision(m2 < 1e4 ? 3 : 6);
    out << m2 / 1e4 << " ha";
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

void check_request(const OverlayRequest& request)
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
}

/// Every feature of every layer, parsed and repaired.
struct FeatureSet
{
    std::vector<std::pair<std::size_t, std::size_t>> refs; ///< (layer, feature)
    std::vector<Feature> features;                         ///< per ref
    /// The refs in a content-defined order (ties: identical geometry, so layer and value).
    std::vector<std::size_t> content_order;

    const ClassFeature& input(const OverlayRequest& request, std::size_t k) const
    {
        return request.layers[refs[k].first].features[refs[k].second];
    }
};

/// A warning when repairing feature @p f changed its area by more than 1%.
void warn_of_repair(const GeosContext& ctx,
                    const ClassLayer& layer,
                    const ClassFeature& input,
                    const Feature& f,
                    OverlayResult& result)
{
    const double after = geometry::area(ctx, f.geom.get());
    const double before = f.input_m2;
    const double change = before > 0 ? std::abs(after - before) / before : 1.0;
    if (!(change > 0.01))
        return;
    std::ostringstream msg;
    msg.precision(3);
    msg << layer.label << ": repairing the invalid geometry of feature " << input.fid
        << " changed its area by " << 100.0 * change << "%";
    result.warnings.push_back(msg.str());
}

/// Step 1: every feature parsed and repaired, then put in a content-defined order.
FeatureSet read_features(Contexts& contexts, const OverlayRequest& request, OverlayResult& result)
{
    FeatureSet set;
    for (std::size_t l = 0; l < request.layers.size(); ++l)
        for (std::size_t i = 0; i < request.layers[l].features.size(); ++i)
            set.refs.emplace_back(l, i);
    const std::size_t n = set.refs.size();
    set.features.resize(n);
    parallel::for_each_index(n, [&](std::size_t k) {
        set.features[k] = parse_polygonal(contexts.local(), set.input(request, k).wkb);
    });
    const GeosContext& main = contexts.local();
    for (std::size_t k = 0; k < n; ++k) {
        const ClassLayer& layer = request.layers[set.refs[k].first];
        const ClassFeature& f = set.input(request, k);
        if (set.features[k].not_polygonal)
            throw InvalidArgument(layer.label + ": class layers must be polygons (feature " +
                                  std::to_string(f.fid) + " is not)");
        if (!set.features[k].repaired)
            continue;
        ++result.repaired;
        warn_of_repair(main, layer, f, set.features[k], result);
    }

    set.content_order.resize(n);
    for (std::size_t k = 0; k < n; ++k)
        set.content_order[k] = k;
    const auto& features = set.features;
    const auto& refs = set.refs;
    std::sort(
      set.content_order.begin(), set.content_order.end(), [&](std::size_t a, std::size_t b) {
          const ClassFeature& fa = set.input(request, a);
          const ClassFeature& fb = set.input(request, b);
          if (content_less(features[a].env, fa.wkb, features[b].env, fb.wkb))
              return true;
          if (content_less(features[b].env, fb.wkb, features[a].env, fa.wkb))
              return false;
          return std::tie(refs[a].first, fa.value, a) < std::tie(refs[b].first, fb.value, b);
      });
    return set;
}

/// The study area as used.
struct StudyArea
{
    GeomPtr geom;
    double m2 = 0.0;
    Box env;
    bool given = false; ///< from study_area_wkb, not the union of the layers
};

/// Step 2: the union of the study area polygons, or without them of every layer's polygons.
StudyArea study_area(Contexts& contexts,
                     const OverlayRequest& request,
                     const FeatureSet& set,
                     OverlayResult& result)
{
    const GeosContext& main = contexts.local();
    StudyArea study;
    study.given = !request.study_area_wkb.empty();
    std::vector<const GEOSGeometry*> polygons;
    std::vector<Feature> parts(request.study_area_wkb.size());
    if (study.given) {
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
        for (std::size_t k : order)
            polygons.push_back(parts[k].geom.get());
    } else {
        for (std::size_t k : set.content_order)
            polygons.push_back(set.features[k].geom.get());
    }
    study.geom = geometry::polygonal_part(main, geometry::union_of(main, polygons).get());
    study.m2 = geometry::area(main, study.geom.get());
    if (!(study.m2 > 0.0))
        throw InvalidArgument(study.given ? "overlay: the study area is empty"
                                          : "overlay: the class layers hold no polygons");
    study.env = geometry::envelope(main, study.geom.get());
    result.study_area_wkb = geometry::to_wkb(main, study.geom.get());
    return study;
}

/// Step 3 (first part): per layer its values near the study area, in byte order, each with
/// its features in content order.
std::vector<LayerRegions> values_near(const OverlayRequest& request,
                                      const FeatureSet& set,
                                      const Box& study_env)
{
    std::vector<LayerRegions> layers(request.layers.size());
    std::vector<std::map<std::string, std::vector<std::size_t>>> by_value(layers.size());
    for (std::size_t k : set.content_order)
        if (set.features[k].env.intersects(study_env))
            by_value[set.refs[k].first][set.input(request, k).value].push_back(k);
    for (std::size_t l = 0; l < layers.size(); ++l)
        for (auto& [value, members] : by_value[l]) {
            layers[l].values.push_back(value);
            layers[l].members.push_back(std::move(members));
        }
    return layers;
}

/// Step 3 (second part): per feature, the land of it that features of an earlier value of
/// its layer claim. Overlaps are found feature by feature (R-tree, then relate on small
/// geometries), which scales with the number of features; comparing the values' unions
/// pairwise would grow with the square of the number of values and run relate or overlay on
/// whole-layer geometries.
std::vector<std::vector<GeomPtr>> claimed_earlier(Contexts& contexts,
                                                  const FeatureSet& set,
                                                  const std::vector<LayerRegions>& layers)
{
    const std::vector<Feature>& features = set.features;
    std::vector<std::size_t> value_of(features.size(), 0);
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
    std::vector<std::vector<GeomPtr>> claimed(features.size());
    parallel::for_each_index(near.size(), [&](std::size_t i) {
        const GeosContext& ctx = contexts.local();
        const auto [l, f] = near[i];
        const GEOSGeometry* mine = features[f].geom.get();
        for (std::size_t pos : layer_index[l].query(features[f].env)) {
            const std::size_t other = layer_near[l][pos];
            const GEOSGeometry* theirs = features[other].geom.get();
            if (value_of[other] >= value_of[f] ||
                !ctx.check_predicate(GEOSRelatePattern_r(ctx.handle(), theirs, mine, "2********"),
                                     "relate"))
                continue;
            claimed[f].push_back(
              geometry::polygonal_part(ctx, geometry::intersection(ctx, theirs, mine).get()));
        }
    });
    return claimed;
}

/// Step 3: value regions per layer, from the features near the study area, in content order.
/// Where values of one layer overlap, the first value in byte order owns the land.
std::vector<LayerRegions> value_regions(Contexts& contexts,
                                        const OverlayRequest& request,
                                        const FeatureSet& set,
                                        const Box& study_env,
                                        OverlayResult& result)
{
    std::vector<LayerRegions> layers = values_near(request, set, study_env);
    const std::vector<std::vector<GeomPtr>> claimed = claimed_earlier(contexts, set, layers);
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
        std::vector<const GEOSGeometry*> polygons, taken_parts;
        for (std::size_t f : layers[l].members[v]) {
            polygons.push_back(set.features[f].geom.get());
            for (const GeomPtr& c : claimed[f])
                taken_parts.push_back(c.get());
        }
        GeomPtr united = geometry::polygonal_part(ctx, geometry::union_of(ctx, polygons).get());
        if (taken_parts.empty()) {
            layers[l].regions[v] = std::move(united);
            return;
        }
        const GeomPtr taken = geometry::union_of(ctx, taken_parts);
        overlap_m2[k] = geometry::area(ctx, taken.get());
        layers[l].regions[v] =
          geometry::polygonal_part(ctx, geometry::difference(ctx, united.get(), taken.get()).get());
    });
    for (std::size_t k = 0; k < value_refs.size(); ++k)
        layers[value_refs[k].first].overlap_m2 += overlap_m2[k];
    for (std::size_t l = 0; l < layers.size(); ++l)
        if (layers[l].overlap_m2 > 0.0)
            result.warnings.push_back(
              request.layers[l].label + ": polygons with different '" + request.layers[l].field +
              "' values overlap on " + format_ha(layers[l].overlap_m2) +
              "; the value first in alphabetical (byte) order owns the overlap");
    return layers;
}

/// The faces of the noded boundaries, and the region polygons they are classified by.
struct Faces
{
    std::vector<RegionPolygon> region_polygons; ///< point into the layers' regions
    std::vector<Box> region_env;                ///< per region polygon
    GeomPtr polygonized;
    std::vector<const GEOSGeometry*> faces; ///< the polygons of `polygonized`
};

/// Step 4: faces: the boundaries of the study area and of every region near it, noded
/// together in one union and polygonized. Noding them in one operation computes every
/// crossing point once, so neighbouring faces share their edges exactly.
Faces split_into_faces(Contexts& contexts,
                       const std::vector<LayerRegions>& layers,
                       const StudyArea& study)
{
    const GeosContext& main = contexts.local();
    Faces out;
    for (std::size_t l = 0; l < layers.size(); ++l)
        for (std::size_t v = 0; v < layers[l].regions.size(); ++v) {
            std::vector<const GEOSGeometry*> polygons;
            geometry::collect_parts(main, layers[l].regions[v].get(), polygons);
            for (const GEOSGeometry* p : polygons) {
                const Box env = geometry::envelope(main, p);
                if (!env.intersects(study.env))
                    continue;
                out.region_polygons.push_back({ p, l, v });
                out.region_env.push_back(env);
            }
        }
    const std::size_t n_regions = out.region_polygons.size();
    std::vector<GeomPtr> boundaries(n_regions + (study.given ? 1 : 0));
    parallel::for_each_index(boundaries.size(), [&](std::size_t k) {
        const GeosContext& ctx = contexts.local();
        const GEOSGeometry* g = k < n_regions ? out.region_polygons[k].geom : study.geom.get();
        boundaries[k] = ctx.own(GEOSBoundary_r(ctx.handle(), g), "boundary");
    });
    const GeomPtr linework =
      geometry::make_collection(main, GEOS_GEOMETRYCOLLECTION, std::move(boundaries));
    const GeomPtr noded = main.own(GEOSUnaryUnion_r(main.handle(), linework.get()), "noding");
    const GEOSGeometry* noded_ptr = noded.get();
    out.polygonized = main.own(GEOSPolygonize_r(main.handle(), &noded_ptr, 1), "polygonize");
    geometry::collect_parts(main, out.polygonized.get(), out.faces);
    return out;
}

/// What an interior point of each face lies in.
struct FaceClasses
{
    std::vector<std::vector<std::ptrdiff_t>> values; ///< per face, per layer: value or -1
    std::vector<double> m2;                          ///< per face
    std::vector<char> inside;                        ///< per face: in the study area
};

/// Tests points against the region polygons and the study area, each prepared once per
/// worker on first use (prepared geometries index themselves lazily, so workers do not
/// share them).
class PreparedSlots
{
public:
    PreparedSlots(const Faces& faces, const StudyArea& study)
      : m_faces(faces)
      , m_study(study)
    {
    }

    std::size_t study_slot() const { return m_faces.region_polygons.size(); }

    /// Whether the region polygon @p slot (or the study area, at study_slot()) holds
    /// @p point.
    bool holds(const GeosContext& ctx, std::size_t slot, const GEOSGeometry* point)
    {
        std::vector<geometry::PreparedPtr>& prepared = m_sets.local();
        if (prepared.empty())
            prepared.resize(study_slot() + 1);
        if (!prepared[slot]) {
            const GEOSGeometry* g =
              slot == study_slot() ? m_study.geom.get() : m_faces.region_polygons[slot].geom;
            prepared[slot] = ctx.own_prepared(GEOSPrepare_r(ctx.handle(), g), "prepare");
        }
        return ctx.check_predicate(
          GEOSPreparedIntersects_r(ctx.handle(), prepared[slot].get(), point), "intersects");
    }

private:
    const Faces& m_faces;
    const StudyArea& m_study;
    tbb::enumerable_thread_specific<std::vector<geometry::PreparedPtr>> m_sets;
};

/// Step 5: classifies every face by an interior point: inside the study area? which value
/// of each layer?
FaceClasses classify_faces(Contexts& contexts,
                           const Faces& faces,
                           const StudyArea& study,
                           std::size_t layer_count,
                           const Progress& progress)
{
    const std::size_t n = faces.faces.size();
    const geometry::BoxIndex region_index(faces.region_env);
    FaceClasses out;
    out.values.resize(n);
    out.m2.assign(n, 0.0);
    out.inside.assign(n, 0);
    // Declared after `contexts`, so destroyed before the contexts they were made with.
    PreparedSlots slots(faces, study);
    parallel::ProgressCounter counter(progress, 0.4, 0.6, n, "overlay: classes");
    const auto classify = [&](std::size_t k) {
        const GeosContext& ctx = contexts.local();
        out.m2[k] = geometry::area(ctx, faces.faces[k]);
        if (!(out.m2[k] > 0.0))
            return;
        const GeomPtr point =
          ctx.own(GEOSPointOnSurface_r(ctx.handle(), faces.faces[k]), "point on surface");
        const Box at = geometry::envelope(ctx, point.get());
        std::vector<std::ptrdiff_t> values(layer_count, -1);
        bool covered = false;
        // Ids ascend, so a point on the edge of two values of a layer gets the first.
        for (std::size_t j : region_index.query(at)) {
            const RegionPolygon& rp = faces.region_polygons[j];
            if (values[rp.layer] < 0 && slots.holds(ctx, j, point.get())) {
                values[rp.layer] = std::ptrdiff_t(rp.value);
                covered = true;
            }
        }
        out.inside[k] = study.given ? slots.holds(ctx, slots.study_slot(), point.get()) : covered;
        out.values[k] = std::move(values);
    };
    parallel::for_each_index(
      n,
      [&](std::size_t k) {
          classify(k);
          counter.step();
      },
      16);
    return out;
}

/// Step 5 (cont.): the faces inside the study area by class name; warns of layers that
/// leave part of the study area uncovered.
std::map<std::string, std::vector<const GEOSGeometry*>> faces_by_class(
  const OverlayRequest& request,
  const std::vector<LayerRegions>& layers,
  const Faces& faces,
  const FaceClasses& classes,
  double study_m2,
  OverlayResult& result)
{
    const std::size_t layer_count = layers.size();
    std::map<std::string, std::vector<const GEOSGeometry*>> class_faces;
    std::vector<double> covered_m2(layer_count, 0.0);
    for (std::size_t k = 0; k < faces.faces.size(); ++k) {
        if (!classes.inside[k])
            continue;
        class_faces[class_name(classes.values[k], layers)].push_back(faces.faces[k]);
        for (std::size_t l = 0; l < layer_count; ++l)
            if (classes.values[k][l] >= 0)
                covered_m2[l] += classes.m2[k];
    }
    for (std::size_t l = 0; l < layer_count; ++l) {
        const double share = covered_m2[l] / study_m2;
        if (!(share < 1.0 - 1e-6))
            continue;
        std::ostringstream msg;
        msg.precision(4);
        msg << request.layers[l].label << ": covers " << 100.0 * share
            << "% of the study area; the rest reads '" << unclassified_class << "' for this layer";
        result.warnings.push_back(msg.str());
    }
    return class_faces;
}

/// The connected components of the classes, in a content-defined order.
struct Parts
{
    std::vector<std::string> classes; ///< in byte order; OverlayPart::cls indexes it
    std::vector<OverlayPart> parts;
};

/// Step 6: parts: the connected components of each class (its faces united as a coverage).
Parts class_parts(Contexts& contexts,
                  const std::map<std::string, std::vector<const GEOSGeometry*>>& class_faces)
{
    Parts out;
    std::vector<const std::vector<const GEOSGeometry*>*> faces_of_class;
    for (const auto& [name, members] : class_faces) {
        out.classes.push_back(name);
        faces_of_class.push_back(&members);
    }
    std::vector<std::vector<OverlayPart>> per_class(out.classes.size());
    parallel::for_each_index(out.classes.size(), [&](std::size_t c) {
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
            per_class[c].push_back(std::move(part));
        }
    });
    for (std::vector<OverlayPart>& cp : per_class)
        for (OverlayPart& p : cp)
            out.parts.push_back(std::move(p));
    // A content-defined order; it is the last tie-break of merging and numbering.
    const GeosContext& main = contexts.local();
    std::sort(
      out.parts.begin(), out.parts.end(), [&main](const OverlayPart& a, const OverlayPart& b) {
          if (a.cls != b.cls)
              return a.cls < b.cls;
          if (!(a.low == b.low))
              return a.low < b.low;
          if (a.area_m2 != b.area_m2)
              return a.area_m2 < b.area_m2;
          return geometry::to_wkb(main, a.geom.get()) < geometry::to_wkb(main, b.geom.get());
      });
    return out;
}

/// The areas after merging: per group of merged parts its geometry.
struct MergedAreas
{
    detail::MergedParts merged;
    std::vector<GeomPtr> geom; ///< per group
};

/// Step 7: merges parts under the minimum area into neighbours, then unites each group.
/// Takes the geometry of parts that stay alone.
MergedAreas merge_parts(Contexts& contexts,
                        const OverlayRequest& request,
                        std::vector<OverlayPart>& parts,
                        OverlayResult& result)
{
    const double min_m2 = request.min_area_ha * 1e4;
    MergedAreas out;
    out.merged = detail::merge_small_parts(contexts, parts, min_m2, request.progress, 0.7, 0.85);
    result.merged_parts = out.merged.merged;
    const std::vector<std::vector<std::size_t>>& groups = out.merged.groups;
    out.geom.resize(groups.size());
    parallel::for_each_index(groups.size(), [&](std::size_t g) {
        const GeosContext& ctx = contexts.local();
        const std::vector<std::size_t>& members = groups[g];
        if (members.size() == 1) {
            out.geom[g] = std::move(parts[members.front()].geom);
            return;
        }
        std::vector<const GEOSGeometry*> polygons;
        for (std::size_t m : members)
            polygons.push_back(parts[m].geom.get());
        out.geom[g] = detail::coverage_union(ctx, polygons);
    });
    std::size_t stayed_small = 0;
    for (const std::vector<std::size_t>& members : groups) {
        double m2 = 0.0;
        for (std::size_t m : members)
            m2 += parts[m].area_m2;
        stayed_small += m2 < min_m2 ? 1 : 0;
    }
    if (stayed_small)
        result.warnings.push_back("overlay: " + std::to_string(stayed_small) +
                                  " parts under min_area_ha have no neighbour to merge into and "
                                  "stay as they are");
    return out;
}

/// Step 8: the areas must cover the study area: no gaps, no overlaps.
void check_areas_cover(const GeosContext& main,
                       const std::vector<GeomPtr>& area_geom,
                       const StudyArea& study)
{
    std::vector<const GEOSGeometry*> area_refs;
    for (const GeomPtr& g : area_geom)
        area_refs.push_back(g.get());
    const std::vector<std::string> problems =
      check_coverage(main, area_refs, study.geom.get(), 1e-6 * study.m2);
    if (!problems.empty())
        throw GeometryError("overlay: the delineated areas do not form a coverage of the study "
                            "area: " +
                            join_first(problems, "; ", "; and "));
}

/// An area in numbering order.
struct Numbered
{
    std::size_t group;
    std::size_t cls;
    LowVertex low;
    std::size_t first_part;
};

/// Step 9 (first part): the areas in output order: by class slug, class, lowest vertex.
/// Classes with the same slug are numbered together so that ids stay unique.
std::vector<Numbered> numbering_order(const GeosContext& main,
                                      const Parts& parts,
                                      const MergedAreas& areas,
                                      const std::vector<std::string>& class_slug)
{
    std::vector<Numbered> order;
    for (std::size_t g = 0; g < areas.geom.size(); ++g) {
        const std::size_t first = areas.merged.groups[g].front();
        order.push_back(
          { g, parts.parts[first].cls, detail::lowest_vertex(main, areas.geom[g].get()), first });
    }
    std::sort(order.begin(), order.end(), [&](const Numbered& a, const Numbered& b) {
        if (class_slug[a.cls] != class_slug[b.cls])
            return class_slug[a.cls] < class_slug[b.cls];
        if (a.cls != b.cls)
            return a.cls < b.cls;
        if (!(a.low == b.low))
            return a.low < b.low;
        return a.first_part < b.first_part;
    });
    return order;
}

/// Step 9 (second part): per area in @p order, the name the first layer that names areas
/// gives it (empty when none does).
std::vector<std::string> given_names(Contexts& contexts,
                                     const OverlayRequest& request,
                                     const FeatureSet& set,
                                     const MergedAreas& areas,
                                     const std::vector<Numbered>& order)
{
    for (std::size_t l = 0; l < request.layers.size(); ++l) {
        if (!request.layers[l].names_areas)
            continue;
        std::vector<const GEOSGeometry*> named, areas_in_order;
        std::vector<std::string> names;
        for (std::size_t k = 0; k < set.refs.size(); ++k)
            if (set.refs[k].first == l) {
                named.push_back(set.features[k].geom.get());
                names.push_back(set.input(request, k).name);
            }
        for (const Numbered& item : order)
            areas_in_order.push_back(areas.geom[item.group].get());
        return detail::dominant_names(contexts, areas_in_order, named, names);
    }
    return std::vector<std::string>(order.size());
}

/// Step 9: ids and names: per class, numbered by lowest vertex.
void name_areas(Contexts& contexts,
                const OverlayRequest& request,
                const FeatureSet& set,
                const Parts& parts,
                const MergedAreas& areas,
                OverlayResult& result)
{
    const GeosContext& main = contexts.local();
    const std::vector<std::string>& classes = parts.classes;
    std::vector<std::string> class_slug(classes.size());
    for (std::size_t c = 0; c < classes.size(); ++c)
        class_slug[c] = slug(classes[c]);
    const std::vector<Numbered> order = numbering_order(main, parts, areas, class_slug);
    const std::vector<std::string> given = given_names(contexts, request, set, areas, order);
    std::map<std::string, std::size_t> name_uses, name_count;
    for (const std::string& n : given)
        if (!n.empty())
            ++name_uses[n];
    std::map<std::string, std::size_t> slug_count;
    std::vector<std::size_t> class_count(classes.size(), 0);
    result.areas.resize(order.size());
    // `order` is already sorted by slug then number, which is the output order.
    for (std::size_t k = 0; k < order.size(); ++k) {
        const Numbered& item = order[k];
        const std::string& s = class_slug[item.cls];
        DelineatedArea& area = result.areas[k];
        area.id = s + "-" + std::to_string(++slug_count[s]);
        const std::string number = std::to_string(++class_count[item.cls]);
        const std::string& name = given[k];
        if (name.empty())
            area.name = request.name_prefix + classes[item.cls] + " " + number;
        else if (name_uses[name] == 1)
            area.name = request.name_prefix + name;
        else
            area.name = request.name_prefix + name + " " + std::to_string(++name_count[name]);
        area.cls = classes[item.cls];
        area.wkb = geometry::to_wkb(main, areas.geom[item.group].get());
        area.area_ha = geometry::area(main, areas.geom[item.group].get()) / 1e4;
    }
}

} // namespace

OverlayResult delineate_overlay(const OverlayRequest& request)
{
    check_request(request);
    OverlayResult result;
    Contexts contexts; // declared first: every geometry below is destroyed before the contexts
    const Progress& progress = request.progress;
    report_progress(progress, 0.0, "overlay: reading");

    // 1. The features.
    const FeatureSet features = read_features(contexts, request, result);
    // 2. The study area.
    const StudyArea study = study_area(contexts, request, features, result);
    report_progress(progress, 0.1, "overlay: value regions");

    // 3. Value regions per layer.
    const std::vector<LayerRegions> layers =
      value_regions(contexts, request, features, study.env, result);
    report_progress(progress, 0.25, "overlay: faces");

    // 4. Faces of the noded boundaries.
    const Faces faces = split_into_faces(contexts, layers, study);
    report_progress(progress, 0.4, "overlay: classes");

    // 5. Each face's class.
    const FaceClasses face_classes =
      classify_faces(contexts, faces, study, layers.size(), progress);
    const auto class_faces = faces_by_class(request, layers, faces, face_classes, study.m2, result);
    report_progress(progress, 0.6, "overlay: parts");

    // 6. Parts: the connected components of each class.
    Parts parts = class_parts(contexts, class_faces);
    report_progress(progress, 0.7, "overlay: merging");

    // 7. Small parts merged into neighbours.
    const MergedAreas areas = merge_parts(contexts, request, parts.parts, result);
    report_progress(progress, 0.85, "overlay: checking");

    // 8. The coverage check.
    check_areas_cover(contexts.local(), areas.geom, study);
    report_progress(progress, 0.95, "overlay: naming");

    // 9. Ids and names.
    name_areas(contexts, request, features, parts, areas, result);
    report_progress(progress, 1.0, "overlay: done");
    return result;
}

} // namespace landel::analysis
