#include "landel/render/class_legend.h"

#include "landel/core/error.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace landel::render {

namespace {

/// A bound as a label prints it: "+0.5", "-2", "0".
std::string signed_number(double v)
{
    char text[32];
    std::snprintf(text, sizeof text, v > 0.0 ? "+%g" : "%g", v);
    return text;
}

} // namespace

std::size_t class_index(const std::vector<ShareClass>& classes, double value)
{
    if (classes.empty())
        throw InvalidArgument("a legend needs at least one class");
    for (std::size_t k = classes.size(); k-- > 1;)
        if (value >= classes[k].lower)
            return k;
    return 0;
}

std::vector<ShareClass> diverging_classes(const std::vector<double>& bounds,
                                          const std::string& unit)
{
    if (bounds.empty())
        throw InvalidArgument("diverging classes need at least one bound");
    for (std::size_t k = 0; k < bounds.size(); ++k)
        if (!std::isfinite(bounds[k]) || (k > 0 && !(bounds[k] > bounds[k - 1])))
            throw InvalidArgument("the bounds of diverging classes must be finite and strictly "
                                  "ascending (bound " +
                                  std::to_string(k + 1) + " is not)");
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<ShareClass> classes(bounds.size() + 1);
    std::size_t below = 0, above = 0; // classes wholly below 0, wholly at or above 0
    for (std::size_t k = 0; k < classes.size(); ++k) {
        ShareClass& c = classes[k];
        c.lower = k == 0 ? -inf : bounds[k - 1];
        c.upper = k == bounds.size() ? inf : bounds[k];
        if (k == 0)
            c.label = "under " + signed_number(c.upper) + " " + unit;
        else if (k == bounds.size())
            c.label = signed_number(c.lower) + " " + unit + " and more";
        else
            c.label = signed_number(c.lower) + " to " + signed_number(c.upper) + " " + unit;
        below += c.upper <= 0.0 ? 1 : 0;
        above += c.lower >= 0.0 ? 1 : 0;
    }
    // The darkest colours for the outer classes; a class with 0 inside it is neutral.
    for (std::size_t k = 0; k < classes.size(); ++k) {
        double t = 0.0;
        if (k < below)
            t = -double(below - k) / double(below);
        else if (k + above >= classes.size())
            t = double(k + above + 1 - classes.size()) / double(above);
        classes[k].colour = palette::change_ramp(t);
    }
    return classes;
}

} // namespace landel::render
