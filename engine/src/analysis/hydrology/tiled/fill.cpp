// Depression filling out of memory: the tile-parallel Priority-Flood of Barnes (2016),
// "Parallel priority-flood depression filling for trillion cell digital elevation models",
// Computers & Geosciences 96, 167-178, doi:10.1016/j.cageo.2016.07.001, with its tiles in
// storage. The method is the one of ../tiled_fill.cpp (which keeps the grid in memory; its
// comment gives the proof): F(c) = max(F_t(c), L(label of c)), F_t the tile's own flood from
// its seeds and border, L the level of c's tile watershed from a Priority-Flood over the
// watersheds' spill graph. Here the first pass writes F_t and the labels to storage tile by
// tile, the spills between tiles are read from the tiles' perimeters, and the second pass
// raises tile by tile.
#include "landel/analysis/hydrology/tiled.h"

#include "../tile_flood.h"
#include "landel/core/error.h"
#include "landel/parallel/for_each_index.h"
#include "landel/parallel/progress_counter.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <deque>
#include <limits>
#include <string>
#include <tuple>

namespace landel::analysis::hydrology::tiled {

namespace {

using detail::no_watershed;
using Label = detail::WatershedLabel;
using detail::Spill;
using detail::TileFlood;

/// The spills between neighbouring tiles' border cells (each a start of its tile's flood, so
/// its F_t is its own elevation), from the perimeters of the DEM and of the labels.
void add_border_spills(const TiledRaster<float>& dem,
                       const TiledRaster<Label>& labels,
                       const std::vector<Label>& offset,
                       std::vector<Spill>& spills)
{
    const TileLayout& layout = dem.layout();
    for (std::size_t t = 0; t < layout.tiles(); ++t) {
        const CellBox b = layout.box(t);
        const auto visit = [&](std::size_t r, std::size_t c) {
            const float zi = dem.perimeter_value(r, c);
            if (std::isnan(zi))
                return;
            const Label a = labels.perimeter_value(r, c) + offset[t];
            for (int d = 0; d < 8; ++d) {
                const std::size_t nr = r + direction_row_offset[d],
                                  nc = c + direction_col_offset[d];
                if (nr >= layout.rows() || nc >= layout.cols() || b.contains(nr, nc))
                    continue;
                const std::size_t u = layout.tile_of(nr, nc);
                const float zj = dem.perimeter_value(nr, nc);
                if (u < t || std::isnan(zj)) // each pair of tiles once, from the lower one
                    continue;
                const Label bl = labels.perimeter_value(nr, nc) + offset[u];
                spills.push_back({ std::min(a, bl), std::max(a, bl), std::max(zi, zj) });
            }
        };
        for (std::size_t c = b.c0; c < b.c1; ++c) {
            visit(b.r0, c);
            if (b.r1 - 1 != b.r0)
                visit(b.r1 - 1, c);
        }
        for (std::size_t r = b.r0 + 1; r + 1 < b.r1; ++r) {
            visit(r, b.c0);
            if (b.c1 - 1 != b.c0)
                visit(r, b.c1 - 1);
        }
    }
}

} // namespace

TiledRaster<float> fill_depressions(const TiledRaster<float>& dem,
                                    const TileStorageFactory& storage,
                                    const Progress& progress)
{
    const TileLayout& layout = dem.layout();
    const std::size_t side = layout.side();
    if ((side + 2) * (side + 2) > std::numeric_limits<std::uint32_t>::max())
        throw InvalidArgument("fill: tiles of " + std::to_string(side) +
                              " cells on a side are "
                              "too large");
    TiledRaster<float> filled(layout, storage, dem.outside());
    TiledRaster<Label> labels(layout, storage, no_watershed);

    std::vector<TileFlood> floods(layout.tiles());
    parallel::ProgressCounter flooded(progress, 0.0, 0.45, layout.tiles(), "fill depressions");
    parallel::for_each_index(layout.tiles(), [&](std::size_t t) {
        const CellBox b = layout.box(t);
        std::vector<float> z = dem.read_with_ring(t);
        std::vector<Label> label;
        floods[t] = detail::flood_tile(z, b.rows(), b.cols(), label);
        std::vector<float> inner(b.size());
        for (std::size_t r = 0; r < b.rows(); ++r)
            std::copy_n(&z[(r + 1) * (b.cols() + 2) + 1], b.cols(), &inner[r * b.cols()]);
        filled.write(t, inner);
        labels.write(t, label);
        flooded.step();
    });

    std::vector<Label> offset(layout.tiles() + 1, 0);
    for (std::size_t t = 0; t < layout.tiles(); ++t) {
        if (floods[t].seed_level.size() >= std::size_t(no_watershed - offset[t]))
            throw Error("fill: more than 2^32 tile watersheds");
        offset[t + 1] = offset[t] + Label(floods[t].seed_level.size());
    }
    std::vector<Spill> spills;
    add_border_spills(dem, labels, offset, spills);
    const std::vector<float> levels = detail::watershed_levels(floods, offset, spills);
    floods = {};
    report_progress(progress, 0.55, "fill depressions");

    parallel::ProgressCounter raised(progress, 0.55, 1.0, layout.tiles(), "fill depressions");
    parallel::for_each_index(layout.tiles(), [&](std::size_t t) {
        std::vector<float> z = filled.read(t);
        const std::vector<Label> label = labels.read(t);
        for (std::size_t k = 0; k < z.size(); ++k)
            if (label[k] != no_watershed)
                z[k] = std::max(z[k], levels[label[k] + offset[t]]);
        filled.write(t, z);
        raised.step();
    });
    return filled;
}

} // namespace landel::analysis::hydrology::tiled
