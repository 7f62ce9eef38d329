#pragma once
/// @file vector_source.h
/// Reading one OGR layer into WKB in the run CRS, with every check docs/semantics.md asks for:
/// the file, layer, fields and where clause exist and work; the CRS is known (or assumed) and
/// reprojected with a recorded PROJ pipeline; Z/M are dropped, curves linearised, and
/// non-finite coordinates rejected.

#include "landel/core/box.h"
#include "landel/core/box_set.h"
#include "landel/core/progress.h"
#include "landel/io/crs.h"

#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace landel::io {

class LayerCache;

/// A copy of a layer with a spatial index (indexed_copy.h), read in place of the source.
struct IndexedCopy
{
    std::filesystem::path path;     ///< the GeoPackage holding the copy (one layer)
    std::vector<std::string> files; ///< the source's files, recorded as the files read
    bool reused = false;            ///< found in the cache rather than made now
};

/// Which layer to read and how. @p label prefixes every message (e.g. the config section).
struct VectorRequest
{
    std::string label;
    std::filesystem::path path;
    std::string layer; ///< empty: the dataset's only layer
    std::string where; ///< attribute filter in the source's own SQL dialect
    std::optional<std::string> assume_crs;
    std::vector<std::string> fields;     ///< attribute fields to fetch (must exist)
    std::vector<std::string> field_keys; ///< the config key naming each field, for messages
    /// Per field (may be shorter than fields): a field the layer may lack; its values are then
    /// null. Fields not listed here must exist.
    std::vector<bool> field_optional;
    /// Keep features without geometry (their wkb empty) instead of skipping them: a table of
    /// rows, some placed by a geometry, some not. A layer without a geometry column then
    /// needs no CRS.
    bool rows_without_geometry = false;
    /// GDAL open options (e.g. GFS_TEMPLATE=... for a GML file). @p path may be a GDAL
    /// virtual path into an archive (/vsizip/ARCHIVE/MEMBER); the archive is then the file
    /// that must exist and the one recorded.
    std::vector<std::string> open_options;
    /// When given, a GML layer is parsed once into it and later requests for the same layer
    /// filter the copy (layer_cache.h).
    LayerCache* cache = nullptr;
    /// When given, the features are read from this copy of the layer (indexed_copy.h), with
    /// the same checks, where clause and CRS; messages still name @p path.
    std::optional<IndexedCopy> copy;
};

struct FieldValue
{
    bool null = true;
    std::string text;
    double number = std::numeric_limits<double>::quiet_NaN(); ///< NaN when not numeric
};

struct VectorFeature
{
    std::int64_t fid = -1;
    std::string wkb; ///< 2D ISO WKB, little endian, in the run CRS
    std::vector<FieldValue> fields;
};

/// What of a layer a read keeps: features near a set of boxes (the areas' envelopes).
struct ReadNear
{
    /// Keep only features whose envelope, grown as below, meets one of these boxes (a
    /// pre-filter; exact tests come later). Null: keep every feature.
    const BoxSet* boxes = nullptr;
    double margin = 0.0; ///< every envelope grown by this many metres
    /// The index of one of the request's fields holding a width in metres: an envelope is
    /// grown by half of the feature's own width as well (a strip or crown drawn from a line or
    /// point may reach in although the line or point does not).
    std::optional<std::size_t> grow_by_half_of;
    /// Ask the driver for the features in the boxes' envelope only (through its spatial
    /// index, when it has one) instead of reading every feature and checking it. Faster on a
    /// large layer, but a feature whose coordinates are not numbers may then go unseen
    /// instead of being an error. With grow_by_half_of the box is grown by half the widest
    /// width the layer holds, found first by a scan of the width field alone (no geometry).
    bool by_index = false;
};

/// Bits of VectorLayerInfo::geometry_kinds.
inline constexpr int kind_points = 1;
inline constexpr int kind_lines = 2;
inline constexpr int kind_polygons = 4;

struct VectorLayerInfo
{
    std::string layer;
    std::string crs;                   ///< describe() of the source CRS (or the assumed one)
    std::string pipeline;              ///< PROJ pipeline to the run CRS; empty when none was needed
    int geometry_kinds = 0;            ///< from the declared geometry type; 0 = mixed or unknown
    std::vector<std::string> files;    ///< files making up the dataset (for checksums)
    std::vector<bool> field_is_number; ///< per requested field: Integer, Integer64 or Real
    std::vector<bool> field_present;   ///< per requested field: the layer has it
};

/// The archive of a GDAL virtual path into a zip (/vsizip/ARCHIVE.zip/MEMBER), or nothing for
/// a plain path.
std::optional<std::filesystem::path> archive_of(const std::filesystem::path& path);

class VectorSource
{
public:
    /// Opens the layer read-only and checks path, layer, fields, where clause and CRS.
    /// Throws IoError naming the culprit.
    VectorSource(const VectorRequest& request, const Crs& run_crs);
    ~VectorSource();
    VectorSource(const VectorSource&) = delete;
    VectorSource& operator=(const VectorSource&) = delete;

    const VectorLayerInfo& info() const;

    /// The box around the layer's features in the run CRS: the layer's own extent, its edges
    /// densified when reprojected; empty for a layer without features. What a run in pieces
    /// cuts into tiles to read a source part by part.
    Box extent() const;

    /// Reads the selected features (features without geometry are skipped) that lie @p near
    /// (by default: all). Every feature read is checked; @p progress gets the fraction of the
    /// layer read (when the driver knows its size).
    std::vector<VectorFeature> read(const ReadNear& near = {}, const Progress& progress = {});

    struct Impl; ///< GDAL's side (in io/src)

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace landel::io
