// measure(): the method of measurement.h, its steps numbered alike; each step's work is in
// the file named at it.

#include "landel/analysis/measurement/measurement.h"

#include "landel/core/progress.h"
#include "landel/geometry/ops.h"
#include "raster_pass.h"

#include <chrono>

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

std::vector<Box> shape_boxes(const ElementShapes& shapes)
{
    std::vector<Box> boxes;
    boxes.reserve(shapes.shapes.size());
    for (const Shape& s : shapes.shapes)
        boxes.push_back(s.env);
    return boxes;
}

/// The reports of the areas and the vector sources, and their warnings.
void report_sources(Contexts& contexts,
                    const MeasureRequest& request,
                    const PreparedAreas& areas,
                    const RuralLand& rural,
                    const ElementShapes& shapes,
                    const OverlayWork& overlay,
                    MeasureResult& result)
{
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
    const std::size_t source_count = request.sources.size();
    for (const OwnedPieces& p : overlay.pieces)
        for (std::size_t s = 0; s < source_count; ++s)
            if (p.sources_hit[s])
                result.element_reports[s].inside_rural_land = true;
    for (std::size_t s = 0; s < source_count; ++s)
        if (!result.element_reports[s].inside_rural_land && request.sources[s].warn_if_empty)
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
            result.warnings.push_back(r.label + mask_selects_nothing_tail);
}

} // namespace

MeasureResult measure(const MeasureRequest& request)
{
    MeasureResult result;
    StageTimer timer(result.timings_s);
    Contexts contexts; // declared first: every geometry below is destroyed before the contexts
    const bool rasters = !request.raster_sources.empty() || !request.raster_masks.empty();
    // With rasters, the cell pass takes the last third of the progress bar.
    const double overlay_end = rasters ? 0.6 : 0.95, quantities_end = rasters ? 0.65 : 1.0;

    // 1. The areas, repaired, checked and clipped to the study area (prepare_areas.cpp).
    report_progress(request.progress, 0.0, "areas");
    PreparedAreas areas = prepare_areas(contexts, request);
    const Grid density = rasters ? Grid() : density_grid(areas.env, request.density_cell_m);
    timer.done("areas");

    // 2. Rural land (rural_land.cpp).
    RuralLand rural = compute_rural_land(contexts, request, areas);
    timer.done("rural_land");

    // 3. Element shapes, indexed by their footprints' envelopes (element_shapes.cpp).
    ElementShapes shapes = build_element_shapes(contexts, request);
    const geometry::BoxIndex index(shape_boxes(shapes));
    timer.done("element_shapes");

    // 4. The overlay of the types on each area's rural land, by area or tile
    // (overlay_work.cpp, overlay_types.cpp).
    OverlayWork overlay = overlay_areas(contexts, request, rural, shapes, index, 0.35, overlay_end);
    timer.done("overlay");

    // 5. Per area: its pieces combined in item order, plan quantities, targets
    // (area_figures.cpp).
    const std::vector<std::vector<PlanGeometry>> plan = area_figures(contexts,
                                                                     request,
                                                                     areas,
                                                                     rural,
                                                                     shapes,
                                                                     index,
                                                                     overlay,
                                                                     rasters,
                                                                     result,
                                                                     overlay_end,
                                                                     quantities_end);
    timer.done("quantities");
    report_sources(contexts, request, areas, rural, shapes, overlay, result);

    // 6. Raster sources correct the figures cell by cell (raster_pass.cpp); without them the
    // density raster comes from the owned geometry (element_density.cpp).
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
