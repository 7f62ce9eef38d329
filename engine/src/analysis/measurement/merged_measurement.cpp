#include "landel/analysis/measurement/merged_measurement.h"

#include "landel/geometry/ops.h"
#include "measure_stages.h"
#include "raster_pass.h"

namespace landel::analysis {

struct MergedAreas::Impl
{
    const MeasureResult& result;
    mutable detail::Contexts contexts; // declared first: the geometries go before their contexts
    std::vector<geometry::GeomPtr> owned;
    std::vector<const GEOSGeometry*> geom;
    std::vector<Box> env;
};

MergedAreas::MergedAreas(const MeasureResult& result)
  : m_impl(new Impl{ result, {}, {}, {}, {} })
{
    Impl& d = *m_impl;
    const geometry::GeosContext& ctx = d.contexts.local();
    for (const AreaMeasure& a : result.areas) {
        d.owned.push_back(geometry::from_wkb(ctx, a.geometry_wkb));
        d.geom.push_back(d.owned.back().get());
        d.env.push_back(geometry::envelope(ctx, d.geom.back()));
    }
}

MergedAreas::~MergedAreas() = default;

AreaOverlaps MergedAreas::overlaps(const std::string& areas_label) const
{
    const Impl& d = *m_impl;
    AreaOverlaps out;
    for (const auto& [i, j] : detail::overlapping_pairs(d.contexts, d.geom, d.env))
        out.pairs.emplace_back(d.result.areas[i].id, d.result.areas[j].id);
    if (!out.pairs.empty())
        out.warning = detail::overlap_warning(areas_label, out.pairs);
    return out;
}

std::string MergedAreas::outside_study_warning(const std::string& areas_label) const
{
    const Impl& d = *m_impl;
    const geometry::GeosContext& ctx = d.contexts.local();
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < d.geom.size(); ++i)
        if (geometry::is_empty(ctx, d.geom[i]))
            ids.push_back(d.result.areas[i].id);
    return ids.empty() ? std::string() : detail::outside_study_warning(areas_label, ids);
}

std::pair<std::string, double> MergedAreas::union_of_areas() const
{
    const Impl& d = *m_impl;
    const geometry::GeosContext& ctx = d.contexts.local();
    const geometry::GeomPtr united = detail::union_of_areas(ctx, d.geom);
    return { geometry::to_wkb(ctx, united.get()), geometry::area(ctx, united.get()) / 1e4 };
}

Raster<float> MergedAreas::element_density(double cell_m) const
{
    const Impl& d = *m_impl;
    const Grid grid = detail::density_grid(d.env, cell_m);
    return detail::vector_density(d.contexts, grid, d.geom, d.env, d.result);
}

} // namespace landel::analysis
