#include "landel/analysis/measurement/free_edges.h"

#include "landel/core/error.h"
#include "landel/geometry/box_index.h"
#include "landel/geometry/contexts.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"

#include <cmath>

namespace landel::analysis {

std::vector<double> free_edge_length_m(const std::vector<std::string>& areas_wkb,
                                       const std::vector<std::string>& parcels_wkb,
                                       const std::vector<std::vector<std::string>>& elements_wkb,
                                       double clearance_m)
{
    if (!(clearance_m >= 0.0) || !std::isfinite(clearance_m))
        throw InvalidArgument("free edges: the clearance must be a finite number >= 0");
    if (elements_wkb.size() != areas_wkb.size())
        throw InvalidArgument("free edges: element lists do not match the areas");
    geometry::Contexts contexts;
    // Parcel boundaries once, as lines; their envelopes index them.
    std::vector<geometry::GeomPtr> boundaries(parcels_wkb.size());
    std::vector<Box> envs(parcels_wkb.size());
    parallel::for_each_index(parcels_wkb.size(), [&](std::size_t i) {
        const geometry::GeosContext& ctx = contexts.local();
        const geometry::GeomPtr p = geometry::polygonal_from_wkb(ctx, parcels_wkb[i]);
        if (geometry::is_empty(ctx, p.get()))
            return;
        boundaries[i] = ctx.own(GEOSBoundary_r(ctx.handle(), p.get()), "parcel boundary");
        envs[i] = geometry::envelope(ctx, boundaries[i].get());
    });
    const geometry::BoxIndex index(envs);

    std::vector<double> out(areas_wkb.size(), 0.0);
    parallel::for_each_index(areas_wkb.size(), [&](std::size_t a) {
        const geometry::GeosContext& ctx = contexts.local();
        const geometry::GeomPtr area = geometry::polygonal_from_wkb(ctx, areas_wkb[a]);
        std::vector<const GEOSGeometry*> lines;
        for (std::size_t i : index.query(geometry::envelope(ctx, area.get())))
            lines.push_back(boundaries[i].get());
        if (lines.empty())
            return;
        // The union nodes the lines and dissolves edges two parcels share into one.
        const geometry::GeomPtr edges = geometry::union_of(ctx, lines);
        geometry::GeomPtr inside = geometry::intersection(ctx, edges.get(), area.get());
        std::vector<geometry::GeomPtr> parts;
        std::vector<const GEOSGeometry*> refs;
        for (const std::string& w : elements_wkb[a]) {
            if (w.empty())
                continue;
            parts.push_back(geometry::polygonal_from_wkb(ctx, w));
            refs.push_back(parts.back().get());
        }
        if (!refs.empty()) {
            const geometry::GeomPtr taken = geometry::union_of(ctx, refs);
            const geometry::GeomPtr near =
              ctx.own(GEOSBuffer_r(ctx.handle(), taken.get(), clearance_m, 8), "element clearance");
            inside = geometry::difference(ctx, inside.get(), near.get());
        }
        out[a] = geometry::length(ctx, inside.get());
    });
    return out;
}

} // namespace landel::analysis
