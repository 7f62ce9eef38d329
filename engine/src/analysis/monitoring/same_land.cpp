#include "landel/analysis/monitoring/same_land.h"

#include "landel/core/error.h"
#include "landel/geometry/contexts.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"

namespace landel::analysis {

std::vector<bool> same_land(const std::vector<std::string>& before,
                            const std::vector<std::string>& after,
                            double tolerance)
{
    if (before.size() != after.size())
        throw InvalidArgument("same_land: " + std::to_string(before.size()) + " areas before, " +
                              std::to_string(after.size()) + " after");
    geometry::Contexts contexts;
    std::vector<char> same(before.size(), 0);
    parallel::for_each_index(before.size(), [&](std::size_t i) {
        const geometry::GeosContext& ctx = contexts.local();
        const geometry::GeomPtr a = geometry::from_wkb(ctx, before[i]);
        const geometry::GeomPtr b = geometry::from_wkb(ctx, after[i]);
        const double apart =
          geometry::area(ctx, geometry::difference(ctx, a.get(), b.get()).get()) +
          geometry::area(ctx, geometry::difference(ctx, b.get(), a.get()).get());
        same[i] = apart <= tolerance * geometry::area(ctx, a.get());
    });
    return std::vector<bool>(same.begin(), same.end());
}

} // namespace landel::analysis
