#pragma once
/// @file z_order.h
/// The Z-order (Morton) key of a point in a frame: points close on the curve are mostly close
/// on the map, so things taken in key order and cut into runs give compact groups (a piece's
/// areas, a group of patch clusters) that share one small reading box.

#include "landel/core/box.h"

#include <algorithm>
#include <cstdint>

namespace landel {

/// Interleaves the bits of two 32-bit cell numbers.
inline std::uint64_t morton(std::uint32_t x, std::uint32_t y)
{
    std::uint64_t code = 0;
    for (int b = 0; b < 32; ++b)
        code |=
          (std::uint64_t((x >> b) & 1u) << (2 * b)) | (std::uint64_t((y >> b) & 1u) << (2 * b + 1));
    return code;
}

/// The key of (@p x, @p y) on a 65,536 × 65,536 grid of square cells over @p frame (its longer
/// side, at least 1 m); points outside the frame take the nearest cell.
inline std::uint64_t z_order_key(double x, double y, const Box& frame)
{
    const double span = std::max({ frame.width(), frame.height(), 1.0 });
    const auto cell = [&](double v, double lo) {
        return std::uint32_t(std::clamp((v - lo) / span, 0.0, 1.0) * 65535.0);
    };
    return morton(cell(x, frame.xmin), cell(y, frame.ymin));
}

} // namespace landel
