#include "stages/corner_sites.h"

#include "landel/analysis/measurement/field_corners.h"
#include "landel/analysis/measurement/footprint.h"
#include "landel/geometry/contexts.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"

namespace landel::pipeline::detail {

ParcelIndex::ParcelIndex(const std::vector<std::string>& parcels_wkb)
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

void add_corner_sites(const geometry::GeosContext& ctx,
                      const Config& config,
                      const CornerType& type,
                      const AreaSite& site,
                      std::size_t area,
                      const ParcelIndex& parcels,
                      double setback_m,
                      std::vector<SiteCandidate>& candidates,
                      std::vector<Box>& boxes)
{
    const Box land_box = site.rural.extent();
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
              fitted(ctx, std::move(in_parcel), site, also_off.get());
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
            boxes.push_back(disc_box);
            candidates.push_back(std::move(c));
        }
    }
}

} // namespace landel::pipeline::detail
