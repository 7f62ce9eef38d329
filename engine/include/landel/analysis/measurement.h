#pragma once
/// @file measurement.h
/// Exact measurement of landscape elements per area against its rural land
/// (CONTRACT.md, "Measurement semantics"). Inputs are WKB in one projected CRS in metres;
/// the engine knows no file formats.
///
/// Method, per area A:
///  1. rural land R = A minus the union of every rural.exclude mask;
///  2. each element feature becomes its footprint (strip, circle, polygon; footprint.h),
///     polygon sources with max_patch_ha lose their too-large patches (patch_filter.h);
///  3. for each type t in order: U_t = (union of t's footprints) ∩ R; t owns U_t minus what
///     earlier types own, so every square metre counts once and the ha_<type> add up;
///  4. areas with many candidate footprints are cut into tiles that are overlaid
///     independently and summed in tile order.
/// Work runs in parallel over areas and tiles with TBB, each worker with its own GEOS
/// context. Inputs are put in a content-defined order first and partial results are combined
/// in a fixed order, so results are identical for any thread count and any input order.

#include "landel/analysis/targets.h"
#include "landel/core/progress.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace landel::analysis {

/// One element feature.
struct ElementFeature
{
    std::string wkb;       ///< geometry, any type (collections allowed)
    int type = 0;          ///< index into MeasureRequest::types
    double width_m = std::numeric_limits<double>::quiet_NaN(); ///< lines/points; NaN = none
    std::int64_t fid = -1; ///< the source's feature id, for messages
};

/// One `[[elements]]` section after reading.
struct ElementSource
{
    std::string label; ///< names the source in messages, e.g. "elements[2] (hedges.gpkg:lines)"
    std::vector<ElementFeature> features;
    std::optional<double> max_patch_ha;
};

/// One `[[rural.exclude]]` section after reading.
struct MaskSource
{
    std::string label;
    int group = -1; ///< index into MeasureRequest::mask_groups; -1 = unnamed
    std::vector<std::string> wkb;
};

/// One area.
struct AreaFeature
{
    std::string id;
    std::string name;
    std::string cls;
    std::string wkb;
    std::int64_t fid = -1;
};

struct MeasureRequest
{
    std::string areas_label;
    std::vector<AreaFeature> areas;
    /// Study area polygons (united); without any the study area is the union of the areas.
    /// Areas are clipped to it.
    std::vector<std::string> study_area_wkb;
    std::vector<std::string> mask_groups; ///< names reported as excl_<name>_ha, in order
    std::vector<MaskSource> masks;
    std::vector<std::string> types; ///< in precedence order
    std::vector<ElementSource> sources;
    std::vector<Milestone> milestones;
    /// An area with more candidate footprints than this is overlaid in tiles.
    std::size_t tile_max_shapes = 4000;
    Progress progress;
};

/// The figures of one area.
struct AreaMeasure
{
    std::string id;
    std::string name;
    std::string cls;
    double area_ha = 0.0;
    double rural_ha = 0.0;
    double nodata_ha = 0.0; ///< always 0 for vector-only runs
    double masked_ha = 0.0; ///< area minus rural land
    std::vector<double> excl_ha; ///< per mask group: area ∩ that group's masks
    double element_ha = 0.0;
    std::vector<double> type_ha;       ///< owned hectares per type
    std::vector<double> type_length_m; ///< centre-line metres of line features per type
    std::vector<std::int64_t> type_count; ///< point features per type
    TargetEvaluation targets;
    std::string geometry_wkb;           ///< the area as measured (clipped to the study area)
    std::vector<std::string> owned_wkb; ///< per type: owned element geometry, "" when none
};

/// What happened to one source.
struct SourceReport
{
    std::string label;
    std::size_t features = 0;
    std::size_t repaired = 0;
    std::size_t patches = 0;         ///< max_patch_ha: connected patches judged
    std::size_t dropped_patches = 0; ///< max_patch_ha: patches over the limit
    double dropped_patch_ha = 0.0;
    bool inside_rural_land = false; ///< at least one footprint meets an area's rural land
};

struct MeasureResult
{
    std::vector<AreaMeasure> areas; ///< in request order
    std::string study_area_wkb;
    double study_area_ha = 0.0;
    SourceReport areas_report;
    std::vector<SourceReport> mask_reports;
    std::vector<SourceReport> element_reports;
    std::vector<std::pair<std::string, std::string>> overlapping_areas; ///< pairs of ids
    std::vector<std::string> warnings;
    std::vector<std::pair<std::string, double>> timings_s; ///< engine stages
};

/// Measures every area. Throws InvalidArgument for input that breaks the contract (areas that
/// are not polygons, zero-area or duplicate areas, lines/points without a usable width) with a
/// message naming the source and feature or the area ids; GeometryError when GEOS fails;
/// Cancelled when the progress callback asks to stop.
MeasureResult measure(const MeasureRequest& request);

} // namespace landel::analysis
