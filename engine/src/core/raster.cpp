#include "landel/core/raster.h"

#include "landel/core/error.h"

#include <cmath>

namespace landel {

template<class T>
RasterView<T>::RasterView(const Raster<T>& raster, const Grid& window)
  : m_raster(&raster)
  , m_window(window)
{
    const Grid& g = raster.grid();
    if (!window.compatible_with(g) || !g.extent().contains(window.extent()))
        throw GridMismatch("raster view: the window is not an aligned part of the raster");
    m_row0 = std::size_t(std::llround((g.extent().ymax - window.extent().ymax) / g.dy()));
    m_col0 = std::size_t(std::llround((window.extent().xmin - g.extent().xmin) / g.dx()));
}

#define LANDEL_RASTER_INSTANTIATE(T)                                                               \
    template class Raster<T>;                                                                      \
    template class RasterView<T>;
LANDEL_RASTER_CELL_TYPES(LANDEL_RASTER_INSTANTIATE)
#undef LANDEL_RASTER_INSTANTIATE

} // namespace landel
