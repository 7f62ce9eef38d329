#include "landel/geometry/envelope_clusters.h"

#include "landel/geometry/box_index.h"

#include <algorithm>
#include <numeric>

namespace landel::geometry {

std::vector<std::vector<std::size_t>> envelope_clusters(const std::vector<Box>& env)
{
    std::vector<std::size_t> parent(env.size());
    std::iota(parent.begin(), parent.end(), std::size_t(0));
    auto find = [&parent](std::size_t i) {
        while (parent[i] != i)
            i = parent[i] = parent[parent[i]];
        return i;
    };
    const BoxIndex index(env);
    for (std::size_t i = 0; i < env.size(); ++i)
        for (std::size_t j : index.query(env[i])) {
            const std::size_t a = find(i), b = find(j);
            if (a != b)
                parent[std::max(a, b)] = std::min(a, b);
        }
    std::vector<std::vector<std::size_t>> clusters;
    std::vector<std::size_t> slot(env.size(), env.size());
    for (std::size_t i = 0; i < env.size(); ++i) {
        const std::size_t root = find(i);
        if (slot[root] == env.size()) {
            slot[root] = clusters.size();
            clusters.emplace_back();
        }
        clusters[slot[root]].push_back(i);
    }
    return clusters;
}

} // namespace landel::geometry
