// Polygons of a label raster kept in tiles: each tile is traced on its own (label_polygons.cpp,
// with the ring of its neighbours' cells so that pieces share their vertices along tile
// borders), and the pieces of a label that crosses tiles are united as the exact coverage
// they form.
#include "landel/analysis/delineation/label_polygons.h"

#include "landel/geometry/geos_context.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"

#include <tbb/enumerable_thread_specific.h>

#include <algorithm>

namespace landel::analysis {

std::vector<BasinPolygon> label_polygons(const Grid& grid, const TiledRaster<std::int32_t>& labels)
{
    const TileLayout& layout = labels.layout();
    std::vector<std::vector<BasinPolygon>> per_tile(layout.tiles());
    parallel::for_each_index(layout.tiles(), [&](std::size_t t) {
        per_tile[t] = label_polygons(grid, layout.box(t), labels.read_with_ring(t));
    });
    std::int32_t max_label = 0;
    for (const auto& tile : per_tile)
        for (const BasinPolygon& p : tile)
            max_label = std::max(max_label, p.label);
    std::vector<std::vector<std::string>> pieces(std::size_t(max_label) + 1);
    for (auto& tile : per_tile) { // in tile order, so the union's input order is fixed
        for (BasinPolygon& p : tile)
            pieces[std::size_t(p.label)].push_back(std::move(p.wkb));
        tile = {};
    }

    tbb::enumerable_thread_specific<geometry::GeosContext> contexts;
    std::vector<std::string> wkb(pieces.size());
    parallel::for_each_index(pieces.size(), [&](std::size_t label) {
        if (pieces[label].size() == 1) {
            wkb[label] = std::move(pieces[label][0]);
            return;
        }
        if (pieces[label].empty())
            return;
        const geometry::GeosContext& ctx = contexts.local();
        std::vector<geometry::GeomPtr> parts;
        std::vector<const GEOSGeometry*> raw;
        for (const std::string& piece : pieces[label]) {
            parts.push_back(geometry::from_wkb(ctx, piece));
            raw.push_back(parts.back().get());
        }
        const geometry::GeomPtr united = geometry::coverage_union(ctx, raw);
        wkb[label] = geometry::to_wkb(ctx, geometry::with_ogc_orientation(ctx, united.get()).get());
        pieces[label] = {};
    });
    std::vector<BasinPolygon> out;
    for (std::size_t label = 1; label < wkb.size(); ++label)
        if (!wkb[label].empty())
            out.push_back({ std::int32_t(label), std::move(wkb[label]) });
    return out;
}

} // namespace landel::analysis
