#include "stages/site_footprints.h"

#include "landel/analysis/measurement/field_corners.h"
#include "landel/analysis/measurement/footprint.h"
#include "landel/geometry/envelope_clusters.h"
#include "landel/geometry/ops.h"

namespace landel::pipeline::detail {

namespace {

/// The strip of @p line for @p entry, fitted().
geometry::GeomPtr strip_of(const geometry::GeosContext& ctx,
                           const bid::CatalogueEntry& entry,
                           const GEOSGeometry* line,
                           const AreaSite& site,
                           const GEOSGeometry* also_off = nullptr)
{
    return fitted(ctx,
                  geometry::polygonal_part(
                    ctx, analysis::element_footprint(ctx, line, *entry.plan_width_m).get()),
                  site,
                  also_off);
}

/// The strip of the first @p length_m of @p c's line, in ha.
double prefix_ha(const geometry::GeosContext& ctx,
                 const bid::CatalogueEntry& entry,
                 const AreaSite& site,
                 const GEOSGeometry* line,
                 const GEOSGeometry* also_off,
                 double length_m)
{
    const geometry::GeomPtr prefix = geometry::line_prefix(ctx, line, length_m);
    return geometry::area(ctx, strip_of(ctx, entry, prefix.get(), site, also_off).get()) / 1e4;
}

/// The length along @p c's line whose strip holds @p ha: the strip grows with the length, so
/// bisection finds it to a nanometre.
double length_for(const geometry::GeosContext& ctx,
                  const bid::CatalogueEntry& entry,
                  const AreaSite& site,
                  const SiteCandidate& c,
                  const GEOSGeometry* also_off,
                  double ha)
{
    if (ha <= 0.0)
        return 0.0;
    if (ha >= c.ha)
        return c.length_m;
    const geometry::GeomPtr line = geometry::from_wkb(ctx, c.line_wkb);
    double lo = 0.0, hi = c.length_m;
    for (int k = 0; k < 64 && hi - lo > 1e-9; ++k) {
        const double mid = 0.5 * (lo + hi);
        (prefix_ha(ctx, entry, site, line.get(), also_off, mid) < ha ? lo : hi) = mid;
    }
    return hi;
}

/// The stretch of @p c's line from @p from_m to @p to_m as a strip: the strip up to to_m
/// minus the strip up to from_m.
std::string stretch(const geometry::GeosContext& ctx,
                    const bid::CatalogueEntry& entry,
                    const AreaSite& site,
                    const SiteCandidate& c,
                    const GEOSGeometry* also_off,
                    double from_m,
                    double to_m)
{
    const geometry::GeomPtr line = geometry::from_wkb(ctx, c.line_wkb);
    const geometry::GeomPtr upto = geometry::line_prefix(ctx, line.get(), to_m);
    geometry::GeomPtr strip = strip_of(ctx, entry, upto.get(), site, also_off);
    if (from_m > 0.0) {
        const geometry::GeomPtr before = geometry::line_prefix(ctx, line.get(), from_m);
        const geometry::GeomPtr earlier = strip_of(ctx, entry, before.get(), site, also_off);
        strip = geometry::polygonal_part(
          ctx, geometry::difference(ctx, strip.get(), earlier.get()).get());
    }
    return geometry::to_wkb(ctx, strip.get());
}

/// @p c's corner site at @p size_m, within its footprint: its disc of that radius about its
/// centre, or its block of that side from its first vertex.
geometry::GeomPtr disc_within(const geometry::GeosContext& ctx,
                              const SiteCandidate& c,
                              double size_m)
{
    geometry::GeomPtr site = geometry::from_wkb(ctx, c.footprint_wkb);
    if (size_m >= c.radius_m)
        return site;
    geometry::GeomPtr shape;
    if (c.block)
        shape = analysis::corner_block_polygon(ctx, *c.block, size_m);
    else {
        const geometry::GeomPtr centre = geometry::from_wkb(ctx, c.centre_wkb);
        shape = analysis::element_footprint(ctx, centre.get(), 2.0 * size_m);
    }
    return geometry::polygonal_part(ctx,
                                    geometry::intersection(ctx, shape.get(), site.get()).get());
}

/// The radius (a block: the side) of @p c's corner site that holds @p ha: the site grows with
/// it, so bisection finds it to a nanometre. A cut pond is a smaller pond on the same centre, a
/// cut orchard a smaller block in the same corner.
double radius_for(const geometry::GeosContext& ctx, const SiteCandidate& c, double ha)
{
    if (ha <= 0.0)
        return 0.0;
    if (ha >= c.ha)
        return c.radius_m;
    double lo = 0.0, hi = c.radius_m;
    for (int k = 0; k < 64 && hi - lo > 1e-9; ++k) {
        const double mid = 0.5 * (lo + hi);
        (geometry::area(ctx, disc_within(ctx, c, mid).get()) / 1e4 < ha ? lo : hi) = mid;
    }
    return hi;
}

} // namespace

geometry::GeomPtr fitted(const geometry::GeosContext& ctx,
                         geometry::GeomPtr shape,
                         const AreaSite& site,
                         const GEOSGeometry* also_off)
{
    geometry::GeomPtr strip = std::move(shape);
    if (geometry::is_empty(ctx, strip.get()))
        return strip;
    // The area's land and elements only near the shape: an overlay costs what both operands'
    // vertices cost, and an area's rural land has thousands.
    const Box near = grown(geometry::envelope(ctx, strip.get()), 1.0);
    const geometry::GeomPtr land = site.rural.within(ctx, near);
    if (!land)
        return geometry::make_collection(ctx, GEOS_MULTIPOLYGON, {});
    strip =
      geometry::polygonal_part(ctx, geometry::intersection(ctx, strip.get(), land.get()).get());
    if (const geometry::GeomPtr taken = site.taken.within(ctx, near))
        strip =
          geometry::polygonal_part(ctx, geometry::difference(ctx, strip.get(), taken.get()).get());
    if (also_off) {
        const geometry::GeomPtr clipped = geometry::clip_to_box(ctx, also_off, near);
        strip = geometry::polygonal_part(
          ctx, geometry::difference(ctx, strip.get(), clipped.get()).get());
    }
    return strip;
}

namespace {

/// Whether polygonal @p land covers part of @p rural (by a positive area).
bool covers_rural_land(const geometry::GeosContext& ctx,
                       const geometry::BoxedLand& rural,
                       const GEOSGeometry* land)
{
    const geometry::GeomPtr near = rural.within(ctx, geometry::envelope(ctx, land));
    return near && geometry::area(ctx, geometry::intersection(ctx, land, near.get()).get()) > 0.0;
}

} // namespace

AreaSite area_site(const geometry::GeosContext& ctx,
                   const analysis::AreaMeasure& area,
                   const OffLand& off)
{
    AreaSite s;
    s.rural =
      geometry::BoxedLand(ctx,
                          geometry::polygonal_from_wkb(
                            ctx, area.rural_wkb.empty() ? area.geometry_wkb : area.rural_wkb));
    std::vector<geometry::GeomPtr> read;
    for (const std::string& wkb : area.owned_wkb)
        if (!wkb.empty())
            read.push_back(geometry::polygonal_from_wkb(ctx, wkb));
    const Box box = s.rural.extent();
    // Only land that covers some of the rural land takes anything from a site, which never
    // leaves the rural land: roads that are also masks (the BGT preset's) lie beside it.
    for (const analysis::LandIndex* land : { off.along.get(), off.excluded.get() })
        for (const std::string& wkb : land->near(box))
            if (geometry::GeomPtr g = geometry::polygonal_from_wkb(ctx, wkb);
                covers_rural_land(ctx, s.rural, g.get()))
                read.push_back(std::move(g));
    std::vector<const GEOSGeometry*> taken;
    for (const geometry::GeomPtr& g : read)
        taken.push_back(g.get());
    // Merged per cluster of meeting boxes: most elements, buildings and ponds touch nothing.
    s.taken = geometry::BoxedLand(ctx, geometry::union_of_by_clusters(ctx, taken));
    return s;
}

SiteCandidate edge_site(const geometry::GeosContext& ctx,
                        const bid::CatalogueEntry& entry,
                        const AreaSite& site,
                        std::size_t index,
                        const std::string& line_wkb,
                        const std::string& kind,
                        const GEOSGeometry* also_off)
{
    const geometry::GeomPtr line = geometry::from_wkb(ctx, line_wkb);
    const geometry::GeomPtr strip = strip_of(ctx, entry, line.get(), site, also_off);
    SiteCandidate c;
    c.area = index;
    c.type = entry.type;
    c.site = kind;
    c.line_wkb = line_wkb;
    c.footprint_wkb = geometry::to_wkb(ctx, strip.get());
    c.length_m = geometry::length(ctx, line.get());
    c.ha = geometry::area(ctx, strip.get()) / 1e4;
    // Per metre of the edge for a line type (as the bid prices it); a tree row or a field
    // margin per tree or hectare its strip holds (the catalogue's m2 per unit).
    c.priced_by_length = entry.unit == "m";
    if (entry.build.mid)
        c.build_eur =
          *entry.build.mid * (c.priced_by_length ? c.length_m : c.ha * 1e4 / entry.m2_per_unit);
    return c;
}

SitePart cut(const geometry::GeosContext& ctx,
             const bid::CatalogueEntry& entry,
             const AreaSite& site,
             const SiteCandidate& c,
             double from,
             double to)
{
    SitePart part;
    if (!c.centre_wkb.empty()) {
        geometry::GeomPtr g = disc_within(ctx, c, radius_for(ctx, c, to * c.ha));
        if (const double r = radius_for(ctx, c, from * c.ha); r > 0.0)
            g = geometry::polygonal_part(
              ctx, geometry::difference(ctx, g.get(), disc_within(ctx, c, r).get()).get());
        part.footprint_wkb = geometry::to_wkb(ctx, g.get());
    } else {
        const geometry::GeomPtr also_off =
          c.also_off_wkb.empty() ? nullptr : geometry::from_wkb(ctx, c.also_off_wkb);
        const double from_m = length_for(ctx, entry, site, c, also_off.get(), from * c.ha);
        const double to_m = length_for(ctx, entry, site, c, also_off.get(), to * c.ha);
        part.from_m = from_m;
        part.length_m = to_m - from_m;
        part.footprint_wkb = stretch(ctx, entry, site, c, also_off.get(), from_m, to_m);
    }
    part.ha = geometry::area(ctx, geometry::from_wkb(ctx, part.footprint_wkb).get()) / 1e4;
    return part;
}

std::vector<std::string> sites_met(const geometry::GeosContext& ctx,
                                   const GEOSGeometry* shape,
                                   const std::vector<SiteCandidate>& earlier,
                                   const std::vector<Box>& boxes,
                                   const std::function<bool(const SiteCandidate&)>& counts)
{
    std::vector<std::string> met;
    const GEOSGeometry* strip = shape;
    const Box box = geometry::envelope(ctx, strip);
    for (std::size_t k = 0; k < earlier.size(); ++k) {
        if (!boxes[k].intersects(box) || !counts(earlier[k]))
            continue;
        const geometry::GeomPtr other = geometry::from_wkb(ctx, earlier[k].footprint_wkb);
        if (geometry::area(ctx, geometry::intersection(ctx, strip, other.get()).get()) > 0.0)
            met.push_back(earlier[k].footprint_wkb);
    }
    return met;
}

} // namespace landel::pipeline::detail
