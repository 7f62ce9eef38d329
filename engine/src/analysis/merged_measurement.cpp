#include "landel/analysis/merged_measurement.h"

#include "landel/geometry/ops.h"
#include "measure_stages.h"
#include "raster_pass.h"

namespace landel::analysis {

namespace {

/// The areas as measured, parsed back from their WKB (exact: WKB keeps every double).
struct ParsedAreas
{
    std::vector<geometry::GeomPtr> owned;
    std::vector<const GEOSGeometry*> geom;
    std::vector<Box> env;
};

ParsedAreas parse_areas(detail::Contexts& contexts, const MeasureResult& result)
{
    ParsedAreas p;
    const geometry::GeosContext& ctx = contexts.local();
    for (const AreaMeasure& a : result.areas) {
        p.owned.push_back(geometry::from_wkb(ctx, a.geometry_wkb));
        p.geom.push_back(p.owned.back().get());
        p.env.push_back(geometry::envelope(ctx, p.geom.back()));
    }
    return p;
}

} // namespace

AreaOverlaps overlapping_areas(const MeasureResult& result, const std::string& areas_label)
{
    detail::Contexts contexts; // declared first: the geometries go before their contexts
    const ParsedAreas areas = parse_areas(contexts, result);
    AreaOverlaps out;
    for (const auto& [i, j] : detail::overlapping_pairs(contexts, areas.geom, areas.env))
        out.pairs.emplace_back(result.areas[i].id, result.areas[j].id);
    if (!out.pairs.empty())
        out.warning = detail::overlap_warning(areas_label, out.pairs);
    return out;
}

std::string areas_outside_study_warning(const MeasureResult& result, const std::string& areas_label)
{
    const geometry::GeosContext ctx;
    std::vector<std::string> ids;
    for (const AreaMeasure& a : result.areas)
        if (geometry::is_empty(ctx, geometry::from_wkb(ctx, a.geometry_wkb).get()))
            ids.push_back(a.id);
    return ids.empty() ? std::string() : detail::outside_study_warning(areas_label, ids);
}

Raster<float> element_density(const MeasureResult& result, double cell_m)
{
    detail::Contexts contexts;
    const ParsedAreas areas = parse_areas(contexts, result);
    const Grid grid = detail::density_grid(areas.env, cell_m);
    return detail::vector_density(contexts, grid, areas.geom, areas.env, result);
}

} // namespace landel::analysis
