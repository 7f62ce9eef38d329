#pragma once
/// @file indexed_copy.h
/// Copies of layers that cannot be searched by place. A run measured in pieces reads each
/// source near its own areas through the layer's spatial index; a GML file (a BGT download), a
/// shapefile without .qix or a CSV has none, so every piece would parse and scan the whole
/// layer. Such a layer is copied once, before the pieces run, into a GeoPackage (which has an
/// R-tree) in a cache folder, and the pieces read the copy.
///
/// The copy holds the layer as the source gives it (every field, the feature ids, the CRS,
/// curves and Z as they are): a piece reads it through the same checks, filter, reprojection
/// and repairs as the source, so its features are the source's. Its name is the SHA-256 of
/// the source's file contents, the layer and the open options (and a caller's version): a
/// changed source gets a new copy, an unchanged one reuses the copy made before. To spare
/// hashing a large download on every run, a stamp beside the copies remembers which copy the
/// source's files had at their present sizes and modification times (to the nanosecond); a
/// change that keeps both is then not seen unless the caller asks to verify.

#include "landel/io/vector_source.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace landel::io {

/// The source a request reads, as a text: its path, layer and open options. Requests with the
/// same key read the same layer (their filters may differ), so they share one copy.
std::string layer_key(const VectorRequest& request);

/// Returns the indexed copy of the layer @p request reads, made in @p cache_dir if it is not
/// there yet; nothing when the layer has a spatial index of its own (GeoPackage, a shapefile
/// with .qix, FlatGeobuf ...). @p version is part of the copy's name (a new landel copies
/// again). The copy is written under a temporary name and renamed when complete; a file under
/// the copy's name that is not such a copy of this source is made again. With @p verify the
/// files' contents are hashed even when a stamp names a copy for their sizes and times.
/// Throws IoError naming the source or the cache folder.
std::optional<IndexedCopy> indexed_copy(const VectorRequest& request,
                                        const std::filesystem::path& cache_dir,
                                        const std::string& version,
                                        bool verify = false);

} // namespace landel::io
