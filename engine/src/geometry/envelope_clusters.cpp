#include "landel/geometry/envelope_clusters.h"
#include "landel/core/union_find.h"

#include "landel/geometry/box_index.h"
#include "landel/geometry/ops.h"

#include <algorithm>

namespace landel::geometry {

std::vector<std::vector<std::size_t>> envelope_clusters(const std::vector<Box>& env)
{
    return envelope_clusters(env, [](std::size_t, std::size_t) { return true; });
}

std::vector<std::vector<std::size_t>> envelope_clusters(
  const std::vector<Box>& env,
  const std::function<bool(std::size_t, std::size_t)>& joined)
{
    SmallestRootSets<> sets(env.size());
    const BoxIndex index(env);
    for (std::size_t i = 0; i < env.size(); ++i)
        for (std::size_t j : index.query(env[i]))
            if (sets.root(i) != sets.root(j) && joined(i, j))
                sets.join(i, j);
    std::vector<std::vector<std::size_t>> clusters;
    std::vector<std::size_t> slot(env.size(), env.size());
    for (std::size_t i = 0; i < env.size(); ++i) {
        const std::size_t root = sets.root(i);
        if (slot[root] == env.size()) {
            slot[root] = clusters.size();
            clusters.emplace_back();
        }
        clusters[slot[root]].push_back(i);
    }
    return clusters;
}

GeomPtr union_by_clusters(const GeosContext& ctx,
                          const std::vector<const GEOSGeometry*>& parts,
                          const std::vector<Box>& env)
{
    std::vector<GeomPtr> unions;
    std::vector<const GEOSGeometry*> polygons;
    for (const std::vector<std::size_t>& cluster : envelope_clusters(env)) {
        if (cluster.size() == 1) {
            collect_parts(ctx, parts[cluster.front()], polygons);
            continue;
        }
        std::vector<const GEOSGeometry*> members;
        for (std::size_t k : cluster)
            members.push_back(parts[k]);
        unions.push_back(polygonal_part(ctx, union_of(ctx, members).get()));
        collect_parts(ctx, unions.back().get(), polygons);
    }
    return multipolygon_of(ctx, polygons);
}

GeomPtr union_of_wkb_by_clusters(const GeosContext& ctx, const std::vector<std::string>& wkbs)
{
    std::vector<GeomPtr> read;
    std::vector<const GEOSGeometry*> geoms;
    for (const std::string& wkb : wkbs)
        if (!wkb.empty()) {
            read.push_back(polygonal_from_wkb(ctx, wkb));
            geoms.push_back(read.back().get());
        }
    return union_of_by_clusters(ctx, geoms);
}

GeomPtr union_of_by_clusters(const GeosContext& ctx, const std::vector<const GEOSGeometry*>& geoms)
{
    std::vector<const GEOSGeometry*> parts;
    for (const GEOSGeometry* g : geoms)
        collect_parts(ctx, g, parts);
    if (parts.empty())
        return nullptr;
    std::vector<Box> boxes;
    for (const GEOSGeometry* part : parts)
        boxes.push_back(envelope(ctx, part));
    return union_by_clusters(ctx, parts, boxes);
}

} // namespace landel::geometry
