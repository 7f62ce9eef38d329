#pragma once
/// @file dataset_contents.h
/// What a file given as a dataset holds, before any layer is read: a zip or folder of files
/// (a PDOK download), a vector dataset with layers (a GeoPackage), a raster, or none of these.
/// Presets use it to find their layers by name and to refuse a file of the wrong kind.

#include "landel/io/vector_source.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace landel::io {

enum class DatasetKind
{
    Archive, ///< a .zip: members are its file names
    Folder,  ///< a directory: members are its file names
    Vector,  ///< a vector dataset: members are its layer names
    Raster,  ///< a raster: no members
    Other    ///< a file GDAL opens neither as vector nor as raster
};

const char* to_string(DatasetKind kind);

struct DatasetContents
{
    DatasetKind kind = DatasetKind::Other;
    std::vector<std::string> members; ///< sorted
    /// Vector datasets: per layer the kind_* bits of its declared geometry (0: mixed/unknown).
    std::map<std::string, int> kinds;
};

/// Looks at @p path without modifying it. @throws IoError naming @p label and the path when
/// it does not exist or a zip cannot be listed.
DatasetContents inspect_dataset(const std::filesystem::path& path, const std::string& label);

/// The GDAL path of @p member inside the archive @p archive.
std::filesystem::path archive_member(const std::filesystem::path& archive,
                                     const std::string& member);

/// False for a GML file that holds no feature (a PDOK download writes one for every object
/// class, features or not; GDAL does not recognise such a file as GML). Reads at most the
/// first 64 KiB of @p path (which may be a /vsizip/ path): a file without a feature member
/// there holds none when it ends there; a longer one is taken to hold features.
bool gml_holds_features(const std::filesystem::path& path);

/// The greatest non-empty value of @p fields over every feature of the layer @p request names
/// (fields the layer lacks are skipped; values compare as text, so ISO dates compare by
/// time). Empty when there is none. With request.cache a GML layer is read from (and left in)
/// the job's in-memory copy. @throws IoError as VectorSource does.
std::string greatest_text(const VectorRequest& request, const std::vector<std::string>& fields);

} // namespace landel::io
