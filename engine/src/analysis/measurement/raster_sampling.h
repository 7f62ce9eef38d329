#pragma once
// Internal to the raster pass: class lookups and sampling of rasters onto a chunk of the
// analysis grid.

#include "landel/core/grid.h"
#include "landel/core/raster.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace landel::analysis::detail {

/// Class code -> value, flat for the usual small codes.
class ClassLookup
{
public:
    void set(std::int64_t code, int value)
    {
        if (code >= 0 && code < kFlat) {
            if (m_flat.empty())
                m_flat.assign(kFlat, -1);
            m_flat[std::size_t(code)] = value;
        } else {
            m_other[code] = value;
        }
    }
    int get(std::int32_t code) const
    {
        if (code >= 0 && code < kFlat)
            return m_flat.empty() ? -1 : m_flat[std::size_t(code)];
        const auto it = m_other.find(code);
        return it == m_other.end() ? -1 : it->second;
    }

private:
    static constexpr std::int64_t kFlat = 1 << 16;
    std::vector<int> m_flat;
    std::unordered_map<std::int64_t, int> m_other;
};

/// The window of @p layer to read for @p chunk and, per chunk column / row, the index of the
/// window cell holding that cell's centre.
struct Sampling
{
    Grid window;
    std::vector<std::size_t> col, row;
    bool identical = false;
};

inline Sampling sampling_for(const Grid& layer, const Grid& chunk)
{
    Sampling s;
    if (layer.compatible_with(chunk)) {
        s.window = chunk;
        s.identical = true;
        return s;
    }
    s.window = layer.cover(chunk.extent());
    const Grid& w = s.window;
    s.col.resize(chunk.cols());
    s.row.resize(chunk.rows());
    for (std::size_t c = 0; c < chunk.cols(); ++c)
        s.col[c] = std::size_t(std::clamp(w.col_of(chunk.x_centre(c)), 0L, long(w.cols()) - 1));
    for (std::size_t r = 0; r < chunk.rows(); ++r)
        s.row[r] = std::size_t(std::clamp(w.row_of(chunk.y_centre(r)), 0L, long(w.rows()) - 1));
    return s;
}

/// Calls fn(chunk cell index, code, valid) for every chunk cell.
template<class Fn>
void for_each_sample(const Sampling& s,
                     const Raster<std::int32_t>& data,
                     const Grid& chunk,
                     Fn&& fn)
{
    const std::vector<std::int32_t>& v = data.values();
    const std::vector<std::uint8_t>& m = data.mask();
    if (s.identical) {
        for (std::size_t i = 0; i < v.size(); ++i)
            fn(i, v[i], m.empty() || m[i] != 0);
        return;
    }
    const std::size_t wc = s.window.cols();
    for (std::size_t r = 0; r < chunk.rows(); ++r)
        for (std::size_t c = 0; c < chunk.cols(); ++c) {
            const std::size_t k = s.row[r] * wc + s.col[c];
            fn(r * chunk.cols() + c, v[k], m.empty() || m[k] != 0);
        }
}

/// Index of @p sub's first cell inside @p outer (same lattice).
inline std::pair<std::size_t, std::size_t> offset_in(const Grid& outer, const Grid& sub)
{
    return { std::size_t(std::llround((outer.extent().ymax - sub.extent().ymax) / outer.dy())),
             std::size_t(std::llround((sub.extent().xmin - outer.extent().xmin) / outer.dx())) };
}

} // namespace landel::analysis::detail
