#pragma once
// Internal: the GDAL side of io::LayerCache.

#include "landel/io/layer_cache.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace landel::io {

struct LayerCache::Impl
{
    std::mutex mutex;
    std::map<std::string, GDALDatasetUniquePtr> copies; ///< key: path, layer, open options

    /// The in-memory copy of @p layer under @p key, made on first use.
    OGRLayer* layer(const std::string& key, OGRLayer& layer);
};

/// The key of a layer of a file opened with its open options: one copy per combination.
std::string cache_key(const std::string& path,
                      const OGRLayer& layer,
                      const std::vector<std::string>& open_options);

} // namespace landel::io
