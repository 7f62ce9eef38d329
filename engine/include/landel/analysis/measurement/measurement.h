#pragma once
/// @file measurement.h
/// Exact measurement of landscape elements per area against its rural land
/// (docs/semantics.md). Inputs are WKB in one projected CRS in metres;
/// the engine knows no file formats.
///
/// Method, per area A (measure() numbers its steps alike):
///  1. the areas are checked, repaired and clipped to the study area;
///  2. rural land R = A minus the union of every rural.exclude mask (of a mask source with
///     min_patch_ha only its patches above that size; patch_filter.h);
///  3. each element feature becomes its footprint (strip, circle, polygon; footprint.h),
///     polygon sources with max_patch_ha lose their too-large patches (patch_filter.h);
///  4. for each type t in order: U_t = (union of t's footprints) ∩ R; t owns U_t minus what
///     earlier types own, so every square metre counts once and the ha_<type> add up.
///     Areas with many candidate footprints are cut into tiles that are overlaid
///     independently;
///  5. per area the tiles' figures are summed in tile order, and the plan quantities
///     (centre-line metres, point features) inside R are measured;
///  6. raster sources (raster_pass.h) then correct these figures cell by cell on the analysis
///     grid: raster masks and nodata take land out of the rural land, raster types take
///     their cells' rural land minus what vector types ranked before them own.
/// Work runs in parallel over areas and tiles with TBB, each worker with its own GEOS
/// context. Inputs are put in a content-defined order first and partial results are combined
/// in a fixed order, so results are identical for any thread count and any input order.

#include "landel/analysis/measurement/raster_layers.h"
#include "landel/analysis/measurement/raster_pass_sums.h"
#include "landel/analysis/measurement/targets.h"
#include "landel/core/progress.h"
#include "landel/core/raster.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace landel::analysis {

/// One element feature.
struct ElementFeature
{
    std::string wkb; ///< geometry, any type (collections allowed)
    int type = 0;    ///< index into MeasureRequest::types
    double width_m = std::numeric_limits<double>::quiet_NaN(); ///< lines/points; NaN = none
    std::int64_t fid = -1; ///< the source's feature id, for messages
};

/// One `[[elements]]` section after reading.
/// The patches of a source with max_patch_ha (elements) or min_patch_ha (masks), judged
/// beforehand on the whole source (judge_patches()), so that a run in pieces can read the
/// source near its areas only and still judge each patch on its whole extent.
struct JudgedPatches
{
    /// Per feature (in the source's order), per polygon part (in the order the repaired
    /// feature's parts come): is its patch's net area above the limit?
    std::vector<std::vector<bool>> over_limit;
    std::size_t patches = 0; ///< the whole source's, as SourceReport
    std::size_t over = 0;    ///< patches above the limit
    double over_ha = 0.0;    ///< their net area
};

struct ElementSource
{
    std::string label; ///< names the source in messages, e.g. "elements[2] (hedges.gpkg:lines)"
    std::vector<ElementFeature> features;
    std::optional<double> max_patch_ha;
    /// With max_patch_ha: the patches judged on the whole source, for these features (which
    /// may then be only those near the areas); null: judged on these features.
    std::shared_ptr<const JudgedPatches> judged;
    /// Warn when the source selects no element in rural land. A preset's rows for classes
    /// a download may well lack (orchards, reed) do not.
    bool warn_if_empty = true;
};

/// One `[[rural.exclude]]` section after reading.
struct MaskSource
{
    std::string label;
    int group = -1; ///< index into MeasureRequest::mask_groups; -1 = unnamed
    std::vector<std::string> wkb;
    /// Only connected patches of this source's polygons with a net area above this many
    /// hectares mask (e.g. forest, for a denominator without forests); smaller patches are
    /// not masked. Judged on the whole source, as max_patch_ha is for elements.
    std::optional<double> min_patch_ha;
    /// With min_patch_ha: as ElementSource::judged.
    std::shared_ptr<const JudgedPatches> judged;
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
    std::vector<RasterElementSource> raster_sources; ///< raster [[elements]]
    std::vector<RasterMaskSource> raster_masks;      ///< raster [[rural.exclude]]
    std::vector<Milestone> milestones;
    /// The overlay cuts an area's rural land into quadtree tiles until each tile meets at
    /// most this many candidate footprints and its land has at most tile_max_vertices
    /// vertices (overlay_work.cpp says why).
    std::size_t tile_max_shapes = 4000;
    std::size_t tile_max_vertices = 2000;
    /// Memory the raster pass may hold in cell buffers at once (all threads together).
    std::size_t raster_memory_bytes = std::size_t(1) << 30;
    /// Cell size (m) of the element density raster; 0: none. At most max_density_cells
    /// cells over the areas' extent.
    double density_cell_m = 25.0;
    /// Beside the areas' own extent, the extent the raster pass frames its analysis grid and
    /// chunks on: the envelope of every area of the run, so that a piece of a run in pieces,
    /// holding some of them, measures on the whole run's grid and chunks. Empty: none.
    Box raster_frame_extent;
    /// Keep the raster pass's sums across areas in MeasureResult::raster_sums instead of
    /// making the density raster (a piece of a run in pieces: the merge adds them).
    bool keep_raster_sums = false;
    /// Count the line ends of every area, connected when another element feature's footprint
    /// in the rural land lies within this many metres ([siting] gap_m); none: no count.
    std::optional<double> line_end_gap_m;
    Progress progress;
};

/// The most cells the element density raster of a vector-only run may have (2^28: the whole
/// Netherlands at 20 m), and the working memory it needs per cell (the float raster, a
/// double sum and a flag over the extent; a double area and element fraction per area window).
inline constexpr double max_density_cells = 268435456.0;
inline constexpr double density_bytes_per_cell = 40.0;

/// The figures of one area.
struct AreaMeasure
{
    std::string id;
    std::string name;
    std::string cls;
    double area_ha = 0.0;
    double rural_ha = 0.0;
    double nodata_ha = 0.0; ///< (raster nodata ∪ outside the rasters) − masks; 0 without rasters
    double masked_ha = 0.0;      ///< area minus rural land
    std::vector<double> excl_ha; ///< per mask group: area ∩ that group's masks
    double element_ha = 0.0;
    std::vector<double> type_ha;          ///< owned hectares per type
    std::vector<double> type_length_m;    ///< centre-line metres of line features per type
    std::vector<std::int64_t> type_count; ///< point features per type
    /// With MeasureRequest::line_end_gap_m: the ends of line features lying in the rural land,
    /// and those within that gap of another element feature's land (docs/siting.md); -1: not
    /// counted (no gap asked, or figures read back from a run's outputs, which keep no lines).
    std::int64_t line_ends = -1;
    std::int64_t connected_line_ends = -1;
    TargetEvaluation targets;
    std::string geometry_wkb; ///< the area as measured (clipped to the study area)
    /// The rural land as vector geometry: the area minus the vector masks (step 2). Unlike
    /// owned_wkb, the cells that raster masks take out of the rural land or that lack raster
    /// data are not cut out of it (rural_ha leaves them out, cell by cell): with raster
    /// sources its area can exceed rural_ha by nodata_ha and the raster-masked land.
    std::string rural_wkb;
    /// per type: owned element geometry, "" when none. Vector types only: with raster
    /// sources, the parts of it in cells that rasters mask, lack data for or give to an
    /// earlier raster type are cut away; raster types have none (see the density raster).
    std::vector<std::string> owned_wkb;
};

/// What happened to one source.
struct SourceReport
{
    std::string label;
    std::size_t features = 0;
    std::size_t repaired = 0;
    /// Vector sources: the positions (in the source's features) of the repaired ones, so that
    /// the reports of pieces that read overlapping parts of a source can be merged.
    std::vector<std::size_t> repaired_at;
    std::size_t patches = 0; ///< max_patch_ha, min_patch_ha: connected patches judged
    /// Patches over the limit: for elements with max_patch_ha the patches dropped; for masks
    /// with min_patch_ha: patches that mask (the smaller ones are not masked).
    std::size_t dropped_patches = 0;
    double dropped_patch_ha = 0.0;  ///< net area of the dropped_patches
    bool inside_rural_land = false; ///< at least one footprint meets an area's rural land
    std::uint64_t cells_read = 0;   ///< rasters: cells read (inside the areas' extent)
    std::uint64_t valid_cells = 0;  ///< rasters: of those, cells with data
};

struct MeasureResult
{
    std::vector<AreaMeasure> areas; ///< in request order
    std::string study_area_wkb;
    double study_area_ha = 0.0;
    SourceReport areas_report;
    std::vector<SourceReport> mask_reports;
    std::vector<SourceReport> element_reports;
    std::vector<SourceReport> raster_mask_reports;
    std::vector<SourceReport> raster_element_reports;
    /// The grid raster sources were measured on (empty without rasters), and how.
    Grid analysis_grid;
    std::vector<std::string> raster_notes;
    /// Element area per cell / cell area, on a grid of about density_cell_m; invalid
    /// (masked) where a cell meets no area. Empty when density_cell_m is 0.
    Raster<float> density;
    /// With MeasureRequest::keep_raster_sums and raster sources: the density sums and cells
    /// read, for a merge of pieces (apply_raster_sums).
    RasterPassSums raster_sums;
    std::vector<std::pair<std::string, std::string>> overlapping_areas; ///< pairs of ids
    std::vector<std::string> warnings;
    std::vector<std::pair<std::string, double>> timings_s; ///< engine stages
};

/// The warning measure() gives for a source with repaired geometries (report.repaired > 0):
/// "<label>: <repaired>" followed by repaired_warning_tail.
std::string repaired_warning(const SourceReport& report);
/// What follows a mask source's label in the warning on a mask that selects no features.
inline constexpr const char* mask_selects_nothing_tail =
  ": selects no features; it excludes nothing";
inline constexpr const char* repaired_warning_tail =
  " invalid geometries repaired (GEOS make-valid, structure method)";

/// Measures every area. Throws InvalidArgument for input that breaks the contract (areas that
/// are not polygons, zero-area or duplicate areas, lines/points without a usable width) with a
/// message naming the source and feature or the area ids; GeometryError when GEOS fails;
/// Cancelled when the progress callback asks to stop.
MeasureResult measure(const MeasureRequest& request);

/// The patches of the sources of @p request, judged as measure() judges them: per element
/// source with max_patch_ha and per mask source with min_patch_ha (null for the others), on
/// the features the request gives (for a run in pieces: the whole source, read once). With
/// each source's report (features, repairs, patches).
struct PatchJudgement
{
    std::vector<std::shared_ptr<const JudgedPatches>> elements, masks;
    std::vector<SourceReport> element_reports, mask_reports;
};
PatchJudgement judge_patches(const MeasureRequest& request);

} // namespace landel::analysis
