#pragma once
/// @file ops.h
/// Small, checked wrappers over GEOS operations used throughout the engine.
/// Every function throws GeometryError (with the GEOS message) instead of returning null.

#include "landel/core/box.h"
#include "landel/geometry/geos_context.h"

#include <string>
#include <string_view>
#include <vector>

namespace landel::geometry {

/// Parses ISO or extended WKB.
GeomPtr from_wkb(const GeosContext& ctx, std::string_view wkb);

/// Serialises to little-endian 2D ISO WKB.
std::string to_wkb(const GeosContext& ctx, const GEOSGeometry* g);

/// Parses WKT (tests and diagnostics).
GeomPtr from_wkt(const GeosContext& ctx, std::string_view wkt);

GeomPtr clone(const GeosContext& ctx, const GEOSGeometry* g);
double area(const GeosContext& ctx, const GEOSGeometry* g);
double length(const GeosContext& ctx, const GEOSGeometry* g);
bool is_empty(const GeosContext& ctx, const GEOSGeometry* g);
bool is_valid(const GeosContext& ctx, const GEOSGeometry* g);

/// Envelope; an empty Box for an empty geometry.
Box envelope(const GeosContext& ctx, const GEOSGeometry* g);

/// Rectangle polygon.
GeomPtr box_polygon(const GeosContext& ctx, const Box& box);

/// The polygon without holes whose shell has the vertices @p xs, @p ys (the first repeated
/// last); @p what names it in an error.
GeomPtr polygon_of(const GeosContext& ctx,
                   const std::vector<double>& xs,
                   const std::vector<double>& ys,
                   const char* what);

/// An empty MultiPolygon.
GeomPtr empty_multipolygon(const GeosContext& ctx);

/// Union of the given geometries (cloned; the inputs are only read, so they may be shared
/// between threads). An empty MultiPolygon when the list is empty.
GeomPtr union_of(const GeosContext& ctx, const std::vector<const GEOSGeometry*>& parts);

/// Union of polygons that form an exact coverage - they do not overlap, and a border two of
/// them share has the same vertices in both (analysis::label_polygons makes such polygons) -
/// by GEOS's CoverageUnion, which drops the shared segments instead of computing an overlay.
/// When GEOS refuses the input, or its result is invalid or its area not the sum of the
/// parts', the result is union_of()'s.
GeomPtr coverage_union(const GeosContext& ctx, const std::vector<const GEOSGeometry*>& parts);

/// @p g with its shells counter-clockwise and its holes clockwise (OGC Simple Features,
/// GeoJSON), in GEOS's normal form otherwise (a fixed first vertex and order of parts).
GeomPtr with_ogc_orientation(const GeosContext& ctx, const GEOSGeometry* g);

GeomPtr intersection(const GeosContext& ctx, const GEOSGeometry* a, const GEOSGeometry* b);

/// The polygonal part of @p g inside @p box (a MultiPolygon). GEOS's rectangle clipping is
/// several times faster than a full overlay but does not promise a valid result; an invalid
/// one is recomputed with the overlay.
GeomPtr clip_to_box(const GeosContext& ctx, const GEOSGeometry* g, const Box& box);

GeomPtr difference(const GeosContext& ctx, const GEOSGeometry* a, const GEOSGeometry* b);

/// Repairs an invalid geometry with GEOS make-valid, structure method (rings are read as
/// area boundaries, so a bow-tie becomes two triangles); collapsed parts are dropped.
GeomPtr make_valid(const GeosContext& ctx, const GEOSGeometry* g);

/// A collection of GEOS type @p type (e.g. GEOS_MULTIPOLYGON) owning @p members.
GeomPtr make_collection(const GeosContext& ctx, int type, std::vector<GeomPtr> members);

/// A MultiPolygon of clones of @p polygons, without a union: valid only when they are
/// disjoint (e.g. parts of one valid polygonal geometry, or results that lie apart).
GeomPtr multipolygon_of(const GeosContext& ctx, const std::vector<const GEOSGeometry*>& polygons);

/// The polygonal parts of @p g as one MultiPolygon (lines and points produced by overlay
/// at touching borders carry no area and are dropped).
GeomPtr polygonal_part(const GeosContext& ctx, const GEOSGeometry* g);

/// The union of the polygonal parts of @p wkbs (each read as polygonal_from_wkb; empty
/// strings skipped), or nullptr when every string is empty.
GeomPtr union_of_wkb(const GeosContext& ctx, const std::vector<std::string>& wkbs);

/// Parses @p wkb, repairs it when invalid (make_valid) and keeps its polygonal part.
GeomPtr polygonal_from_wkb(const GeosContext& ctx, std::string_view wkb);

/// The largest coordinate magnitude input geometries may have (metres): where doubles still
/// resolve 1/8 m, far beyond any projected CRS and far below where GEOS's arithmetic
/// overflows (GEOS 3.11 crashed buffering a line with a vertex at y = 6e307, and gave a
/// 0 m² buffer at 1e200; found by tests/fuzz/fuzz_measure).
inline constexpr double max_coordinate = 1e15;

/// True when every x and y of @p g is a finite number within ±max_coordinate.
bool coordinates_in_range(const GeosContext& ctx, const GEOSGeometry* g);

/// The first @p length metres of the LineString @p line (all of it when longer; an empty
/// line at 0), cut inside the segment where that length is reached.
GeomPtr line_prefix(const GeosContext& ctx, const GEOSGeometry* line, double length);

/// The LineString @p line from @p from metres on (an empty line when it is no longer), cut
/// inside the segment where that length is reached: the rest line_prefix() leaves.
GeomPtr line_suffix(const GeosContext& ctx, const GEOSGeometry* line, double from);

/// Appends the non-empty single parts of @p g (recursing into collections) to @p out.
void collect_parts(const GeosContext& ctx,
                   const GEOSGeometry* g,
                   std::vector<const GEOSGeometry*>& out);

} // namespace landel::geometry
