// Step 4 of measure(): the overlay of the types on the rural land of every area. An area whose
// overlay would be large is cut into tiles by a quadtree, and the tiles are overlaid
// independently.
//
// Why a quadtree on the land's vertices: clipping a footprint that crosses the land's boundary
// costs time in proportion to the land's vertex count (GEOS's overlay clips the land to the
// footprint's envelope edge by edge), and real rural land is one polygon with tens of
// thousands of vertices (an area minus a connected road network). Splitting the land until
// each tile holds few vertices makes each clip local, so the overlay scales with local
// complexity rather than with the area's (Samet, "The Quadtree and Related Hierarchical Data
// Structures", ACM Computing Surveys 16(2), 1984: a region quadtree splits a block until its
// content is simple enough).

#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"
#include "landel/parallel/progress_counter.h"
#include "measure_stages.h"

#include <geos_c.h>

namespace landel::analysis::detail {

using geometry::GeomPtr;

namespace {

/// A piece of overlay work: one area, or one tile of a large area with its land.
struct WorkItem
{
    std::size_t area = 0;
    Box window;
    GeomPtr tile_land; ///< the land clipped to the window; null: the area's whole rural land
};

/// Deeper than this the quadtree stops splitting (4^8 = 65,536 tiles at most per area).
constexpr int max_depth = 8;

int vertex_count(const geometry::GeosContext& ctx, const GEOSGeometry* g)
{
    const int n = GEOSGetNumCoordinates_r(ctx.handle(), g);
    if (n < 0)
        ctx.fail("number of coordinates");
    return n;
}

/// The limits a tile's overlay stays within.
struct TileLimits
{
    std::size_t max_shapes;   ///< candidate footprints (envelopes meeting the window)
    std::size_t max_vertices; ///< vertices of the land in the window
};

/// Appends to @p items the tiles of @p land (the land of @p area inside @p window; @p owned
/// holds it when it is a clipped piece) in quadrant order: the window itself while it is
/// within the limits, otherwise its four quadrants with the land clipped to each.
void split(const geometry::GeosContext& ctx,
           std::size_t area,
           const Box& window,
           const GEOSGeometry* land,
           GeomPtr owned,
           const geometry::BoxIndex& index,
           const TileLimits& limits,
           int depth,
           std::vector<WorkItem>& items)
{
    const bool small = index.count(window) <= limits.max_shapes &&
                       std::size_t(vertex_count(ctx, land)) <= limits.max_vertices;
    if (small || depth == max_depth || window.empty()) {
        items.push_back({ area, window, std::move(owned) });
        return;
    }
    const double xmid = window.xmin + window.width() / 2, ymid = window.ymin + window.height() / 2;
    const Box quadrants[4] = { { window.xmin, window.ymin, xmid, ymid },
                               { xmid, window.ymin, window.xmax, ymid },
                               { window.xmin, ymid, xmid, window.ymax },
                               { xmid, ymid, window.xmax, window.ymax } };
    for (const Box& q : quadrants) {
        GeomPtr piece = geometry::clip_to_box(ctx, land, q);
        if (geometry::is_empty(ctx, piece.get()))
            continue;
        const GEOSGeometry* raw = piece.get();
        split(ctx, area, q, raw, std::move(piece), index, limits, depth + 1, items);
    }
}

/// The work items of every area, in area order and, within an area, in quadtree order.
std::vector<WorkItem> plan_work(Contexts& contexts,
                                const RuralLand& rural,
                                const std::vector<Box>& rural_env,
                                const geometry::BoxIndex& index,
                                const TileLimits& limits)
{
    const std::size_t n = rural_env.size();
    std::vector<std::vector<WorkItem>> per_area(n);
    parallel::for_each_index(n, [&](std::size_t a) {
        split(contexts.local(),
              a,
              rural_env[a],
              rural.rural[a].get(),
              nullptr,
              index,
              limits,
              0,
              per_area[a]);
    });
    std::vector<WorkItem> items;
    for (std::vector<WorkItem>& area_items : per_area)
        for (WorkItem& item : area_items)
            items.push_back(std::move(item));
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
    const std::vector<WorkItem> items =
      plan_work(contexts,
                rural,
                out.rural_env,
                index,
                { request.tile_max_shapes, request.tile_max_vertices });
    out.pieces.resize(items.size());
    {
        parallel::ProgressCounter progress(
          request.progress, progress_from, progress_to, items.size(), "overlay");
        parallel::for_each_index(items.size(), [&](std::size_t w) {
            const WorkItem& item = items[w];
            const GEOSGeometry* land =
              item.tile_land ? item.tile_land.get() : rural.rural[item.area].get();
            out.pieces[w] = overlay_types(contexts.local(),
                                          land,
                                          item.window,
                                          shapes,
                                          index,
                                          request.types.size(),
                                          request.sources.size());
            progress.step();
        });
    }
    out.items_of.resize(n);
    for (std::size_t w = 0; w < items.size(); ++w) {
        out.items_of[items[w].area].push_back(w);
        out.windows.push_back(items[w].window);
    }
    return out;
}

} // namespace landel::analysis::detail
