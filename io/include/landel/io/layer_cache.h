#pragma once
/// @file layer_cache.h
/// Layers parsed once per job. A preset reads several sources from one layer of a download,
/// each with its own filter (the BGT: six rows and three rural parts on begroeidterreindeel
/// alone). GDAL's GML driver parses the whole (zipped) file for every read; with a cache the
/// first read copies the layer into memory and the others filter that copy.

#include <memory>

namespace landel::io {

class LayerCache
{
public:
    LayerCache();
    ~LayerCache();
    LayerCache(const LayerCache&) = delete;
    LayerCache& operator=(const LayerCache&) = delete;

    struct Impl; ///< GDAL's side (in io/src)
    Impl& impl() { return *m_impl; }

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace landel::io
