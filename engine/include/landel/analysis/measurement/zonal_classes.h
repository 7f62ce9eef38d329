#pragma once
/// @file zonal_classes.h
/// Coverage-weighted class areas of a categorical raster inside a polygon: each cell counts
/// with the exact fraction of it that the polygon covers (cell_coverage.h), cells taken as
/// uniform.

#include "landel/core/raster.h"

#include <cstdint>
#include <map>

namespace landel::analysis {

/// Areas in the raster's squared units. Mergeable, so chunks can be summed in a fixed order.
struct ClassAreas
{
    std::map<std::int64_t, double> by_class; ///< valid cells, per class code
    double nodata = 0.0;                     ///< covered area of nodata cells

    void merge(const ClassAreas& other)
    {
        for (const auto& [code, a] : other.by_class)
            by_class[code] += a;
        nodata += other.nodata;
    }
    double valid_total() const
    {
        double t = 0.0;
        for (const auto& kv : by_class)
            t += kv.second;
        return t;
    }
};

/// Sums coverage × cell area per class over @p classes.
/// @pre fractions.size() == classes.grid().size() (fractions from coverage_fractions on
/// the same grid).
template<class T>
ClassAreas zonal_class_areas(const std::vector<double>& fractions, const Raster<T>& classes)
{
    ClassAreas out;
    const double cell = classes.grid().cell_area();
    const std::size_t n = classes.values().size();
    // Sum per class in cell order (fixed), so results do not depend on how work is split
    // inside one chunk.
    for (std::size_t i = 0; i < n; ++i) {
        const double f = fractions[i];
        if (f == 0.0)
            continue;
        if (!classes.mask().empty() && classes.mask()[i] == 0)
            out.nodata += f * cell;
        else
            out.by_class[std::int64_t(classes.values()[i])] += f * cell;
    }
    return out;
}

} // namespace landel::analysis
