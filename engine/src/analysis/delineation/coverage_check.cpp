#include "landel/analysis/delineation/overlay_delineation.h"

#include "landel/geometry/box_index.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"
#include "overlay_stages.h"

#include <sstream>

namespace landel::analysis {

using geometry::GeomPtr;
using geometry::GeosContext;

std::vector<std::string> check_coverage(const GeosContext& ctx,
                                        const std::vector<const GEOSGeometry*>& parts,
                                        const GEOSGeometry* whole,
                                        double tol_m2)
{
    const std::size_t n = parts.size();
    std::vector<std::string> problems;
    detail::Contexts contexts;

    // Overlay results on invalid input are unreliable, so invalid parts are reported and left
    // out of the overlap test.
    std::vector<std::string> invalid(n);
    std::vector<Box> envs(n);
    parallel::for_each_index(n, [&](std::size_t i) {
        const GeosContext& local = contexts.local();
        if (!geometry::is_valid(local, parts[i])) {
            char* reason = GEOSisValidReason_r(local.handle(), parts[i]);
            invalid[i] = reason ? reason : "invalid";
            GEOSFree_r(local.handle(), reason);
            return;
        }
        envs[i] = geometry::envelope(local, parts[i]);
    });
    for (std::size_t i = 0; i < n; ++i)
        if (!invalid[i].empty())
            problems.push_back("part " + std::to_string(i) + " is not valid: " + invalid[i]);

    // Neighbours in a coverage intersect in lines only (area 0). The intersection is computed
    // directly: OverlayNG is much faster than a relate test on large polygons.
    const geometry::BoxIndex index(envs);
    std::vector<std::vector<std::pair<std::size_t, double>>> overlaps(n);
    parallel::for_each_index(n, [&](std::size_t i) {
        if (envs[i].empty())
            return;
        const GeosContext& local = contexts.local();
        for (std::size_t j : index.query(envs[i])) {
            if (j <= i || envs[j].empty())
                continue;
            const double m2 =
              geometry::area(local, geometry::intersection(local, parts[i], parts[j]).get());
            if (m2 > tol_m2)
                overlaps[i].emplace_back(j, m2);
        }
    });
    for (std::size_t i = 0; i < n; ++i)
        for (const auto& [j, m2] : overlaps[i]) {
            std::ostringstream msg;
            msg << "parts " << i << " and " << j << " overlap on " << m2 << " m²";
            problems.push_back(msg.str());
        }

    std::vector<const GEOSGeometry*> valid;
    for (std::size_t i = 0; i < n; ++i)
        if (invalid[i].empty())
            valid.push_back(parts[i]);
    const GeomPtr united = geometry::union_of(ctx, valid);
    const double gap_m2 = geometry::area(ctx, geometry::difference(ctx, whole, united.get()).get());
    if (gap_m2 > tol_m2) {
        std::ostringstream msg;
        msg << "a gap of " << gap_m2 << " m² in the whole is covered by no part";
        problems.push_back(msg.str());
    }
    const double excess_m2 =
      geometry::area(ctx, geometry::difference(ctx, united.get(), whole).get());
    if (excess_m2 > tol_m2) {
        std::ostringstream msg;
        msg << "the parts reach " << excess_m2 << " m² outside the whole";
        problems.push_back(msg.str());
    }
    return problems;
}

} // namespace landel::analysis
