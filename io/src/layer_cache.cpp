#include "layer_cache_impl.h"

#include "gdal_errors.h"
#include "landel/io/error.h"
#include "layer_key.h"

namespace landel::io {

LayerCache::LayerCache()
  : m_impl(std::make_unique<Impl>())
{
}

LayerCache::~LayerCache() = default;

std::string cache_key(const std::string& path,
                      const OGRLayer& layer,
                      const std::vector<std::string>& open_options)
{
    // The opened layer's own name: a request without a layer name takes the first layer.
    return detail::layer_key(path, const_cast<OGRLayer&>(layer).GetName(), open_options);
}

OGRLayer* LayerCache::Impl::layer(const std::string& key, OGRLayer& source)
{
    std::lock_guard<std::mutex> lock(mutex);
    auto it = copies.find(key);
    if (it == copies.end()) {
        GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("Memory");
        if (!mem)
            throw IoError("GDAL has no Memory driver to hold '" + key + "'");
        GDALDatasetUniquePtr copy(mem->Create("", 0, 0, 0, GDT_Unknown, nullptr));
        source.SetAttributeFilter(nullptr);
        source.SetSpatialFilter(nullptr);
        source.ResetReading();
        // Feature ids are kept: messages name them as in the file.
        const char* options[] = { "ADVERTIZE_UTF8=YES", nullptr };
        OGRLayer* target = copy->CreateLayer(source.GetName(),
                                             source.GetSpatialRef(),
                                             source.GetGeomType(),
                                             const_cast<char**>(options));
        if (!target)
            throw IoError("cannot hold '" + key + "' in memory");
        OGRFeatureDefn* defn = source.GetLayerDefn();
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            target->CreateField(defn->GetFieldDefn(i));
        for (auto& feature : source) {
            OGRFeatureUniquePtr f(OGRFeature::CreateFeature(target->GetLayerDefn()));
            f->SetFrom(feature.get());
            f->SetFID(feature->GetFID());
            if (target->CreateFeature(f.get()) != OGRERR_NONE)
                throw IoError("cannot hold '" + key + "' in memory: feature " +
                              std::to_string(feature->GetFID()));
        }
        it = copies.emplace(key, std::move(copy)).first;
    }
    return it->second->GetLayer(0);
}

} // namespace landel::io
