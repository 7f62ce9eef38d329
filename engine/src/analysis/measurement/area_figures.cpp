// Step 5 of measure(): per area its figures from the overlay pieces, its plan quantities
// (centre-line metres and point counts inside the rural land) and its targets.

#include "landel/core/error.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"
#include "landel/parallel/progress_counter.h"
#include "measure_stages.h"

#include <string>

namespace landel::analysis::detail {

using geometry::GeomPtr;

namespace {

/// The area's own figures: its size, rural land and exclusions, and the geometry of the area
/// and of its rural land.
void base_figures(const geometry::GeosContext& ctx,
                  const AreaFeature& in,
                  const GEOSGeometry* area,
                  const RuralLand& rural,
                  std::size_t i,
                  std::size_t group_count,
                  AreaMeasure& m)
{
    m.id = in.id;
    m.name = in.name;
    m.cls = in.cls;
    m.area_ha = geometry::area(ctx, area) / 1e4;
    m.rural_ha = geometry::area(ctx, rural.rural[i].get()) / 1e4;
    m.masked_ha = rural.masked_m2[i] / 1e4;
    m.excl_ha.resize(group_count);
    for (std::size_t g = 0; g < group_count; ++g)
        m.excl_ha[g] = rural.excl_m2[i][g] / 1e4;
    m.geometry_wkb = geometry::to_wkb(ctx, area);
    m.rural_wkb = geometry::to_wkb(ctx, rural.rural[i].get());
}

/// True when @p env lies strictly inside @p window: a piece there touches no tile border.
bool strictly_inside(const Box& env, const Box& window)
{
    return window.xmin < env.xmin && env.xmax < window.xmax && window.ymin < env.ymin &&
           env.ymax < window.ymax;
}

/// One type's owned geometry of an area overlaid in tiles: the tiles' polygons, those
/// touching a tile border united with their neighbours across it. Polygons strictly inside
/// their tile meet no other tile's and are taken as they are, so the union stays small.
std::string united_across_tiles(const geometry::GeosContext& ctx,
                                const std::vector<std::size_t>& items,
                                std::vector<OwnedPieces>& pieces,
                                const std::vector<Box>& windows,
                                std::size_t t)
{
    std::vector<GeomPtr> tiles;
    std::vector<const GEOSGeometry*> inner, at_border;
    for (std::size_t w : items) {
        if (pieces[w].owned_wkb[t].empty())
            continue;
        tiles.push_back(geometry::from_wkb(ctx, pieces[w].owned_wkb[t]));
        std::string().swap(pieces[w].owned_wkb[t]);
        std::vector<const GEOSGeometry*> polygons;
        geometry::collect_parts(ctx, tiles.back().get(), polygons);
        for (const GEOSGeometry* p : polygons)
            (strictly_inside(geometry::envelope(ctx, p), windows[w]) ? inner : at_border)
              .push_back(p);
    }
    GeomPtr joined = geometry::polygonal_part(ctx, geometry::union_of(ctx, at_border).get());
    geometry::collect_parts(ctx, joined.get(), inner);
    return geometry::to_wkb(ctx, geometry::multipolygon_of(ctx, inner).get());
}

/// Per type: the hectares of the area's pieces @p items summed in item order, and their
/// owned geometry (moved out of @p pieces; the pieces of tiles united along the tile
/// borders).
void combine_pieces(const geometry::GeosContext& ctx,
                    const std::vector<std::size_t>& items,
                    std::vector<OwnedPieces>& pieces,
                    const std::vector<Box>& windows,
                    std::size_t type_count,
                    AreaMeasure& m)
{
    m.type_ha.assign(type_count, 0.0);
    m.owned_wkb.assign(type_count, std::string());
    for (std::size_t t = 0; t < type_count; ++t) {
        double m2 = 0.0;
        std::vector<std::size_t> with_area;
        for (std::size_t w : items) {
            m2 += pieces[w].m2[t];
            if (!pieces[w].owned_wkb[t].empty())
                with_area.push_back(w);
        }
        m.type_ha[t] = m2 / 1e4;
        m.element_ha += m.type_ha[t];
        if (with_area.size() == 1)
            m.owned_wkb[t] = std::move(pieces[with_area.front()].owned_wkb[t]);
        else if (!with_area.empty())
            m.owned_wkb[t] = united_across_tiles(ctx, with_area, pieces, windows, t);
    }
}

/// The owned pieces are cut from the rural land, so they cannot exceed it. GEOS can break
/// that on numerically degenerate areas (found fuzzing: a ring with vertices 1e-307 m apart
/// made an intersection return a hedge strip lying outside the area); such figures are
/// refused, naming the area, rather than reported.
void check_not_degenerate(const MeasureRequest& request,
                          const AreaFeature& in,
                          const AreaMeasure& m)
{
    if (m.element_ha > m.rural_ha * (1.0 + 1e-9) + 1e-12)
        throw GeometryError(request.areas_label + ": area " + in.id + " (feature " +
                            std::to_string(in.fid) + "): the geometry operations gave " +
                            std::to_string(m.element_ha * 1e4) + " m² of elements on " +
                            std::to_string(m.rural_ha * 1e4) +
                            " m² of rural land; the area's geometry is numerically "
                            "degenerate (vertices far closer than a millimetre?)");
}

/// Plan quantities of the shapes (@p candidates of @p shapes) on rural land @p land:
/// centre-line metres and point features per type, and with @p plan (per type) their
/// geometry there for the raster pass.
void plan_quantities(const geometry::GeosContext& ctx,
                     const GEOSGeometry* land,
                     const std::vector<std::size_t>& candidates,
                     const ElementShapes& shapes,
                     AreaMeasure& m,
                     std::vector<PlanGeometry>* plan)
{
    if (geometry::is_empty(ctx, land))
        return;
    geometry::PreparedPtr prepared = ctx.own_prepared(GEOSPrepare_r(ctx.handle(), land), "prepare");
    const auto meets = [&](const GEOSGeometry* g) {
        return ctx.check_predicate(GEOSPreparedIntersects_r(ctx.handle(), prepared.get(), g),
                                   "intersects");
    };
    for (std::size_t j : candidates) {
        const Shape& s = shapes.shapes[j];
        const std::size_t t = std::size_t(s.type);
        if (s.lines && meets(s.lines.get())) {
            const bool inside = ctx.check_predicate(
              GEOSPreparedContainsProperly_r(ctx.handle(), prepared.get(), s.lines.get()),
              "containsProperly");
            GeomPtr clipped;
            if (!inside)
                clipped = geometry::intersection(ctx, s.lines.get(), land);
            const GEOSGeometry* mine = inside ? s.lines.get() : clipped.get();
            m.type_length_m[t] += geometry::length(ctx, mine);
            if (plan)
                (*plan)[t].add_lines(ctx, mine);
        }
        if (s.points && meets(s.points.get())) {
            ++m.type_count[t];
            if (plan)
                (*plan)[t].add_point_feature(
                  ctx, geometry::intersection(ctx, s.points.get(), land).get());
        }
    }
}

} // namespace

std::vector<std::vector<PlanGeometry>> area_figures(Contexts& contexts,
                                                    const MeasureRequest& request,
                                                    const PreparedAreas& areas,
                                                    const RuralLand& rural,
                                                    const ElementShapes& shapes,
                                                    const geometry::BoxIndex& index,
                                                    OverlayWork& overlay,
                                                    bool rasters,
                                                    MeasureResult& result,
                                                    double progress_from,
                                                    double progress_to)
{
    const std::size_t n = areas.geom.size();
    const std::size_t type_count = request.types.size();
    result.areas.resize(n);
    std::vector<std::vector<PlanGeometry>> plan(rasters ? n : 0);
    parallel::ProgressCounter progress(
      request.progress, progress_from, progress_to, n, "quantities");
    parallel::for_each_index(n, [&](std::size_t i) {
        const geometry::GeosContext& ctx = contexts.local();
        const AreaFeature& in = request.areas[i];
        AreaMeasure& m = result.areas[i];
        base_figures(ctx, in, areas.geom[i].get(), rural, i, request.mask_groups.size(), m);
        combine_pieces(ctx, overlay.items_of[i], overlay.pieces, overlay.windows, type_count, m);
        check_not_degenerate(request, in, m);
        m.type_length_m.assign(type_count, 0.0);
        m.type_count.assign(type_count, 0);
        if (rasters)
            plan[i].resize(type_count);
        plan_quantities(ctx,
                        rural.rural[i].get(),
                        index.query(overlay.rural_env[i]),
                        shapes,
                        m,
                        rasters ? &plan[i] : nullptr);
        if (request.line_end_gap_m)
            count_line_ends(ctx,
                            rural.rural[i].get(),
                            index.query(overlay.rural_env[i]),
                            shapes,
                            index,
                            *request.line_end_gap_m,
                            m);
        m.targets = evaluate_targets(m.element_ha, m.rural_ha, request.milestones);
        progress.step();
    });
    return plan;
}

} // namespace landel::analysis::detail
