#pragma once
// Test helper: WKT in, WKB out (engine inputs are WKB).

#include "landel/geometry/ops.h"

#include <string>

namespace landel::test {

inline std::string wkb(const std::string& wkt)
{
    geometry::GeosContext ctx;
    return geometry::to_wkb(ctx, geometry::from_wkt(ctx, wkt).get());
}

inline double wkb_area(const std::string& w)
{
    geometry::GeosContext ctx;
    return w.empty() ? 0.0 : geometry::area(ctx, geometry::from_wkb(ctx, w).get());
}

/// An axis-aligned rectangle as WKB.
inline std::string rect_wkb(double x0, double y0, double x1, double y1)
{
    const auto s = [](double v) { return std::to_string(v); };
    return wkb("POLYGON((" + s(x0) + " " + s(y0) + "," + s(x1) + " " + s(y0) + "," + s(x1) + " " +
               s(y1) + "," + s(x0) + " " + s(y1) + "," + s(x0) + " " + s(y0) + "))");
}

/// A square polygon.
inline std::string square(double x0, double y0, double size)
{
    const auto s = [](double v) { return std::to_string(v); };
    return "POLYGON((" + s(x0) + " " + s(y0) + "," + s(x0 + size) + " " + s(y0) + "," +
           s(x0 + size) + " " + s(y0 + size) + "," + s(x0) + " " + s(y0 + size) + "," + s(x0) +
           " " + s(y0) + "))";
}

} // namespace landel::test
