#pragma once
/// @file catchment_areas.h
/// From basin polygons to the areas of `areas.method = "catchments"`: one area per basin,
/// clipped to the study area, with the parts the clipping leaves too small merged downstream.
///
/// hydrology::merge_small_basins() merges small basins on the grid, but a basin that is large
/// on the DEM can keep only a sliver inside the study area. Those slivers are merged here,
/// after clipping, by the same rule: into the basin they drain into (following the drainage
/// past basins that lie wholly outside the study area), and, for a basin that drains nowhere
/// inside it (an edge outlet, a hole in the DEM, or every basin when basins = "outlets"),
/// into the neighbour with which it shares the longest border. A part with neither stays.
///
/// Before that merging, orphans join the catchment they share the longest border with (ties:
/// the lower label), in passes so that an orphan bordering only orphans follows them:
///  - fragments: D8 basins are 8-connected, so a basin can hold cells joined to it at a corner
///    only, and clipping can cut pieces off; every polygon of a basin but its largest that is
///    under the minimum is a fragment (one that borders nothing stays with its basin);
///  - gaps: land of the study area in no basin (DEM nodata holes, which are outlets), so the
///    result covers the study area; a gap that borders no catchment (no DEM there) is in no
///    area and reported as uncovered.

#include "landel/analysis/measurement/measurement.h"
#include "landel/core/progress.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace landel::analysis {

/// A polygon of one basin, as polygonized along the DEM's cell edges.
struct BasinPolygon
{
    std::int32_t label = 0; ///< 1..n, the basin label of hydrology::Basins
    std::string wkb;        ///< Polygon or MultiPolygon
};

struct CatchmentAreasRequest
{
    /// Every basin's polygons (a basin may come in several pieces); polygons of different
    /// basins must not overlap, and a border two basins share must have the same vertices in
    /// both (label_polygons() gives both), so that without a study area the catchments are
    /// united as a coverage.
    std::vector<BasinPolygon> polygons;
    /// hydrology::Basins::downstream: index = label, the label drained into (0: none).
    std::vector<std::int32_t> downstream;
    /// Study area polygons (united); empty: no clipping.
    std::vector<std::string> study_area_wkb;
    /// Clipped basins smaller than this merge (see the file comment); 0: none.
    double min_area_m2 = 0.0;
    Progress progress;
};

struct CatchmentAreasResult
{
    /// In order of label. id "C" + the label of the basin that absorbed the others, zero-padded
    /// to the width of the largest label, so ids follow the DEM and the settings only; name
    /// "catchment <label>"; class "catchment".
    std::vector<AreaFeature> areas;
    std::size_t clipped_away = 0; ///< basins wholly outside the study area
    std::size_t merged = 0;       ///< basins merged into another after clipping
    /// Land of the study area in no basin (DEM nodata holes) given to the neighbouring
    /// catchment with the longest border, m².
    double gaps_m2 = 0.0;
    /// Land of the study area in no basin and with no catchment beside it (no DEM there), m²:
    /// it is in no area.
    double uncovered_m2 = 0.0;
    /// Small detached parts of basins (joined at a corner only, or cut off by the study
    /// area's outline) moved to the catchment they share the longest border with.
    std::size_t fragments_moved = 0;
};

/// @throws InvalidArgument on a label outside downstream's range or invalid WKB;
/// Cancelled when @p request.progress asks to stop.
CatchmentAreasResult catchment_areas(const CatchmentAreasRequest& request);

} // namespace landel::analysis
