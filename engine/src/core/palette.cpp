#include "landel/core/palette.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace landel::palette {

Rgb type_colour(const std::string& type, std::size_t index)
{
    static const std::map<std::string, Rgb> known{
        { "hedge", { 35, 110, 45 } },          { "thorn_hedge", { 90, 120, 40 } },
        { "wooded_bank", { 110, 90, 40 } },    { "alder_row", { 60, 130, 90 } },
        { "tree_row", { 50, 160, 60 } },       { "pollard_row", { 150, 170, 50 } },
        { "solitary_tree", { 20, 120, 20 } },  { "small_wood", { 15, 80, 30 } },
        { "orchard", { 190, 210, 90 } },       { "pond", { 40, 110, 200 } },
        { "natural_bank", { 70, 190, 200 } },  { "reed_edge", { 200, 190, 110 } },
        { "field_margin", { 220, 120, 190 } }, { "watercourse", { 30, 90, 170 } },
        { "water_surface", { 90, 150, 230 } },
    };
    // Other types: the ColorBrewer Set3 colours of class_colour() that stand apart from the
    // named types' greens and from the light yellows, in this order.
    static const std::array<std::size_t, 8> others{ { 0, 2, 3, 4, 5, 6, 7, 9 } };
    const auto it = known.find(type);
    return it != known.end() ? it->second : class_colour(others[index % others.size()]);
}

Rgb class_colour(std::size_t index)
{
    // ColorBrewer "Set3" (12 classes), light enough for labels on top.
    static const std::array<Rgb, 12> set{ { { 141, 211, 199 },
                                            { 255, 255, 179 },
                                            { 190, 186, 218 },
                                            { 251, 128, 114 },
                                            { 128, 177, 211 },
                                            { 253, 180, 98 },
                                            { 179, 222, 105 },
                                            { 252, 205, 229 },
                                            { 217, 217, 217 },
                                            { 188, 128, 189 },
                                            { 204, 235, 197 },
                                            { 255, 237, 111 } } };
    return set[index % set.size()];
}

namespace {

/// The colour at @p x in [0, stops - 1] between evenly spaced @p stops.
template<std::size_t N>
Rgb interpolate(const std::array<Rgb, N>& stops, double x)
{
    const std::size_t i = std::min<std::size_t>(std::size_t(x), stops.size() - 2);
    const double f = x - double(i);
    const auto mix = [f](int a, int b) { return int(std::lround(a + (b - a) * f)); };
    return { mix(stops[i].r, stops[i + 1].r),
             mix(stops[i].g, stops[i + 1].g),
             mix(stops[i].b, stops[i + 1].b) };
}

} // namespace

Rgb share_ramp(double t)
{
    static const std::array<Rgb, 4> stops{
        { { 215, 48, 39 }, { 252, 141, 89 }, { 166, 217, 106 }, { 26, 150, 65 } }
    };
    return interpolate(stops, std::clamp(t, 0.0, 1.0) * double(stops.size() - 1));
}

Rgb change_ramp(double t)
{
    // The seven classes of ColorBrewer RdYlGn; its ends are the `lost` and `gained` colours.
    static const std::array<Rgb, 7> stops{ { lost,
                                             { 252, 141, 89 },
                                             { 254, 224, 139 },
                                             { 255, 255, 191 },
                                             { 217, 239, 139 },
                                             { 145, 207, 96 },
                                             gained } };
    return interpolate(stops, (std::clamp(t, -1.0, 1.0) + 1.0) / 2.0 * double(stops.size() - 1));
}

} // namespace landel::palette
