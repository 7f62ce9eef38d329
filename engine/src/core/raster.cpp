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

template class Raster<std::uint8_t>;
template class Raster<std::int16_t>;
template class Raster<std::uint16_t>;
template class Raster<std::int32_t>;
template class Raster<float>;
template class Raster<double>;
template class RasterView<std::uint8_t>;
template class RasterView<std::int16_t>;
template class RasterView<std::uint16_t>;
template class RasterView<std::int32_t>;
template class RasterView<float>;
template class RasterView<double>;

} // namespace landel
