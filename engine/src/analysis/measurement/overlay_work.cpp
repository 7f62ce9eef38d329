// Step 4 of measure(): the overlay of the types on the rural land of every area, large areas
// cut into tiles that are overlaid independently.

#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"
#include "landel/parallel/progress_counter.h"
#include "measure_stages.h"

#include <cmath>

namespace landel::analysis::detail {

using geometry::GeomPtr;

namespace {

/// A piece of overlay work: one area, or one tile of a large area.
struct WorkItem
{
    std::size_t area = 0;
    Box window;
    bool tiled = false;
};

std::vector<WorkItem> plan_work(const std::vector<Box>& area_env,
                                const geometry::BoxIndex& index,
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
                Box w{ env.xmin + c * dx,
                       env.ymin + r * dy,
                       c + 1 == k ? env.xmax : env.xmin + (c + 1) * dx,
                       r + 1 == k ? env.ymax : env.ymin + (r + 1) * dy };
                items.push_back({ a, w, true });
            }
    }
    return items;
}

} // namespace

OverlayWork overlay_areas(Contexts& contexts,
                          const MeasureRequest& request,
                          const RuralLand& rural,
                          const ElementShapes& shapes,
                          const geometry::BoxIndex& index,
                          double progress_from,
                          double progress_to)
{
    const std::size_t n = rural.rural.size();
    OverlayWork out;
    out.rural_env.resize(n);
    {
        const geometry::GeosContext& ctx = contexts.local();
        for (std::size_t i = 0; i < n; ++i)
            out.rural_env[i] = geometry::envelope(ctx, rural.rural[i].get());
    }
    const std::vector<WorkItem> items = plan_work(out.rural_env, index, request.tile_max_shapes);
    out.pieces.resize(items.size());
    {
        parallel::ProgressCounter progress(
          request.progress, progress_from, progress_to, items.size(), "overlay");
        parallel::for_each_index(items.size(), [&](std::size_t w) {
            const geometry::GeosContext& ctx = contexts.local();
            const WorkItem& item = items[w];
            const GEOSGeometry* land = rural.rural[item.area].get();
            GeomPtr clipped;
            if (item.tiled) {
                GeomPtr box = geometry::box_polygon(ctx, item.window);
                clipped =
                  geometry::polygonal_part(ctx, geometry::intersection(ctx, land, box.get()).get());
                land = clipped.get();
            }
            out.pieces[w] = overlay_types(
              ctx, land, item.window, shapes, index, request.types.size(), request.sources.size());
            progress.step();
        });
    }
    out.items_of.resize(n);
    for (std::size_t w = 0; w < items.size(); ++w)
        out.items_of[items[w].area].push_back(w);
    return out;
}

} // namespace landel::analysis::detail
