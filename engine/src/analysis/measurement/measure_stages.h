#pragma once
// Internal stages of measure() (measurement.cpp). Not installed.

#include "landel/analysis/measurement/measurement.h"
#include "landel/core/box.h"
#include "landel/geometry/box_index.h"
#include "landel/geometry/contexts.h"
#include "landel/geometry/geos_context.h"

#include <array>
#include <string>
#include <vector>

namespace landel::analysis::detail {

using geometry::Contexts;

/// Areas parsed, repaired, checked and clipped to the study area.
struct PreparedAreas
{
    std::vector<geometry::GeomPtr> geom;
    std::vector<Box> env;
    geometry::GeomPtr study;
    std::size_t repaired = 0;
    std::vector<std::pair<std::string, std::string>> overlaps;
    std::vector<std::string> warnings;
};

PreparedAreas prepare_areas(Contexts& contexts, const MeasureRequest& request);

/// The positions (i, j), i < j, of areas whose interiors overlap, in order of i, then of the
/// index's answer for j: the same for any thread count.
std::vector<std::pair<std::size_t, std::size_t>> overlapping_pairs(
  Contexts& contexts,
  const std::vector<const GEOSGeometry*>& geom,
  const std::vector<Box>& env);

/// The study area of a request without one: the union of the areas @p geom.
geometry::GeomPtr union_of_areas(const geometry::GeosContext& ctx,
                                 const std::vector<const GEOSGeometry*>& geom);

/// The warning measure() gives for areas (by id) that lie wholly outside the study area.
std::string outside_study_warning(const std::string& label, const std::vector<std::string>& ids);

/// The warning measure() gives for overlapping areas of the source labelled @p label.
std::string overlap_warning(const std::string& label,
                            const std::vector<std::pair<std::string, std::string>>& overlaps);

/// Rural land per area.
struct RuralLand
{
    std::vector<geometry::GeomPtr> rural;
    std::vector<double> masked_m2;
    std::vector<std::vector<double>> excl_m2; ///< [area][group]
    /// [area][group]: area ∩ that group's vector masks, kept only for groups that also have
    /// a raster mask (the raster pass needs it); null otherwise.
    std::vector<std::vector<geometry::GeomPtr>> group_geom;
    std::vector<SourceReport> reports;
};

RuralLand compute_rural_land(Contexts& contexts,
                             const MeasureRequest& request,
                             const PreparedAreas& areas);

/// The patches of the mask sources with min_patch_ha as compute_rural_land() judges them (null
/// for the other sources), with every mask source's report.
std::vector<std::shared_ptr<const JudgedPatches>> judge_mask_patches(
  Contexts& contexts,
  const MeasureRequest& request,
  std::vector<SourceReport>& reports);

/// One element as kept in memory: its geometry by kind, not its footprint. Strips and circles
/// (a 128-gon per tree) are built when a work item needs them, so memory grows with the input
/// geometry, not with the much larger footprints.
struct Shape
{
    geometry::GeomPtr polygons; ///< polygonal parts (used as they are), or null
    geometry::GeomPtr lines;    ///< line parts (strips of width_m; centre-lines for lengths)
    geometry::GeomPtr points;   ///< point parts (circles of width_m; counts)
    double width_m = 0.0;
    int type = 0;
    int source = 0;
    Box env; ///< covers the footprint

    /// The footprint: the polygons themselves when there is nothing else (no copy), else
    /// built into @p storage.
    const GEOSGeometry* footprint(const geometry::GeosContext& ctx,
                                  geometry::GeomPtr& storage) const;
};

struct ElementShapes
{
    std::vector<Shape> shapes; ///< in content-defined order
    std::vector<SourceReport> reports;
    /// Per source: its patches as judged (max_patch_ha sources), null for the others.
    std::vector<std::shared_ptr<const JudgedPatches>> judged;
};

ElementShapes build_element_shapes(Contexts& contexts, const MeasureRequest& request);

/// An element feature parsed into what the overlay needs (repaired when invalid).
struct ParsedElement
{
    geometry::GeomPtr polygons;
    geometry::GeomPtr lines;
    geometry::GeomPtr points;
    std::vector<geometry::GeomPtr> patch_polygons; ///< max_patch_ha sources: judged before use
    bool repaired = false;
};

/// Parses feature @p f of @p src; throws InvalidArgument naming the source and feature for
/// coordinates out of range or a line or point without a usable width.
ParsedElement parse_feature(const geometry::GeosContext& ctx,
                            const ElementSource& src,
                            const ElementFeature& f);

/// The polygonal part of mask feature @p i of @p src, repaired when invalid (then
/// @p repaired is set); throws InvalidArgument for coordinates out of range.
geometry::GeomPtr parse_mask(const geometry::GeosContext& ctx,
                             const MaskSource& src,
                             std::size_t i,
                             bool& repaired);

/// The polygons of @p g (a parsed mask) that a patch rule judges, in their order.
std::vector<const GEOSGeometry*> mask_patch_polygons(const geometry::GeosContext& ctx,
                                                     const GEOSGeometry* g);

/// The result of overlaying the types, in precedence order, on one piece of rural land.
struct OwnedPieces
{
    std::vector<double> m2;             ///< per type
    std::vector<std::string> owned_wkb; ///< per type, WKB (compact), "" when none
    std::vector<char> sources_hit;      ///< per source: a footprint met the land
};

OwnedPieces overlay_types(const geometry::GeosContext& ctx,
                          const GEOSGeometry* land,
                          const Box& window,
                          const ElementShapes& shapes,
                          const geometry::BoxIndex& index,
                          std::size_t type_count,
                          std::size_t source_count);

/// The overlay of the types on the rural land of every area (overlay_work.cpp).
struct OverlayWork
{
    std::vector<Box> rural_env;                     ///< per area: its rural land's envelope
    std::vector<OwnedPieces> pieces;                ///< per work item (an area or a tile)
    std::vector<Box> windows;                       ///< per work item: its window
    std::vector<std::vector<std::size_t>> items_of; ///< per area: its work items, in order
};

/// Overlays the types on the rural land of every area; an area with more than
/// request.tile_max_shapes candidate footprints or more than request.tile_max_vertices
/// vertices of rural land is cut into quadtree tiles overlaid independently.
/// Progress runs from @p progress_from to @p progress_to.
OverlayWork overlay_areas(Contexts& contexts,
                          const MeasureRequest& request,
                          const RuralLand& rural,
                          const ElementShapes& shapes,
                          const geometry::BoxIndex& index,
                          double progress_from,
                          double progress_to);

/// The plan-quantity geometry of one type in one area's vector rural land, kept for the
/// raster pass: centre-lines as x, y, x, y... and point features as their points.
struct PlanGeometry
{
    std::vector<std::vector<double>> lines;
    std::vector<std::vector<std::array<double, 2>>> point_features;

    /// Appends the line parts / point parts of @p g.
    void add_lines(const geometry::GeosContext& ctx, const GEOSGeometry* g);
    void add_point_feature(const geometry::GeosContext& ctx, const GEOSGeometry* g);
};

/// Per area its figures: areas, rural land and exclusions, the types' hectares and owned
/// geometry from the overlay pieces (summed in item order; tiles' pieces united), the plan
/// quantities inside the rural land and the targets (area_figures.cpp). Fills result.areas.
/// With @p rasters, returns the plan geometry per [area][type] for the raster pass, else
/// nothing. Progress runs from @p progress_from to @p progress_to.
std::vector<std::vector<PlanGeometry>> area_figures(Contexts& contexts,
                                                    const MeasureRequest& request,
                                                    const PreparedAreas& areas,
                                                    const RuralLand& rural,
                                                    const ElementShapes& shapes,
                                                    const geometry::BoxIndex& index,
                                                    OverlayWork& overlay,
                                                    bool rasters,
                                                    MeasureResult& result,
                                                    double progress_from,
                                                    double progress_to);

/// The ends of line features in the rural land @p land of one area (@p candidates of
/// @p shapes), and of those the ends within @p gap_m of another feature's footprint on that
/// land (line_ends.cpp): into m.line_ends and m.connected_line_ends.
void count_line_ends(const geometry::GeosContext& ctx,
                     const GEOSGeometry* land,
                     const std::vector<std::size_t>& candidates,
                     const ElementShapes& shapes,
                     const geometry::BoxIndex& index,
                     double gap_m,
                     AreaMeasure& m);

/// Orders items by a content key so that results do not depend on input order.
struct ContentKey
{
    int group = 0;
    Box env;
    const std::string* wkb = nullptr;
    std::size_t part = 0;

    bool operator<(const ContentKey& o) const;
};

} // namespace landel::analysis::detail
