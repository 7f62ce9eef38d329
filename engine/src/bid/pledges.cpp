#include "landel/bid/pledges.h"

#include "landel/analysis/measurement/footprint.h"
#include "landel/core/error.h"
#include "landel/geometry/contexts.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace landel::bid {

using geometry::GeomPtr;
using geometry::GeosContext;

namespace {

[[noreturn]] void reject(const Pledge& p, const std::string& what)
{
    throw InvalidArgument(p.label + ": " + what);
}

/// What a pledge's geometry is made of (analysis::dimension_mask), 0 without one.
int dimensions_of(const GeosContext& ctx, const Pledge& p)
{
    if (p.geometry_wkb.empty())
        return 0;
    const GeomPtr g = geometry::from_wkb(ctx, p.geometry_wkb);
    return analysis::dimension_mask(ctx, g.get());
}

/// The footprint of a pledge's geometry and the quantity it gives.
struct PlannedLand
{
    GeomPtr footprint;
    Box env;
    double quantity = 0.0;
};

PlannedLand planned_land(const GeosContext& ctx, const Pledge& p, const CatalogueEntry& e)
{
    const GeomPtr g = geometry::from_wkb(ctx, p.geometry_wkb);
    const int dims = analysis::dimension_mask(ctx, g.get());
    PlannedLand out;
    // Polygons are taken as drawn, repaired where they are not valid (as element polygons).
    out.footprint =
      dims == analysis::has_polygons
        ? geometry::polygonal_from_wkb(ctx, p.geometry_wkb)
        : geometry::polygonal_part(
            ctx, analysis::element_footprint(ctx, g.get(), e.plan_width_m.value_or(0.0)).get());
    out.env = geometry::envelope(ctx, out.footprint.get());
    if (dims == analysis::has_points) {
        std::vector<const GEOSGeometry*> points;
        geometry::collect_parts(ctx, g.get(), points);
        out.quantity = double(points.size());
    } else
        out.quantity = geometry::area(ctx, out.footprint.get()) / e.m2_per_unit;
    return out;
}

/// An area's land as the counting needs it.
struct AreaLand
{
    GeomPtr area, rural, elements;
    Box env;
};

AreaLand area_land(const GeosContext& ctx, const PledgeArea& a)
{
    AreaLand out;
    out.area = geometry::polygonal_from_wkb(ctx, a.geometry_wkb);
    out.env = geometry::envelope(ctx, out.area.get());
    out.rural = a.rural_wkb.empty() ? geometry::clone(ctx, out.area.get())
                                    : geometry::polygonal_from_wkb(ctx, a.rural_wkb);
    std::vector<GeomPtr> owned;
    std::vector<const GEOSGeometry*> parts;
    for (const std::string& wkb : a.owned_wkb)
        if (!wkb.empty()) {
            owned.push_back(geometry::polygonal_from_wkb(ctx, wkb));
            parts.push_back(owned.back().get());
        }
    // Types are disjoint but share edges: their union is the element land.
    out.elements = parts.empty()
                     ? geometry::empty_multipolygon(ctx)
                     : geometry::polygonal_part(ctx, geometry::union_of(ctx, parts).get());
    return out;
}

double hectares(const GeosContext& ctx, const GEOSGeometry* g)
{
    return geometry::area(ctx, g) / 1e4;
}

GeomPtr land_and(const GeosContext& ctx, const GEOSGeometry* a, const GEOSGeometry* b)
{
    return geometry::polygonal_part(ctx, geometry::intersection(ctx, a, b).get());
}

GeomPtr land_minus(const GeosContext& ctx, const GEOSGeometry* a, const GEOSGeometry* b)
{
    return geometry::polygonal_part(ctx, geometry::difference(ctx, a, b).get());
}

} // namespace

void check_pledge(const Pledge& p,
                  const Catalogue& catalogue,
                  const std::vector<PledgeArea>& areas,
                  std::optional<int> first_year)
{
    if (p.participant.empty())
        reject(p, "no participant");
    const CatalogueEntry* e = catalogue.find(p.type);
    if (!e)
        reject(p, "type '" + p.type + "' is not in the catalogue");
    if (p.quantity && (!std::isfinite(*p.quantity) || *p.quantity < 0.0))
        reject(p, "quantity " + std::to_string(*p.quantity) + " is negative or not a number");
    if (first_year && p.year < *first_year)
        reject(p,
               "year " + std::to_string(p.year) + " is before the measurement year " +
                 std::to_string(*first_year));
    if (p.geometry_wkb.empty()) {
        if (!p.quantity)
            reject(p, "no quantity and no geometry: give one of them");
        if (p.area_id.empty())
            reject(p, "no area_id and no geometry: give one of them");
        if (std::none_of(
              areas.begin(), areas.end(), [&](const PledgeArea& a) { return a.id == p.area_id; }))
            reject(p, "area_id '" + p.area_id + "' is not an area of the run");
        return;
    }
    const geometry::GeosContext ctx;
    const int dims = dimensions_of(ctx, p);
    if (dims != analysis::has_points && dims != analysis::has_lines &&
        dims != analysis::has_polygons)
        reject(p, "the geometry must be points, lines or polygons, one kind");
    if (dims != analysis::has_polygons && !e->plan_width_m)
        reject(p,
               "type '" + p.type + "' has no plan_width_m in the catalogue, so it is drawn " +
                 "as polygons, not as " + (dims == analysis::has_points ? "points" : "lines"));
}

PledgeCount count_pledges(const std::vector<Pledge>& pledges,
                          const std::vector<PledgeArea>& areas,
                          const Catalogue& catalogue)
{
    // Counting order within an area: by year, then as listed.
    std::vector<std::size_t> order(pledges.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return pledges[a].year < pledges[b].year;
    });

    PledgeCount out;
    out.geometry_quantity.resize(pledges.size());
    // Footprints once, shared read-only by the area tasks as WKB.
    std::vector<std::string> footprint_wkb(pledges.size());
    std::vector<Box> footprint_env(pledges.size());
    std::vector<double> footprint_ha(pledges.size(), 0.0);
    {
        const GeosContext ctx;
        for (std::size_t i = 0; i < pledges.size(); ++i) {
            if (pledges[i].geometry_wkb.empty())
                continue;
            const PlannedLand land =
              planned_land(ctx, pledges[i], *catalogue.find(pledges[i].type));
            out.geometry_quantity[i] = land.quantity;
            footprint_wkb[i] = geometry::to_wkb(ctx, land.footprint.get());
            footprint_env[i] = land.env;
            footprint_ha[i] = hectares(ctx, land.footprint.get());
        }
    }

    std::vector<std::vector<PledgePart>> by_area(areas.size());
    geometry::Contexts contexts;
    parallel::for_each_index(areas.size(), [&](std::size_t k) {
        const GeosContext& ctx = contexts.local();
        const PledgeArea& a = areas[k];
        std::vector<PledgePart>& parts = by_area[k];
        std::optional<AreaLand> land; // decoded when a placed pledge comes near
        GeomPtr pledged = geometry::empty_multipolygon(ctx); // land earlier pledges took
        for (std::size_t i : order) {
            const Pledge& p = pledges[i];
            const CatalogueEntry& e = *catalogue.find(p.type);
            if (p.geometry_wkb.empty()) {
                if (p.area_id != a.id)
                    continue;
                PledgePart part;
                part.pledge = i;
                part.area = k;
                part.quantity = *p.quantity;
                part.gross_ha = part.counted_ha = *p.quantity * e.m2_per_unit / 1e4;
                parts.push_back(part);
                continue;
            }
            if (!land)
                land = area_land(ctx, a);
            if (!footprint_env[i].intersects(land->env) || footprint_ha[i] <= 0.0)
                continue;
            const GeomPtr footprint = geometry::from_wkb(ctx, footprint_wkb[i]);
            const GeomPtr here = land_and(ctx, footprint.get(), land->area.get());
            const double gross = hectares(ctx, here.get());
            if (gross <= 0.0)
                continue;
            PledgePart part;
            part.pledge = i;
            part.area = k;
            part.placed = true;
            part.gross_ha = gross;
            part.quantity = *out.geometry_quantity[i] * gross / footprint_ha[i];
            const GeomPtr rural = land_and(ctx, here.get(), land->rural.get());
            const GeomPtr free = land_minus(ctx, rural.get(), land->elements.get());
            const GeomPtr counted = land_minus(ctx, free.get(), pledged.get());
            const double rural_ha = hectares(ctx, rural.get());
            const double free_ha = hectares(ctx, free.get());
            part.counted_ha = hectares(ctx, counted.get());
            // (Differences of areas of nested land: never below 0 but for rounding.)
            part.on_masks_ha = std::max(0.0, gross - rural_ha);
            part.on_elements_ha = std::max(0.0, rural_ha - free_ha);
            part.on_pledges_ha = std::max(0.0, free_ha - part.counted_ha);
            if (part.counted_ha > 0.0)
                pledged = geometry::polygonal_part(
                  ctx, geometry::union_of(ctx, { pledged.get(), counted.get() }).get());
            parts.push_back(part);
        }
    });
    for (std::vector<PledgePart>& parts : by_area)
        out.parts.insert(out.parts.end(), parts.begin(), parts.end());
    std::vector<bool> met(pledges.size(), false);
    for (const PledgePart& part : out.parts)
        met[part.pledge] = true;
    for (std::size_t i = 0; i < pledges.size(); ++i)
        if (!pledges[i].geometry_wkb.empty() && !met[i])
            out.outside.push_back(i);
    return out;
}

double pledge_score(double realised, double path)
{
    if (!(path > 0.0))
        return realised > 0.0 ? 5.0 : 3.0;
    return std::clamp(1.0 + 2.0 * realised / path, 1.0, 5.0);
}

} // namespace landel::bid
