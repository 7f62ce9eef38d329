#pragma once
/// @file palette.h
/// The colours landel's outputs share, so that a hedge is the same green in QGIS, on the
/// rendered maps and in the report: one fixed colour per known element type, and the ramp of
/// the share classes (red below half the first target to green at the last).

#include <cstddef>
#include <string>

namespace landel::palette {

struct Rgb
{
    int r = 0, g = 0, b = 0;
};

/// The colour of element type @p type; a type landel does not know gets a palette colour by
/// its position @p index among the run's types.
Rgb type_colour(const std::string& type, std::size_t index);

/// A qualitative colour for the @p index-th class of a categorised layer (12 colours, then
/// repeating).
Rgb class_colour(std::size_t index);

/// The ramp of the share classes at @p t in [0, 1]: red, orange, light green, green.
Rgb share_ramp(double t);

/// Areas without rural land (no share).
inline constexpr Rgb no_share{ 200, 200, 200 };

/// Rural land (the denominator): a pale straw fill under the elements.
inline constexpr Rgb rural_land{ 240, 232, 190 };

/// Change between measurement years (landel compare): gains green, losses red, land that
/// changed type amber, differences taken for redigitising noise grey.
inline constexpr Rgb gained{ 26, 152, 80 };
inline constexpr Rgb lost{ 215, 48, 39 };
inline constexpr Rgb reclassified{ 253, 174, 20 };
inline constexpr Rgb realigned{ 150, 150, 150 };

/// Proposed sites for new elements ([siting]): the orange outline of candidates.gpkg's styles
/// and the chosen sites on the area maps, apart from every element type's colour.
inline constexpr Rgb proposed_site{ 230, 120, 0 };

/// The diverging ramp of change classes at @p t in [-1, 1] (ColorBrewer RdYlGn): -1 is
/// `lost`, 0 a neutral pale yellow, +1 is `gained`.
Rgb change_ramp(double t);

} // namespace landel::palette
