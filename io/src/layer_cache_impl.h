#pragma once
// Internal: the GDAL side of io::LayerCache.

#include "landel/io/layer_cache.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <map>
#include <mutex>
#include <string>

namespace landel::io {

struct LayerCache::Impl
{
    std::mutex mutex;
    std::map<std::string, GDALDatasetUniquePtr> copies; ///< key: path, layer, open options

    /// The in-memory copy of @p layer under @p key, made on first use.
    OGRLayer* layer(const std::string& key, OGRLayer& layer);
};

} // namespace landel::io
