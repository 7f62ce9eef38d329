#pragma once
/// @file class_legend.h
/// The classes of a map legend that colours areas by a value: [lower, upper) ranges with a
/// label and a colour, e.g. the element share against the targets or its change between years.

#include "landel/core/palette.h"

#include <cstddef>
#include <string>
#include <vector>

namespace landel::render {

/// One class of a legend: [lower, upper), in the unit of its label.
struct ShareClass
{
    double lower = 0.0;
    double upper = 0.0;
    std::string label;
    palette::Rgb colour;
};

/// The class of @p value among @p classes (ascending): the last one whose lower bound it
/// reaches, the first one below them all. @throws InvalidArgument when @p classes is empty.
std::size_t class_index(const std::vector<ShareClass>& classes, double value);

/// Diverging classes around 0 between the ascending @p bounds: below the first, between each
/// two, from the last on (the outer classes are open: lower -inf, upper +inf). Classes below 0
/// run from palette::lost to light orange, classes above 0 from light green to
/// palette::gained (palette::change_ramp), the class holding 0 inside it is the neutral pale
/// yellow. Labels give the bounds with their sign and @p unit: "under -2 pp", "-2 to -0.5 pp",
/// "-0.1 to +0.1 pp", "+2 pp and more".
/// @throws InvalidArgument when @p bounds is empty, not finite or not strictly ascending.
std::vector<ShareClass> diverging_classes(const std::vector<double>& bounds,
                                          const std::string& unit);

} // namespace landel::render
