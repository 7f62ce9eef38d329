// The element density raster of vector-only runs: the exact coverage of every area's owned
// element geometry on a grid of density_cell_m cells, summed per cell.

#include "landel/analysis/measurement/cell_coverage.h"
#include "landel/core/error.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"
#include "raster_pass.h"

#include <cmath>
#include <sstream>

namespace landel::analysis::detail {

Grid density_grid(const std::vector<Box>& area_env, double size)
{
    Box env;
    for (const Box& e : area_env)
        env.expand(e);
    if (env.empty() || !(size > 0.0))
        return {};
    // Cells on multiples of the cell size, so density rasters of different runs line up.
    const Box frame{ std::floor(env.xmin / size) * size,
                     std::floor(env.ymin / size) * size,
                     std::max(std::floor(env.xmin / size) + 1.0, std::ceil(env.xmax / size)) * size,
                     std::max(std::floor(env.ymin / size) + 1.0, std::ceil(env.ymax / size)) *
                       size };
    // Areas far too large for the cell size (areas in another unit or CRS than the run's)
    // are an error naming the setting, not an allocation failure (found fuzzing measure():
    // a 86 million km long sliver of one cell's height passed an earlier limit of 2^32
    // cells and ran out of memory).
    const double cells = std::round(frame.width() / size) * std::round(frame.height() / size);
    if (!(cells <= max_density_cells)) {
        std::ostringstream msg;
        msg.precision(3);
        msg << "the element density raster would have " << cells << " cells of " << size
            << " m over the areas' extent of " << frame.width() / 1000.0 << " x "
            << frame.height() / 1000.0 << " km (at most 2^28, about "
            << std::round(max_density_cells * density_bytes_per_cell / double(1u << 30))
            << " GiB of working memory): are the areas in metres? "
            << "(run.density_cell_m sets the cell size)";
        throw InvalidArgument(msg.str());
    }
    return Grid(frame, size, size);
}

Raster<float> vector_density(Contexts& contexts,
                             const Grid& grid,
                             const std::vector<const GEOSGeometry*>& area_geom,
                             const std::vector<Box>& area_env,
                             const MeasureResult& result)
{
    if (grid.empty())
        return {};
    const Box frame = grid.extent();
    const double size = grid.dx();

    // Per area, on its own window; summed into the grid in area order afterwards.
    struct Part
    {
        Grid window;
        std::vector<double> element, area;
    };
    const std::size_t n = result.areas.size();
    std::vector<Part> parts(n);
    parallel::for_each_index(n, [&](std::size_t i) {
        const geometry::GeosContext& ctx = contexts.local();
        Part& p = parts[i];
        p.window = grid.crop(area_env[i]);
        if (p.window.empty())
            return;
        p.area = coverage_fractions(ctx, area_geom[i], p.window);
        p.element.assign(p.window.size(), 0.0);
        for (const std::string& wkb : result.areas[i].owned_wkb) {
            if (wkb.empty())
                continue;
            const std::vector<double> f =
              coverage_fractions(ctx, geometry::from_wkb(ctx, wkb).get(), p.window);
            for (std::size_t k = 0; k < f.size(); ++k)
                p.element[k] += f[k];
        }
    });

    std::vector<double> element(grid.size(), 0.0);
    std::vector<char> covered(grid.size(), 0);
    for (const Part& p : parts) {
        if (p.window.empty())
            continue;
        const std::size_t r0 =
          std::size_t(std::llround((frame.ymax - p.window.extent().ymax) / size));
        const std::size_t c0 =
          std::size_t(std::llround((p.window.extent().xmin - frame.xmin) / size));
        for (std::size_t r = 0; r < p.window.rows(); ++r)
            for (std::size_t c = 0; c < p.window.cols(); ++c) {
                const std::size_t k = r * p.window.cols() + c;
                if (p.area[k] == 0.0)
                    continue;
                const std::size_t j = (r0 + r) * grid.cols() + c0 + c;
                element[j] += p.element[k];
                covered[j] = 1;
            }
    }
    Raster<float> out(grid, 0.0f);
    out.mask().assign(grid.size(), 0);
    for (std::size_t j = 0; j < grid.size(); ++j)
        if (covered[j]) {
            out.values()[j] = float(std::min(1.0, element[j]));
            out.mask()[j] = 1;
        }
    return out;
}

} // namespace landel::analysis::detail
