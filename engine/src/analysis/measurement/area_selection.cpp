#include "landel/analysis/measurement/area_selection.h"

#include "landel/core/error.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"

#include <tbb/enumerable_thread_specific.h>

namespace landel::analysis {

AreaSelection areas_meeting(const std::vector<std::string>& study,
                            const std::vector<std::string>& areas,
                            double min_part_m2)
{
    geometry::GeosContext main;
    std::vector<geometry::GeomPtr> parts;
    std::vector<const GEOSGeometry*> refs;
    for (const std::string& wkb : study) {
        parts.push_back(geometry::polygonal_from_wkb(main, wkb));
        refs.push_back(parts.back().get());
    }
    const geometry::GeomPtr united = geometry::union_of(main, refs);
    const Box study_box = geometry::envelope(main, united.get());
    const std::string united_wkb = geometry::to_wkb(main, united.get());

    // Each worker intersects with its own copy of the study area (GEOS objects belong to the
    // context that made them); the prepared copy answers "wholly inside" without overlay.
    struct Worker
    {
        geometry::GeosContext ctx;
        geometry::GeomPtr study;
        const GEOSPreparedGeometry* prepared = nullptr;
        ~Worker()
        {
            if (prepared)
                GEOSPreparedGeom_destroy_r(ctx.handle(), prepared);
        }
    };
    tbb::enumerable_thread_specific<Worker> workers;
    constexpr double whole = -1.0;
    std::vector<double> inside_m2(areas.size(), 0.0);
    parallel::for_each_index(areas.size(), [&](std::size_t i) {
        Worker& w = workers.local();
        if (!w.study) {
            w.study = geometry::from_wkb(w.ctx, united_wkb);
            w.prepared = GEOSPrepare_r(w.ctx.handle(), w.study.get());
        }
        try {
            const geometry::GeomPtr g = geometry::from_wkb(w.ctx, areas[i]);
            if (!geometry::envelope(w.ctx, g.get()).intersects(study_box))
                return;
            if (w.prepared && GEOSPreparedContains_r(w.ctx.handle(), w.prepared, g.get()) == 1) {
                inside_m2[i] = whole;
                return;
            }
            inside_m2[i] =
              geometry::area(w.ctx, geometry::intersection(w.ctx, g.get(), w.study.get()).get());
        } catch (const Error&) {
            inside_m2[i] = whole; // prepare_areas repairs or reports it, naming the area
        }
    });
    AreaSelection out;
    for (std::size_t i = 0; i < areas.size(); ++i) {
        if (inside_m2[i] == whole || inside_m2[i] >= min_part_m2) {
            out.selected.push_back(i);
        } else if (inside_m2[i] > 0.0) {
            out.left_out_m2 += inside_m2[i];
            ++out.slivers;
        }
    }
    return out;
}

} // namespace landel::analysis
