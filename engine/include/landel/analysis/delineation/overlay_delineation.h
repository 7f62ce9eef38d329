#pragma once
/// @file overlay_delineation.h
/// Areas from physical-geographic class layers: `areas.method = "overlay"` (docs/delineation.md).
/// Inputs are WKB in one projected CRS in metres; the engine knows no files.
///
/// Method (delineate_overlay() numbers its steps alike):
///  1. every layer's polygons are read and repaired (make-valid, structure method) and put
///     in a content-defined order;
///  2. the study area is the union of `study_area_wkb` (or of every layer's polygons);
///  3. within a layer the polygons of one value near the study area are united into a value
///     region, and where polygons of different values overlap, the value first in byte
///     order (std::string comparison) owns the overlap, so each layer splits the land into
///     disjoint value regions;
///  4. the boundaries of the study area and of every value region are noded together and
///     polygonized into faces. Every face lies inside or outside each region, and
///     neighbouring faces share their edges vertex for vertex, so the faces form an exact
///     coverage (separate intersections and differences would each round on their own and
///     leave micro-gaps and slivers between neighbours);
///  5. a face takes the value of each layer whose region holds an interior point of it, and
///     lies in the study area when the study area holds that point;
///  6. the faces of one class inside the study area are united (coverage union: no
///     coordinate moves) and split into connected components, the parts. Polygons meeting
///     in a single point are separate parts;
///  7. parts under min_area_ha merge into neighbours (see delineate_overlay);
///  8. the result is checked to cover the study area without gaps or overlaps;
///  9. the areas get their ids and names (see delineate_overlay).
/// Work runs on TBB workers with one GEOS context each. Features are put in a content-defined
/// order before any GEOS call, so the output is identical, bit for bit, for any feature order
/// and any thread count.

#include "landel/core/progress.h"
#include "landel/geometry/geos_context.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace landel::analysis {

/// One polygon of a class layer.
struct ClassFeature
{
    std::string wkb;       ///< Polygon or MultiPolygon (collections: their polygons are used)
    std::string value;     ///< the classifying field's value; must not be empty
    std::int64_t fid = -1; ///< the source's feature id, for messages
    std::string name;      ///< the feature's name, when its layer names areas (else empty)
};

/// One physical-geographic layer (`[[areas.layers]]`).
struct ClassLayer
{
    std::string label; ///< names the layer in messages, e.g. "areas.layers[1] ('fgr.gpkg')"
    std::string field; ///< the classifying field, for messages
    /// The layer names areas (`name_field`): see delineate_overlay, "Names".
    bool names_areas = false;
    std::vector<ClassFeature> features;
};

struct OverlayRequest
{
    std::vector<ClassLayer> layers; ///< one or more physical-geographic layers
    /// Study area polygons (united); empty: the union of all layers' polygons.
    std::vector<std::string> study_area_wkb;
    double min_area_ha = 0.0; ///< parts smaller than this merge into a neighbour; 0: none
    std::string name_prefix;  ///< put before every area name (e.g. "Overlay "); optional
    Progress progress;
};

/// One delineated area.
struct DelineatedArea
{
    std::string id;   ///< "<class slug>-<n>", e.g. "zeeklei-peat-3"
    std::string name; ///< name_prefix + "<class> <n>", e.g. "Zeeklei / Peat 3"
    std::string cls;  ///< the class, e.g. "Zeeklei / Peat"
    std::string wkb;  ///< Polygon (ISO WKB, 2D, little-endian)
    double area_ha = 0.0;
};

struct OverlayResult
{
    /// Sorted by id, the number compared as a number ("a-2" before "a-10").
    std::vector<DelineatedArea> areas;
    std::string study_area_wkb; ///< the study area as used (united, repaired)
    /// Invalid input polygons (layer features and study area polygons) repaired by make-valid.
    std::size_t repaired = 0;
    /// Parts under min_area_ha merged into a neighbour by the smallest-first rule (same-class
    /// parts joined because a merge made them touch are not counted).
    std::size_t merged_parts = 0;
    std::vector<std::string> warnings;
};

/// The name of the class of land that no layer covers.
inline constexpr const char* unclassified_class = "unclassified";

/// Delineates the study area into areas by overlaying @p request's class layers.
///
/// Classes: a class is the combination of the layers' values, joined with " / " in layer
/// order. Where some layers cover the land and others do not, the uncovered layers read
/// `unclassified` in their position ("Zeeklei / unclassified"), so the class still tells which
/// layer is missing there; land no layer covers is plain `unclassified`. A value that is itself
/// "unclassified", or contains " / ", may therefore name the same class as another
/// combination; such combinations are one class.
///
/// Merging: parts under min_area_ha are taken smallest first (equal areas: the part whose
/// lowest vertex, smallest x then smallest y, comes first) and each merges into the neighbour
/// with which it shares the longest border (a border is the length of the common boundary;
/// parts meeting in points only are not neighbours). Borders within 1e-9 relative count as
/// equal (a border's length is a sum of segment lengths, which rounds differently per side);
/// among equal ones the neighbour whose lowest vertex comes first wins. The merged part keeps
/// the neighbour's class, and if it now shares a border with other parts of that class they
/// become one part, so the final parts are still the connected components of their classes.
/// A merged part still under the limit waits its turn again; a part with no neighbour stays.
///
/// Ids: the final parts of a class are numbered 1, 2, ... in order of their lowest vertex;
/// the id is the slug of the class (ASCII letters lower-cased, digits and non-ASCII bytes
/// kept, other runs of characters become '-') with "-<n>". Classes whose slugs coincide are
/// numbered together (in class order) so that ids stay unique.
///
/// Names: "<class> <n>", with the number of the id. When a layer names areas (the first such
/// layer counts), an area takes the non-empty name of that layer's feature that overlaps it
/// most (equal overlaps: the smaller name in byte order); names that several areas take are
/// numbered "<name> 1", "<name> 2", ... in id order; an area no named feature overlaps keeps
/// "<class> <n>".
///
/// @post the areas cover the study area with no gaps or overlaps (checked with
///   check_coverage at 1e-6 of the study area; GeometryError otherwise).
/// @throws InvalidArgument no layers, a negative min_area_ha, a feature that is not polygonal
///   or has an empty value (message names the layer and fid), or an empty study area.
/// @throws GeometryError when GEOS fails or the coverage check fails.
/// @throws Cancelled when the progress callback asks to stop.
OverlayResult delineate_overlay(const OverlayRequest& request);

/// Checks that @p parts form a coverage of @p whole. Reported, as one line of text each:
/// invalid parts; pairs of parts (found through an R-tree of envelopes) whose interiors
/// overlap by more than @p tol_m2; the gap (whole minus the union of the parts) and the
/// excess (the union minus whole) when larger than @p tol_m2. Parts are named by index.
/// The geometries are only read; pairs are tested on TBB workers with their own contexts.
/// @return the problems found; empty when the parts form a coverage.
std::vector<std::string> check_coverage(const geometry::GeosContext& ctx,
                                        const std::vector<const GEOSGeometry*>& parts,
                                        const GEOSGeometry* whole,
                                        double tol_m2);

} // namespace landel::analysis
