#include "stages/corner_sites.h"

#include "landel/analysis/measurement/field_corners.h"
#include "landel/analysis/measurement/footprint.h"
#include "landel/geometry/contexts.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"

#include <optional>

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

namespace {

/// A corner site's shape before fitting: the type's disc tangent to both edges, or its block
/// against them (@p setback_m into the field).
struct CornerShape
{
    geometry::GeomPtr centre; ///< the disc's centre or the block's first vertex
    double size_m = 0.0;      ///< the disc's radius or the block's side
    std::optional<analysis::CornerBlock> block;
    geometry::GeomPtr polygon;
    Box box;
};

CornerShape corner_shape(const geometry::GeosContext& ctx,
                         const CornerType& type,
                         const analysis::FieldCorner& corner,
                         double setback_m)
{
    CornerShape s;
    if (type.block) {
        s.block = analysis::corner_block(corner, setback_m);
        s.size_m = analysis::corner_block_side(*s.block, type.block_m2);
        s.centre = ctx.own(GEOSGeom_createPointFromXY_r(ctx.handle(), s.block->x, s.block->y),
                           "corner site");
        s.polygon = analysis::corner_block_polygon(ctx, *s.block, s.size_m);
        s.box = geometry::envelope(ctx, s.polygon.get());
        return s;
    }
    s.size_m = type.diameter_m / 2.0;
    const auto [x, y] = analysis::corner_disc_centre(corner, s.size_m, setback_m);
    s.box = Box{ x - s.size_m, y - s.size_m, x + s.size_m, y + s.size_m };
    s.centre = ctx.own(GEOSGeom_createPointFromXY_r(ctx.handle(), x, y), "corner site centre");
    s.polygon = geometry::polygonal_part(
      ctx, analysis::element_footprint(ctx, s.centre.get(), type.diameter_m).get());
    return s;
}

} // namespace

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
    const bid::CatalogueEntry& entry = *type.entry;
    for (std::size_t k : parcels.near(land_box)) {
        const geometry::GeomPtr parcel = geometry::polygonal_from_wkb(ctx, parcels.wkb(k));
        for (const analysis::FieldCorner& corner :
             analysis::field_corners(ctx, parcel.get(), config.siting->corner_angle_deg)) {
            const CornerShape shape = corner_shape(ctx, type, corner, setback_m);
            if (!land_box.contains(shape.box))
                continue;
            const double whole = geometry::area(ctx, shape.polygon.get());
            geometry::GeomPtr in_parcel = geometry::polygonal_part(
              ctx, geometry::intersection(ctx, shape.polygon.get(), parcel.get()).get());
            if (geometry::area(ctx, in_parcel.get()) < whole * (1.0 - 1e-6))
                continue; // it does not fit in the field
            const std::vector<std::string> met =
              sites_met(ctx, shape.polygon.get(), candidates, boxes, [&](const SiteCandidate& c) {
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
            c.centre_wkb = geometry::to_wkb(ctx, shape.centre.get());
            c.radius_m = shape.size_m;
            c.block = shape.block;
            c.footprint_wkb = geometry::to_wkb(ctx, footprint.get());
            c.ha = a / 1e4;
            // Per pond or tree, or per hectare of wood or orchard.
            if (entry.build.mid)
                c.build_eur = *entry.build.mid * (entry.unit == "ha" ? c.ha : 1.0);
            boxes.push_back(shape.box);
            candidates.push_back(std::move(c));
        }
    }
}

} // namespace landel::pipeline::detail
