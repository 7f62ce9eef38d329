#include "stages/candidates_stage.h"

#include "landel/analysis/connectivity/connectivity.h"
#include "landel/analysis/measurement/field_corners.h"
#include "landel/analysis/measurement/footprint.h"
#include "landel/analysis/measurement/free_edges.h"
#include "landel/analysis/measurement/land_index.h"
#include "landel/bid/siting.h"
#include "landel/geometry/box_index.h"
#include "landel/geometry/contexts.h"
#include "landel/geometry/ops.h"
#include "landel/io/qgis_styles.h"
#include "landel/io/table_writers.h"
#include "landel/parallel/for_each_index.h"
#include "stages/output_language.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace landel::pipeline::detail {

namespace {

/// The share of @p type in the mix named @p mix_name; 0 when it has none.
double mix_share(const BidSetup& setup, const std::string& mix_name, const std::string& type)
{
    for (const bid::Mix& m : setup.mixes)
        if (m.name == mix_name)
            for (const bid::MixShare& s : m.shares)
                if (s.type == type)
                    return s.share;
    return 0.0;
}

/// The line type an area's free edges would hold: of the potential's types in its mix, the one
/// with the largest share (the first listed on a tie); "" when the mix has none.
std::string edge_type(const Config& config, const BidSetup& setup, const std::string& mix_name)
{
    std::string best;
    double share = 0.0;
    for (const std::string& type : config.bid_potential->types)
        if (const double s = mix_share(setup, mix_name, type); s > share) {
            best = type;
            share = s;
        }
    return best;
}

/// A type sited in field corners ([siting] corner_types), and the diameter of its disc: the
/// catalogue's plan width (a pond's 25.231 m: 500 m2), else the circle of corner_m2.
struct CornerType
{
    const bid::CatalogueEntry* entry = nullptr;
    double diameter_m = 0.0;
};

std::vector<CornerType> corner_types(const Config& config, const BidSetup& setup)
{
    std::vector<CornerType> out;
    for (const std::string& type : config.siting->corner_types) {
        const bid::CatalogueEntry* e = setup.catalogue.find(type);
        if (!e)
            throw Error("siting.corner_types: '" + type + "' is not in the element catalogue");
        if (e->unit == "m" || e->unit == "tree")
            throw Error("siting.corner_types: '" + type + "' is planned in " +
                        (e->unit == "m" ? "metres" : "trees") +
                        " (a line type); field corners hold ponds and small woods");
        out.push_back({ e,
                        e->plan_width_m ? *e->plan_width_m
                                        : 2.0 * std::sqrt(config.siting->corner_m2 / M_PI) });
    }
    return out;
}

/// The corner types of an area's mix, the largest share first (the listed order on a tie).
std::vector<const CornerType*> corner_types_of(const std::vector<CornerType>& types,
                                               const BidSetup& setup,
                                               const std::string& mix_name)
{
    std::vector<const CornerType*> out;
    for (const CornerType& t : types)
        if (mix_share(setup, mix_name, t.entry->type) > 0.0)
            out.push_back(&t);
    std::stable_sort(out.begin(), out.end(), [&](const CornerType* a, const CornerType* b) {
        return mix_share(setup, mix_name, a->entry->type) >
               mix_share(setup, mix_name, b->entry->type);
    });
    return out;
}

/// The parcels, decoded once per area that asks, found by their envelopes.
class ParcelIndex
{
public:
    explicit ParcelIndex(const std::vector<std::string>& parcels_wkb)
      : m_wkb(parcels_wkb)
      , m_boxes(parcels_wkb.size())
    {
        geometry::Contexts contexts;
        parallel::for_each_index(m_wkb.size(), [&](std::size_t k) {
            const geometry::GeosContext& ctx = contexts.local();
            m_boxes[k] = geometry::envelope(ctx, geometry::from_wkb(ctx, m_wkb[k]).get());
        });
        m_index = std::make_unique<geometry::BoxIndex>(m_boxes);
    }

    /// The parcels whose envelopes meet @p box, in input order.
    std::vector<std::size_t> near(const Box& box) const { return m_index->query(box); }
    const std::string& wkb(std::size_t k) const { return m_wkb[k]; }

private:
    const std::vector<std::string>& m_wkb;
    std::vector<Box> m_boxes;
    std::unique_ptr<geometry::BoxIndex> m_index;
};

/// @p shape inside the area's rural land, off @p taken and off @p also_off (either may be
/// nullptr).
geometry::GeomPtr fitted(const geometry::GeosContext& ctx,
                         geometry::GeomPtr shape,
                         const GEOSGeometry* rural,
                         const GEOSGeometry* taken,
                         const GEOSGeometry* also_off)
{
    geometry::GeomPtr strip = std::move(shape);
    if (geometry::is_empty(ctx, strip.get()))
        return strip;
    // The area's land and elements only near the shape: an overlay costs what both operands'
    // vertices cost, and an area's rural land has thousands.
    const Box near = grown(geometry::envelope(ctx, strip.get()), 1.0);
    const geometry::GeomPtr land = geometry::clip_to_box(ctx, rural, near);
    strip =
      geometry::polygonal_part(ctx, geometry::intersection(ctx, strip.get(), land.get()).get());
    for (const GEOSGeometry* off : { taken, also_off })
        if (off) {
            const geometry::GeomPtr clipped = geometry::clip_to_box(ctx, off, near);
            strip = geometry::polygonal_part(
              ctx, geometry::difference(ctx, strip.get(), clipped.get()).get());
        }
    return strip;
}

/// The strip of @p line for @p entry, fitted().
geometry::GeomPtr strip_of(const geometry::GeosContext& ctx,
                           const bid::CatalogueEntry& entry,
                           const GEOSGeometry* line,
                           const GEOSGeometry* rural,
                           const GEOSGeometry* taken,
                           const GEOSGeometry* also_off = nullptr)
{
    return fitted(ctx,
                  geometry::polygonal_part(
                    ctx, analysis::element_footprint(ctx, line, *entry.plan_width_m).get()),
                  rural,
                  taken,
                  also_off);
}

/// An area's land and elements as siting needs them.
struct AreaSite
{
    geometry::GeomPtr rural;
    /// What no site may take: its elements, the land edges run along (water, roads) and the
    /// excluded land; nullptr when there is none.
    geometry::GeomPtr taken;
};

/// The land of the kinds sites keep off ([siting] along and exclude), indexed.
struct OffLand
{
    std::vector<std::string> kinds; ///< the along kinds in their order
    std::unique_ptr<analysis::LandIndex> along;
    std::unique_ptr<analysis::LandIndex> excluded;
};

AreaSite area_site(const geometry::GeosContext& ctx,
                   const analysis::AreaMeasure& area,
                   const OffLand& off)
{
    AreaSite s;
    s.rural = geometry::polygonal_from_wkb(
      ctx, area.rural_wkb.empty() ? area.geometry_wkb : area.rural_wkb);
    std::vector<std::string> taken = area.owned_wkb;
    const Box box = geometry::envelope(ctx, s.rural.get());
    for (const analysis::LandIndex* land : { off.along.get(), off.excluded.get() })
        for (std::string& wkb : land->near(box))
            taken.push_back(std::move(wkb));
    s.taken = geometry::union_of_wkb(ctx, taken);
    return s;
}

SiteCandidate sited(const geometry::GeosContext& ctx,
                    const bid::CatalogueEntry& entry,
                    const AreaSite& site,
                    std::size_t index,
                    const std::string& line_wkb,
                    const std::string& kind,
                    const GEOSGeometry* also_off)
{
    const geometry::GeomPtr line = geometry::from_wkb(ctx, line_wkb);
    const geometry::GeomPtr strip =
      strip_of(ctx, entry, line.get(), site.rural.get(), site.taken.get(), also_off);
    SiteCandidate c;
    c.area = index;
    c.type = entry.type;
    c.site = kind;
    c.line_wkb = line_wkb;
    c.footprint_wkb = geometry::to_wkb(ctx, strip.get());
    c.length_m = geometry::length(ctx, line.get());
    c.ha = geometry::area(ctx, strip.get()) / 1e4;
    if (entry.unit == "m" && entry.build.mid)
        c.build_eur = c.length_m * *entry.build.mid;
    return c;
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
    return geometry::area(
             ctx,
             strip_of(ctx, entry, prefix.get(), site.rural.get(), site.taken.get(), also_off)
               .get()) /
           1e4;
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
    geometry::GeomPtr strip =
      strip_of(ctx, entry, upto.get(), site.rural.get(), site.taken.get(), also_off);
    if (from_m > 0.0) {
        const geometry::GeomPtr before = geometry::line_prefix(ctx, line.get(), from_m);
        const geometry::GeomPtr earlier =
          strip_of(ctx, entry, before.get(), site.rural.get(), site.taken.get(), also_off);
        strip = geometry::polygonal_part(
          ctx, geometry::difference(ctx, strip.get(), earlier.get()).get());
    }
    return geometry::to_wkb(ctx, strip.get());
}

/// @p c's disc (a corner site) of @p radius_m about its centre, within its footprint.
geometry::GeomPtr disc_within(const geometry::GeosContext& ctx,
                              const SiteCandidate& c,
                              double radius_m)
{
    geometry::GeomPtr site = geometry::from_wkb(ctx, c.footprint_wkb);
    if (radius_m >= c.radius_m)
        return site;
    const geometry::GeomPtr centre = geometry::from_wkb(ctx, c.centre_wkb);
    const geometry::GeomPtr disc = analysis::element_footprint(ctx, centre.get(), 2.0 * radius_m);
    return geometry::polygonal_part(ctx, geometry::intersection(ctx, disc.get(), site.get()).get());
}

/// The radius of @p c's disc (a corner site) that holds @p ha: the disc grows with its radius,
/// so bisection finds it to a nanometre. A cut pond is a smaller pond on the same centre.
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

/// The part of @p c from the share @p from of its hectares to the share @p to: a stretch of an
/// edge site, a ring (or the core) of a corner site.
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

/// Whether @p wkb overlaps any of @p others (by a positive area).
bool overlaps_any(const geometry::GeosContext& ctx,
                  const std::string& wkb,
                  const std::vector<std::string>& others)
{
    if (others.empty())
        return false;
    const geometry::GeomPtr g = geometry::from_wkb(ctx, wkb);
    const Box box = geometry::envelope(ctx, g.get());
    for (const std::string& o : others) {
        const geometry::GeomPtr other = geometry::from_wkb(ctx, o);
        if (geometry::envelope(ctx, other.get()).intersects(box) &&
            geometry::area(ctx, geometry::intersection(ctx, g.get(), other.get()).get()) > 0.0)
            return true;
    }
    return false;
}

/// The proposal's hectares of @p type per milestone in area @p i (incremental).
std::vector<double> proposed_ha(const AreaBids& bids, std::size_t i, const std::string& type)
{
    for (const auto& t : bids.bids[i].types)
        if (t.type == type)
            return t.add_ha;
    return {};
}

/// Chooses among an area's candidates those that hold its proposal, type by type in @p types'
/// order and milestone by milestone (bid::pick_sites), and cuts each chosen part out of its
/// candidate. A corner offers a site to each corner type; once one type's site is chosen
/// there, the later types' sites that overlap it are no longer candidates (rank 0).
AreaSiting choose(const geometry::GeosContext& ctx,
                  const std::vector<const bid::CatalogueEntry*>& types,
                  const AreaSite& site,
                  const AreaBids& bids,
                  std::size_t i,
                  bid::SitingRule rule,
                  std::vector<SiteCandidate>& candidates)
{
    AreaSiting s;
    std::vector<std::string> corners_chosen;
    for (const bid::CatalogueEntry* entry : types) {
        std::vector<std::size_t> of_type;
        for (std::size_t k = 0; k < candidates.size(); ++k)
            if (candidates[k].type == entry->type &&
                (candidates[k].centre_wkb.empty() ||
                 !overlaps_any(ctx, candidates[k].footprint_wkb, corners_chosen)))
                of_type.push_back(k);
        std::vector<bid::SiteOption> options;
        for (std::size_t k : of_type)
            options.push_back(
              { candidates[k].ha, candidates[k].build_eur, candidates[k].eca_gain_ha });
        const std::vector<std::size_t> order = bid::siting_order(options, rule);
        for (std::size_t r = 0; r < order.size(); ++r)
            candidates[of_type[order[r]]].rank = r + 1;
        const std::vector<double> need_ha = proposed_ha(bids, i, entry->type);
        double sited_ha = 0.0;
        for (const bid::SitePick& p : bid::pick_sites(options, order, need_ha)) {
            SiteCandidate& c = candidates[of_type[p.option]];
            SitePart part = cut(ctx, *entry, site, c, p.from, p.from + p.share);
            part.milestone = p.milestone;
            if (c.centre_wkb.empty()) {
                s.sited_m += part.length_m;
            } else {
                corners_chosen.push_back(part.footprint_wkb);
                if (p.from == 0.0)
                    ++s.sited_corners;
            }
            sited_ha += part.ha;
            c.chosen.push_back(std::move(part));
        }
        double need = 0.0;
        for (double n : need_ha)
            need += n;
        s.sited_ha += sited_ha;
        s.unsited_ha += std::max(0.0, need - sited_ha);
    }
    return s;
}

/// The footprints of @p earlier (with their @p boxes) that overlap @p shape, of the candidates
/// @p counts accepts.
template<class Counts>
std::vector<std::string> sites_met(const geometry::GeosContext& ctx,
                                   const GEOSGeometry* shape,
                                   const std::vector<SiteCandidate>& earlier,
                                   const std::vector<Box>& boxes,
                                   Counts counts)
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

/// The corner sites of @p type in area @p i, after its edge sites: in every corner of a parcel
/// near the area (analysis::field_corners), the type's disc @p setback_m off the corner's edges
/// (the half-width of the area's edge strips), where it fits whole (to 1e-6 of its area) inside
/// its parcel and the area's rural land, off the land sites keep off, the edge sites' strips
/// and the type's earlier corner sites. Sites of different corner types may share a corner.
void add_corner_sites(const geometry::GeosContext& ctx,
                      const Config& config,
                      const CornerType& type,
                      const AreaSite& site,
                      std::size_t area,
                      const ParcelIndex& parcels,
                      double setback_m,
                      const analysis::ElementNetwork& network,
                      std::vector<SiteCandidate>& candidates,
                      std::vector<Box>& boxes)
{
    const Box land_box = geometry::envelope(ctx, site.rural.get());
    const double r = type.diameter_m / 2.0;
    const bid::CatalogueEntry& entry = *type.entry;
    for (std::size_t k : parcels.near(land_box)) {
        const geometry::GeomPtr parcel = geometry::polygonal_from_wkb(ctx, parcels.wkb(k));
        for (const analysis::FieldCorner& corner :
             analysis::field_corners(ctx, parcel.get(), config.siting->corner_angle_deg)) {
            const auto [x, y] = analysis::corner_disc_centre(corner, r, setback_m);
            const Box disc_box{ x - r, y - r, x + r, y + r };
            if (!land_box.contains(disc_box))
                continue;
            geometry::GeomPtr centre =
              ctx.own(GEOSGeom_createPointFromXY_r(ctx.handle(), x, y), "corner site centre");
            const geometry::GeomPtr disc = geometry::polygonal_part(
              ctx, analysis::element_footprint(ctx, centre.get(), type.diameter_m).get());
            const double whole = geometry::area(ctx, disc.get());
            geometry::GeomPtr in_parcel = geometry::polygonal_part(
              ctx, geometry::intersection(ctx, disc.get(), parcel.get()).get());
            if (geometry::area(ctx, in_parcel.get()) < whole * (1.0 - 1e-6))
                continue; // it does not fit in the field
            const std::vector<std::string> met =
              sites_met(ctx, disc.get(), candidates, boxes, [&](const SiteCandidate& c) {
                  return c.centre_wkb.empty() || c.type == entry.type;
              });
            const geometry::GeomPtr also_off =
              met.empty() ? nullptr : geometry::union_of_wkb(ctx, met);
            const geometry::GeomPtr footprint =
              fitted(ctx, std::move(in_parcel), site.rural.get(), site.taken.get(), also_off.get());
            const double a = geometry::area(ctx, footprint.get());
            if (a < whole * (1.0 - 1e-6))
                continue; // it does not fit whole
            SiteCandidate c;
            c.area = area;
            c.type = entry.type;
            c.site = "field_corner";
            c.centre_wkb = geometry::to_wkb(ctx, centre.get());
            c.radius_m = r;
            c.footprint_wkb = geometry::to_wkb(ctx, footprint.get());
            c.ha = a / 1e4;
            // Per pond, or per hectare of wood.
            if (entry.build.mid)
                c.build_eur = *entry.build.mid * (entry.unit == "ha" ? c.ha : 1.0);
            c.eca_gain_ha = network.eca_with(c.footprint_wkb) - network.figures().eca_ha;
            boxes.push_back(disc_box);
            candidates.push_back(std::move(c));
        }
    }
}

/// The polygons of @p src ([siting] along or exclude); other geometry is an error.
std::vector<std::string> read_land(const SourceConfig& src,
                                   const io::Crs& crs,
                                   LoadedInputs& inputs)
{
    const auto source = open_recorded(vector_request(src), crs, inputs);
    if (source->info().geometry_kinds != 0 && source->info().geometry_kinds != io::kind_polygons)
        throw Error(src.label + ": '" + src.path.string() + "' layer '" + source->info().layer +
                    "' holds no polygons (land is given as polygons)");
    std::vector<std::string> out;
    for (io::VectorFeature& f : source->read())
        out.push_back(std::move(f.wkb));
    return out;
}

OffLand off_land(const Config& config, const io::Crs& crs, LoadedInputs& inputs)
{
    OffLand off;
    std::vector<std::vector<std::string>> along;
    for (const Config::SitingConfig::AlongConfig& a : config.siting->along) {
        auto k = std::find(off.kinds.begin(), off.kinds.end(), a.kind);
        if (k == off.kinds.end()) {
            off.kinds.push_back(a.kind);
            along.emplace_back();
            k = off.kinds.end() - 1;
        }
        for (std::string& wkb : read_land(a, crs, inputs))
            along[std::size_t(k - off.kinds.begin())].push_back(std::move(wkb));
    }
    std::vector<std::vector<std::string>> excluded(1);
    for (const SourceConfig& src : config.siting->exclude)
        for (std::string& wkb : read_land(src, crs, inputs))
            excluded[0].push_back(std::move(wkb));
    off.along = std::make_unique<analysis::LandIndex>(along);
    off.excluded = std::make_unique<analysis::LandIndex>(excluded);
    return off;
}

/// An area's rural land minus the excluded land.
std::string candidate_land(const geometry::GeosContext& ctx,
                           const analysis::AreaMeasure& area,
                           const analysis::LandIndex& excluded)
{
    const std::string& rural = area.rural_wkb.empty() ? area.geometry_wkb : area.rural_wkb;
    if (rural.empty())
        return rural;
    const geometry::GeomPtr land = geometry::polygonal_from_wkb(ctx, rural);
    const geometry::GeomPtr out =
      geometry::union_of_wkb(ctx, excluded.near(geometry::envelope(ctx, land.get())));
    if (!out)
        return rural;
    return geometry::to_wkb(
      ctx,
      geometry::polygonal_part(ctx, geometry::difference(ctx, land.get(), out.get()).get()).get());
}

/// The free parcel edges of every area's rural land outside the excluded land, split by the
/// land they run along, each at least siting.min_length_m long.
std::vector<std::vector<analysis::KindedEdge>> candidate_lines(
  const Config& config,
  const analysis::MeasureResult& result,
  const OffLand& off,
  const std::vector<std::string>& parcels)
{
    const std::size_t n = result.areas.size();
    std::vector<std::string> lands(n);
    std::vector<std::vector<std::string>> elements;
    geometry::Contexts contexts;
    parallel::for_each_index(n, [&](std::size_t i) {
        lands[i] = candidate_land(contexts.local(), result.areas[i], *off.excluded);
    });
    for (const analysis::AreaMeasure& a : result.areas)
        elements.push_back(a.owned_wkb);
    const double min_length = config.siting->min_length_m;
    const auto lines = analysis::free_edge_lines(
      lands, parcels, elements, config.bid_potential->clearance_m, min_length);
    std::vector<std::vector<analysis::KindedEdge>> out(n);
    parallel::for_each_index(n, [&](std::size_t i) {
        const geometry::GeosContext& ctx = contexts.local();
        for (const std::string& wkb : lines[i])
            for (analysis::KindedEdge& e : off.along->split(
                   ctx, geometry::from_wkb(ctx, wkb).get(), config.siting->along_m, min_length))
                out[i].push_back(std::move(e));
    });
    return out;
}

} // namespace

void site_elements(const Config& config,
                   const io::Crs& crs,
                   const analysis::MeasureResult& result,
                   const BidSetup& setup,
                   AreaBids& bids,
                   LoadedInputs& inputs,
                   RunLog& log)
{
    if (!config.siting)
        return;
    analysis::ConnectivitySettings settings;
    settings.gap_m = config.siting->gap_m;
    settings.dispersal_m = config.siting->dispersal_m;
    const std::size_t n = result.areas.size();
    std::vector<std::vector<analysis::KindedEdge>> lines(n);
    // The land sites keep off matters only where there are candidates: read it only then.
    const OffLand off = config.bid_potential ? off_land(config, crs, inputs) : OffLand{};
    if (config.bid_potential && !config.bid_potential->stand_in_note.empty())
        log.info("siting: no parcel layer, standing in for parcels: " +
                 config.bid_potential->stand_in_note);
    const std::vector<std::string> parcels =
      config.bid_potential ? potential_parcels(config, crs, inputs) : std::vector<std::string>{};
    if (config.bid_potential)
        lines = candidate_lines(config, result, off, parcels);
    else
        log.info("siting: no candidate sites, [bid.potential] names no parcels whose free edges "
                 "could hold new line elements");
    const bid::SitingRule rule =
      config.siting->rule == "cost" ? bid::SitingRule::CostPerHa : bid::SitingRule::EcaPerEuro;
    const std::vector<CornerType> corner_kinds =
      config.bid_potential ? corner_types(config, setup) : std::vector<CornerType>{};
    const ParcelIndex parcel_index(parcels);
    bids.network.assign(n, {});
    if (config.bid_potential)
        bids.siting.assign(n, {});
    std::vector<std::vector<SiteCandidate>> per_area(n);
    const std::vector<analysis::KindedEdge> no_lines;
    geometry::Contexts contexts;
    parallel::for_each_index(n, [&](std::size_t i) {
        const analysis::AreaMeasure& area = result.areas[i];
        const std::string type = lines[i].empty() ? "" : edge_type(config, setup, bids.region[i]);
        const bid::CatalogueEntry* entry = type.empty() ? nullptr : setup.catalogue.find(type);
        const bool edge_sites = entry && entry->plan_width_m;
        const std::vector<const CornerType*> corners =
          corner_types_of(corner_kinds, setup, bids.region[i]);
        const bool sites = edge_sites || (!corners.empty() && !parcels.empty());
        analysis::ElementNetwork network(area.owned_wkb, settings, sites);
        bids.network[i] = network.figures();
        bids.network[i].line_ends = area.line_ends;
        bids.network[i].connected_line_ends = area.connected_line_ends;
        if (!config.bid_potential)
            return;
        bids.siting[i].eca_after_ha = network.figures().eca_ha;
        if (!sites)
            return;
        const geometry::GeosContext& ctx = contexts.local();
        const AreaSite site = area_site(ctx, area, off);
        std::vector<Box> boxes; // of the candidates' footprints so far
        std::vector<const bid::CatalogueEntry*> sited_types;
        if (edge_sites)
            sited_types.push_back(entry);
        for (const analysis::KindedEdge& line : edge_sites ? lines[i] : no_lines) {
            const std::string kind =
              line.kind < off.kinds.size() ? off.kinds[line.kind] : "parcel_edge";
            SiteCandidate c = sited(ctx, *entry, site, i, line.line_wkb, kind, nullptr);
            // Where edges meet at a corner their strips would overlap: the earlier candidate
            // keeps the corner, so that no land counts in two candidates.
            const geometry::GeomPtr strip = geometry::from_wkb(ctx, c.footprint_wkb);
            const std::vector<std::string> met = sites_met(
              ctx, strip.get(), per_area[i], boxes, [](const SiteCandidate&) { return true; });
            if (!met.empty()) {
                const geometry::GeomPtr also_off = geometry::union_of_wkb(ctx, met);
                c = sited(ctx, *entry, site, i, line.line_wkb, kind, also_off.get());
                c.also_off_wkb = geometry::to_wkb(ctx, also_off.get());
            }
            if (c.ha <= 0.0)
                continue; // its strip lies wholly on land sites keep off
            c.eca_gain_ha = network.eca_with(c.footprint_wkb) - network.figures().eca_ha;
            boxes.push_back(
              geometry::envelope(ctx, geometry::from_wkb(ctx, c.footprint_wkb).get()));
            per_area[i].push_back(std::move(c));
        }
        const double setback = edge_sites ? *entry->plan_width_m / 2.0 : 0.0;
        for (const CornerType* corner : corners) {
            add_corner_sites(
              ctx, config, *corner, site, i, parcel_index, setback, network, per_area[i], boxes);
            sited_types.push_back(corner->entry);
        }
        bids.siting[i] = choose(ctx, sited_types, site, bids, i, rule, per_area[i]);
        std::vector<std::string> chosen;
        for (const SiteCandidate& c : per_area[i])
            for (const SitePart& part : c.chosen)
                chosen.push_back(part.footprint_wkb);
        bids.siting[i].eca_after_ha = network.eca_with_all(chosen);
    });
    for (std::vector<SiteCandidate>& area : per_area)
        for (SiteCandidate& c : area)
            bids.candidates.push_back(std::move(c));
}

std::vector<std::string> candidate_ids(const analysis::MeasureResult& result, const AreaBids& bids)
{
    std::vector<std::string> ids;
    std::map<std::size_t, int> numbered;
    for (const SiteCandidate& c : bids.candidates)
        ids.push_back(result.areas[c.area].id + "-" + std::to_string(++numbered[c.area]));
    return ids;
}

Table chosen_sites_table(const Config& config,
                         const analysis::MeasureResult& result,
                         const AreaBids& bids)
{
    Table sites;
    sites.columns = { { "candidate_id", ColumnKind::Text, 0, "Candidate" },
                      { "area_id", ColumnKind::Text, 0, "Area" },
                      { "type", ColumnKind::Text, 0, "Element type" },
                      { "site", ColumnKind::Text, 0, "Kind of site" },
                      { "milestone", ColumnKind::Integer, 0, "Milestone" },
                      { "from_m", ColumnKind::Real, 3, "From (m along the edge)" },
                      { "length_m", ColumnKind::Real, 3, "Length (m)" },
                      { "ha", ColumnKind::Real, 6, "Element area (ha)" },
                      { "build_eur", ColumnKind::Real, 2, "Construction, mid (EUR)" } };
    const std::vector<std::string> ids = candidate_ids(result, bids);
    for (std::size_t k = 0; k < bids.candidates.size(); ++k) {
        const SiteCandidate& c = bids.candidates[k];
        for (const SitePart& part : c.chosen) {
            // The construction cost is per metre of an edge site: the stretch's share of the
            // candidate's; a cut corner site's share is by area.
            const bool corner = !c.centre_wkb.empty();
            const double share = corner ? (c.ha > 0.0 ? part.ha / c.ha : 0.0)
                                        : (c.length_m > 0.0 ? part.length_m / c.length_m : 0.0);
            const Cell build = c.build_eur ? Cell(*c.build_eur * share) : Cell();
            sites.rows.push_back({ ids[k],
                                   result.areas[c.area].id,
                                   c.type,
                                   c.site,
                                   std::int64_t(config.milestones[part.milestone].year),
                                   corner ? Cell() : Cell(part.from_m),
                                   corner ? Cell() : Cell(part.length_m),
                                   part.ha,
                                   build });
            sites.geometry_wkb.push_back(part.footprint_wkb);
        }
    }
    return sites;
}

std::vector<std::string> write_candidates(const std::filesystem::path& dir,
                                          const Config& config,
                                          const io::Crs& crs,
                                          const analysis::MeasureResult& result,
                                          const AreaBids& bids)
{
    if (bids.candidates.empty())
        return {};
    const Translation& words = *bids.words;
    Table t;
    t.columns = { { "candidate_id", ColumnKind::Text, 0, "Candidate" },
                  { "area_id", ColumnKind::Text, 0, "Area" },
                  { "type", ColumnKind::Text, 0, "Element type" },
                  { "site", ColumnKind::Text, 0, "Kind of site" },
                  { "length_m", ColumnKind::Real, 3, "Length (m)" },
                  { "count", ColumnKind::Integer, 0, "Number (a pond, a wood)" },
                  { "ha", ColumnKind::Real, 6, "Element area (ha)" },
                  { "build_eur", ColumnKind::Real, 2, "Construction, mid (EUR)" },
                  { "eca_gain_ha", ColumnKind::Real, 6, "Equivalent connected area gained (ha)" },
                  { "rank", ColumnKind::Integer, 0, "Rank in its area" },
                  { "selected", ColumnKind::Integer, 0, "Chosen (1) or not (0)" },
                  { "selected_m", ColumnKind::Real, 3, "Chosen length (m)" },
                  { "selected_ha", ColumnKind::Real, 6, "Chosen element area (ha)" } };
    const std::vector<std::string> ids = candidate_ids(result, bids);
    for (std::size_t k = 0; k < bids.candidates.size(); ++k) {
        const SiteCandidate& c = bids.candidates[k];
        double chosen_m = 0.0, chosen_ha = 0.0;
        for (const SitePart& part : c.chosen) {
            chosen_m += part.length_m;
            chosen_ha += part.ha;
        }
        // A corner site has a count, not a length; rank 0: another type's site took its corner.
        const bool corner = !c.centre_wkb.empty();
        t.rows.push_back({ ids[k],
                           result.areas[c.area].id,
                           c.type,
                           c.site,
                           corner ? Cell() : Cell(c.length_m),
                           corner ? Cell(std::int64_t(1)) : Cell(),
                           c.ha,
                           c.build_eur ? Cell(*c.build_eur) : Cell(),
                           c.eca_gain_ha,
                           c.rank > 0 ? Cell(std::int64_t(c.rank)) : Cell(),
                           std::int64_t(c.chosen.empty() ? 0 : 1),
                           corner ? Cell() : Cell(chosen_m),
                           chosen_ha });
        t.geometry_wkb.push_back(c.footprint_wkb);
    }
    Table sites = chosen_sites_table(config, result, bids);
    translate_aliases(t, words);
    translate_aliases(sites, words);
    io::GeoPackageWriter gpkg(dir / "candidates.gpkg", crs);
    gpkg.add_layer(
      "candidates",
      words("Candidate sites for new elements: free parcel edges as strips, field corners as "
            "discs"),
      t);
    gpkg.add_layer("sites", words("The chosen sites: the stretches that hold the proposal"), sites);
    for (const char* layer : { "candidates", "sites" }) {
        io::LayerStyle style = io::candidates_style(config.type_order);
        style.description = words(style.description);
        style.aliases = gpkg.aliases(layer);
        gpkg.add_style(layer, std::string("landel ") + layer, io::to_qml(style), style.description);
    }
    gpkg.close();
    return { "candidates.gpkg" };
}

} // namespace landel::pipeline::detail
