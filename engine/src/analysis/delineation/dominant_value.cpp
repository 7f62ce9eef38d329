#include "landel/analysis/delineation/dominant_value.h"

#include "landel/core/error.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"
#include "overlay_stages.h"

namespace landel::analysis {

std::vector<std::string> dominant_values(const std::vector<std::string>& area_wkb,
                                         const std::vector<std::string>& feature_wkb,
                                         const std::vector<std::string>& values)
{
    if (feature_wkb.size() != values.size())
        throw InvalidArgument("dominant values: " + std::to_string(feature_wkb.size()) +
                              " features but " + std::to_string(values.size()) + " values");
    detail::Contexts contexts;
    std::vector<geometry::GeomPtr> areas(area_wkb.size()), features(feature_wkb.size());
    parallel::for_each_index(areas.size(), [&](std::size_t i) {
        areas[i] = geometry::polygonal_from_wkb(contexts.local(), area_wkb[i]);
    });
    parallel::for_each_index(features.size(), [&](std::size_t i) {
        features[i] = geometry::polygonal_from_wkb(contexts.local(), feature_wkb[i]);
    });
    std::vector<const GEOSGeometry*> area_refs, feature_refs;
    for (const auto& g : areas)
        area_refs.push_back(g.get());
    for (const auto& g : features)
        feature_refs.push_back(g.get());
    return detail::dominant_names(contexts, area_refs, feature_refs, values);
}

} // namespace landel::analysis
