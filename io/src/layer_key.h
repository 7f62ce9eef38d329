#pragma once
// Internal: the key that names one layer of one dataset as opened (path, layer, open options),
// shared by the in-memory layer cache and the indexed copies so that both name a layer alike.

#include <string>
#include <vector>

namespace landel::io::detail {

inline std::string layer_key(const std::string& path,
                             const std::string& layer,
                             const std::vector<std::string>& open_options)
{
    std::string key = path + "|" + layer;
    for (const std::string& o : open_options)
        key += "|" + o;
    return key;
}

} // namespace landel::io::detail
