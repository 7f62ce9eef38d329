#pragma once
/// @file merged_measurement.h
/// What measure() finds over all areas together, found again for a result put together from
/// pieces that were measured apart (landel.dask): each piece sees only its own areas, so the
/// overlaps between areas of different pieces, the areas outside the study area and the
/// element density raster, whose cells straddle the pieces, are computed here from the
/// merged areas' geometry_wkb and owned_wkb, by the same code measure() uses, with the same
/// figures.

#include "landel/analysis/measurement/measurement.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace landel::analysis {

/// The pairs of area ids whose interiors overlap, in the order measure() lists them in
/// MeasureResult::overlapping_areas, and the warning it gives for them (empty when none).
struct AreaOverlaps
{
    std::vector<std::pair<std::string, std::string>> pairs;
    std::string warning;
};

/// The areas of a merged result, parsed once from their WKB (exact: WKB keeps every double).
class MergedAreas
{
public:
    /// @p result must outlive this object.
    explicit MergedAreas(const MeasureResult& result);
    ~MergedAreas();
    MergedAreas(const MergedAreas&) = delete;
    MergedAreas& operator=(const MergedAreas&) = delete;

    /// The overlapping areas, as measure() reports them; @p areas_label names the area source.
    AreaOverlaps overlaps(const std::string& areas_label) const;

    /// The warning measure() gives for the areas that lie wholly outside the study area
    /// (measured as empty geometry), naming them in area order; empty when there are none.
    std::string outside_study_warning(const std::string& areas_label) const;

    /// The study area measure() takes when the request has none, the union of the areas, as
    /// WKB and hectares.
    std::pair<std::string, double> union_of_areas() const;

    /// The element density raster of a vector-only measurement (no raster sources or masks),
    /// on cells of @p cell_m aligned to multiples of it: what measure() puts in
    /// MeasureResult::density. Empty when @p cell_m is 0; InvalidArgument beyond
    /// max_density_cells.
    Raster<float> element_density(double cell_m) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace landel::analysis
