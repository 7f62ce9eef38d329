#include "landel/analysis/measurement/measurement.h"

#include "landel/core/error.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"
#include "landel/parallel/progress_counter.h"
#include "raster_pass.h"

#include <chrono>
#include <cmath>

namespace landel::analysis {

using geometry::GeomPtr;
using namespace detail;

namespace {

class StageTimer
{
public:
    explicit StageTimer(std::vector<std::pair<std::string, double>>& sink)
      : m_sink(sink)
    {
    }
    void done(const std::string& stage)
    {
        const auto now = std::chrono::steady_clock::now();
        m_sink.emplace_back(stage, std::chrono::duration<double>(now - m_start).count());
        m_start = now;
    }

private:
    std::vector<std::pair<std::string, double>>& m_sink;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

/// A piece of overlay work: one area, or one tile of a large area.
struct WorkItem
{
    std::size_t area = 0;
    Box window;
    bool tiled = false;
};

std::vector<WorkItem> plan_work(const std::vector<Box>& area_env, const geometry::BoxIndex& index,
                                std::size_t tile_max_shapes)
{
    std::vector<WorkItem> items;
    for (std::size_t a = 0; a < area_env.size(); ++a) {
        const Box& env = area_env[a];
        const std::size_t candidates = index.count(env);
        if (candidates <= tile_max_shapes || env.empty()) {
            items.push_back({ a, env, false });
            continue;
        }
        // Square-ish tiles with about half the limit each, so that shapes crossing tile
        // borders (counted in both) still leave each tile under the limit.
        const std::size_t k = std::size_t(std::ceil(std::sqrt(2.0 * candidates / tile_max_shapes)));
        const double dx = env.width() / double(k), dy = env.height() / double(k);
        for (std::size_t r = 0; r < k; ++r)
            for (std::size_t c = 0; c < k; ++c) {
                Box w{ env.xmin + c * dx, env.ymin + r * dy,
                       c + 1 == k ? env.xmax : env.xmin + (c + 1) * dx,
                       r + 1 == k ? env.ymax : env.ymin + (r + 1) * dy };
                items.push_back({ a, w, true });
            }
    }
    return items;
}

} // namespace

MeasureResult measure(const MeasureRequest& request)
{
    MeasureResult result;
    StageTimer timer(result.timings_s);
    Contexts contexts; // declared first: every geometry below is destroyed before the contexts
    const std::size_t type_count = request.types.size();
    const std::size_t source_count = request.sources.size();
    const std::size_t group_count = request.mask_groups.size();
    const bool rasters = !request.raster_sources.empty() || !request.raster_masks.empty();
    // With rasters, the cell pass takes the last third of the progress bar.
    const double overlay_end = rasters ? 0.6 : 0.95, quantities_end = rasters ? 0.65 : 1.0;

    if (request.progress && !request.progress(0.0, "areas"))
        throw Cancelled();
    PreparedAreas areas = prepare_areas(contexts, request);
    const Grid density = rasters ? Grid() : density_grid(areas.env, request.density_cell_m);
    timer.done("areas");

    RuralLand rural = compute_rural_land(contexts, request, areas);
    timer.done("rural_land");

    ElementShapes shapes = build_element_shapes(contexts, request);
    std::vector<Box> boxes;
    boxes.reserve(shapes.shapes.size());
    for (const Shape& s : shapes.shapes)
        boxes.push_back(s.env);
    const geometry::BoxIndex index(boxes);
    timer.done("element_shapes");

    // Overlay of the types on the rural land of each area or tile.
    const std::size_t n = areas.geom.size();
    std::vector<Box> rural_env(n);
    {
        const geometry::GeosContext& ctx = contexts.local();
        for (std::size_t i = 0; i < n; ++i)
            rural_env[i] = geometry::envelope(ctx, rural.rural[i].get());
    }
    const std::vector<WorkItem> items = plan_work(rural_env, index, request.tile_max_shapes);
    std::vector<OwnedPieces> pieces(items.size());
    {
        parallel::ProgressCounter progress(request.progress, 0.35, overlay_end, items.size(),
                                           "overlay");
        parallel::for_each_index(items.size(), [&](std::size_t w) {
            const geometry::GeosContext& ctx = contexts.local();
            const WorkItem& item = items[w];
            const GEOSGeometry* land = rural.rural[item.area].get();
            GeomPtr clipped;
            if (item.tiled) {
                GeomPtr box = geometry::box_polygon(ctx, item.window);
                clipped = geometry::polygonal_part(ctx, geometry::intersection(ctx, land, box.get()).get());
                land = clipped.get();
            }
            pieces[w] = overlay_types(ctx, land, item.window, shapes, index, type_count, source_count);
            progress.step();
        });
    }
    timer.done("overlay");

    // Per area: combine its pieces in item order, plan quantities, targets.
    std::vector<std::vector<std::size_t>> items_of(n);
    for (std::size_t w = 0; w < items.size(); ++w)
        items_of[items[w].area].push_back(w);

    result.areas.resize(n);
    std::vector<std::vector<PlanGeometry>> plan(rasters ? n : 0);
    parallel::ProgressCounter progress(request.progress, overlay_end, quantities_end, n,
                                       "quantities");
    parallel::for_each_index(n, [&](std::size_t i) {
        const geometry::GeosContext& ctx = contexts.local();
        const AreaFeature& in = request.areas[i];
        AreaMeasure& m = result.areas[i];
        m.id = in.id;
        m.name = in.name;
        m.cls = in.cls;
        m.area_ha = geometry::area(ctx, areas.geom[i].get()) / 1e4;
        m.rural_ha = geometry::area(ctx, rural.rural[i].get()) / 1e4;
        m.masked_ha = rural.masked_m2[i] / 1e4;
        m.excl_ha.resize(group_count);
        for (std::size_t g = 0; g < group_count; ++g)
            m.excl_ha[g] = rural.excl_m2[i][g] / 1e4;
        m.geometry_wkb = geometry::to_wkb(ctx, areas.geom[i].get());

        m.type_ha.assign(type_count, 0.0);
        m.owned_wkb.assign(type_count, std::string());
        for (std::size_t t = 0; t < type_count; ++t) {
            double m2 = 0.0;
            std::vector<std::size_t> with_area;
            for (std::size_t w : items_of[i]) {
                m2 += pieces[w].m2[t];
                if (!pieces[w].owned_wkb[t].empty())
                    with_area.push_back(w);
            }
            m.type_ha[t] = m2 / 1e4;
            m.element_ha += m.type_ha[t];
            if (with_area.size() == 1) {
                m.owned_wkb[t] = std::move(pieces[with_area.front()].owned_wkb[t]);
            } else if (with_area.size() > 1) {
                // Tiles of one area: join their pieces along the tile borders.
                std::vector<GeomPtr> parts;
                std::vector<const GEOSGeometry*> refs;
                for (std::size_t w : with_area) {
                    parts.push_back(geometry::from_wkb(ctx, pieces[w].owned_wkb[t]));
                    refs.push_back(parts.back().get());
                    std::string().swap(pieces[w].owned_wkb[t]);
                }
                m.owned_wkb[t] = geometry::to_wkb(
                  ctx, geometry::polygonal_part(ctx, geometry::union_of(ctx, refs).get()).get());
            }
        }

        // The owned pieces are cut from the rural land, so they cannot exceed it. GEOS can
        // break that on numerically degenerate areas (found fuzzing: a ring with vertices
        // 1e-307 m apart made an intersection return a hedge strip lying outside the area);
        // such figures are refused, naming the area, rather than reported.
        if (m.element_ha > m.rural_ha * (1.0 + 1e-9) + 1e-12)
            throw GeometryError(request.areas_label + ": area " + in.id + " (feature " +
                                std::to_string(in.fid) + "): the geometry operations gave " +
                                std::to_string(m.element_ha * 1e4) + " m² of elements on " +
                                std::to_string(m.rural_ha * 1e4) +
                                " m² of rural land; the area's geometry is numerically "
                                "degenerate (vertices far closer than a millimetre?)");

        // Plan quantities: centre-line metres and point counts inside the rural land.
        m.type_length_m.assign(type_count, 0.0);
        m.type_count.assign(type_count, 0);
        if (rasters)
            plan[i].resize(type_count);
        const GEOSGeometry* land = rural.rural[i].get();
        if (!geometry::is_empty(ctx, land)) {
            geometry::PreparedPtr prepared = ctx.own_prepared(GEOSPrepare_r(ctx.handle(), land), "prepare");
            for (std::size_t j : index.query(rural_env[i])) {
                const Shape& s = shapes.shapes[j];
                if (s.lines &&
                    ctx.check_predicate(GEOSPreparedIntersects_r(ctx.handle(), prepared.get(), s.lines.get()),
                                        "intersects")) {
                    const bool inside = ctx.check_predicate(
                      GEOSPreparedContainsProperly_r(ctx.handle(), prepared.get(), s.lines.get()),
                      "containsProperly");
                    GeomPtr clipped;
                    if (!inside)
                        clipped = geometry::intersection(ctx, s.lines.get(), land);
                    const GEOSGeometry* mine = inside ? s.lines.get() : clipped.get();
                    m.type_length_m[std::size_t(s.type)] += geometry::length(ctx, mine);
                    if (rasters)
                        plan[i][std::size_t(s.type)].add_lines(ctx, mine);
                }
                if (s.points &&
                    ctx.check_predicate(GEOSPreparedIntersects_r(ctx.handle(), prepared.get(), s.points.get()),
                                        "intersects")) {
                    ++m.type_count[std::size_t(s.type)];
                    if (rasters)
                        plan[i][std::size_t(s.type)].add_point_feature(
                          ctx, geometry::intersection(ctx, s.points.get(), land).get());
                }
            }
        }
        m.targets = evaluate_targets(m.element_ha, m.rural_ha, request.milestones);
        progress.step();
    });
    timer.done("quantities");

    // Reports and warnings.
    const geometry::GeosContext& ctx = contexts.local();
    result.study_area_wkb = geometry::to_wkb(ctx, areas.study.get());
    result.study_area_ha = geometry::area(ctx, areas.study.get()) / 1e4;
    result.areas_report.label = request.areas_label;
    result.areas_report.features = request.areas.size();
    result.areas_report.repaired = areas.repaired;
    result.overlapping_areas = areas.overlaps;
    result.warnings = areas.warnings;
    result.mask_reports = rural.reports;
    result.element_reports = shapes.reports;
    for (const OwnedPieces& p : pieces)
        for (std::size_t s = 0; s < source_count; ++s)
            if (p.sources_hit[s])
                result.element_reports[s].inside_rural_land = true;
    for (std::size_t s = 0; s < source_count; ++s)
        if (!result.element_reports[s].inside_rural_land)
            result.warnings.push_back(request.sources[s].label +
                                      ": selects no element inside the areas' rural land; "
                                      "its type gets 0 ha from it");
    auto note_repairs = [&result](const SourceReport& r) {
        if (r.repaired)
            result.warnings.push_back(repaired_warning(r));
    };
    note_repairs(result.areas_report);
    for (const SourceReport& r : result.mask_reports)
        note_repairs(r);
    for (const SourceReport& r : result.element_reports)
        note_repairs(r);
    for (const SourceReport& r : result.mask_reports)
        if (r.features == 0)
            result.warnings.push_back(r.label + ": selects no features; it excludes nothing");

    if (rasters) {
        apply_raster_sources(contexts, request, areas, rural, result, quantities_end, 1.0, plan);
        timer.done("rasters");
    } else if (!density.empty()) {
        std::vector<const GEOSGeometry*> area_geom;
        for (const GeomPtr& g : areas.geom)
            area_geom.push_back(g.get());
        result.density = vector_density(contexts, density, area_geom, areas.env, result);
        timer.done("density");
    }
    return result;
}

std::string repaired_warning(const SourceReport& report)
{
    return report.label + ": " + std::to_string(report.repaired) + repaired_warning_tail;
}

} // namespace landel::analysis
