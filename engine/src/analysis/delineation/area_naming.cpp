// Names of overlay areas from a layer that names them (delineate_overlay, "Names").

#include "landel/geometry/box_index.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"
#include "overlay_stages.h"

namespace landel::analysis::detail {

std::vector<std::string> dominant_names(Contexts& contexts,
                                        const std::vector<const GEOSGeometry*>& areas,
                                        const std::vector<const GEOSGeometry*>& named,
                                        const std::vector<std::string>& names)
{
    std::vector<Box> envs(named.size());
    {
        const geometry::GeosContext& ctx = contexts.local();
        for (std::size_t i = 0; i < named.size(); ++i)
            if (named[i] && !names[i].empty())
                envs[i] = geometry::envelope(ctx, named[i]); // empty boxes are not indexed
    }
    const geometry::BoxIndex index(envs);
    std::vector<std::string> result(areas.size());
    parallel::for_each_index(areas.size(), [&](std::size_t a) {
        const geometry::GeosContext& ctx = contexts.local();
        double best = 0.0;
        const std::string* best_name = nullptr;
        for (std::size_t i : index.query(geometry::envelope(ctx, areas[a]))) {
            const geometry::GeomPtr common = geometry::intersection(ctx, areas[a], named[i]);
            const double m2 = geometry::area(ctx, common.get());
            if (m2 <= 0.0)
                continue;
            if (m2 > best || (m2 == best && names[i] < *best_name)) {
                best = m2;
                best_name = &names[i];
            }
        }
        if (best_name)
            result[a] = *best_name;
    });
    return result;
}

} // namespace landel::analysis::detail
