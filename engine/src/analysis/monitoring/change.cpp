// STUB of the change-engine branch (dropped when it is merged): exact overlays per area,
// without realignment (realigned_ha is always 0), so that landel compare can be built and
// tested before the engine lands.

#include "landel/analysis/monitoring/change.h"

#include "landel/core/error.h"
#include "landel/geometry/contexts.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"

namespace landel::analysis {

namespace {

using geometry::GeomPtr;

GeomPtr parse(const geometry::GeosContext& ctx, const std::string& wkb)
{
    return wkb.empty() ? geometry::empty_multipolygon(ctx)
                       : geometry::polygonal_part(ctx, geometry::from_wkb(ctx, wkb).get());
}

std::string polygonal_wkb(const geometry::GeosContext& ctx, const GEOSGeometry* g, double& ha)
{
    ha = geometry::area(ctx, g) / 1e4;
    return ha > 0.0 ? geometry::to_wkb(ctx, geometry::polygonal_part(ctx, g).get()) : std::string();
}

AreaChange compare_one(const geometry::GeosContext& ctx, const AreaYear& a, const AreaYear& b)
{
    const std::size_t n = a.owned_wkb.size();
    std::vector<GeomPtr> before, after;
    std::vector<const GEOSGeometry*> before_refs, after_refs;
    for (std::size_t t = 0; t < n; ++t) {
        before.push_back(parse(ctx, a.owned_wkb[t]));
        after.push_back(parse(ctx, b.owned_wkb[t]));
        before_refs.push_back(before.back().get());
        after_refs.push_back(after.back().get());
    }
    const GeomPtr all_before = geometry::union_of(ctx, before_refs);
    const GeomPtr all_after = geometry::union_of(ctx, after_refs);
    const GeomPtr rural_after = parse(ctx, b.rural_wkb);
    AreaChange out;
    out.types.resize(n);
    for (std::size_t t = 0; t < n; ++t) {
        TypeChange& c = out.types[t];
        c.before_ha = geometry::area(ctx, before[t].get()) / 1e4;
        c.after_ha = geometry::area(ctx, after[t].get()) / 1e4;
        c.net_ha = c.after_ha - c.before_ha;
        const GeomPtr gained = geometry::difference(ctx, after[t].get(), all_before.get());
        c.gained_wkb = polygonal_wkb(ctx, gained.get(), c.gained_ha);
        const GeomPtr gone = geometry::difference(ctx, before[t].get(), all_after.get());
        const GeomPtr lost = geometry::intersection(ctx, gone.get(), rural_after.get());
        c.lost_wkb = polygonal_wkb(ctx, lost.get(), c.lost_ha);
        c.masked_ha =
          geometry::area(ctx, geometry::difference(ctx, gone.get(), lost.get()).get()) / 1e4;
        for (std::size_t u = 0; u < n; ++u) {
            if (u == t)
                continue;
            Reclassification r;
            r.from = t;
            r.to = u;
            r.wkb = polygonal_wkb(
              ctx, geometry::intersection(ctx, before[t].get(), after[u].get()).get(), r.ha);
            if (r.ha > 0.0)
                out.reclassified.push_back(std::move(r));
        }
    }
    return out;
}

} // namespace

std::vector<AreaChange> compare_areas(const std::vector<AreaYear>& before,
                                      const std::vector<AreaYear>& after,
                                      const ChangeOptions& options,
                                      const Progress& progress)
{
    if (before.size() != after.size())
        throw InvalidArgument("compare_areas: the two years have different numbers of areas");
    (void)options;
    geometry::Contexts contexts;
    std::vector<AreaChange> out(before.size());
    parallel::for_each_index(before.size(), [&](std::size_t i) {
        out[i] = compare_one(contexts.local(), before[i], after[i]);
    });
    report_progress(progress, 1.0, "change");
    return out;
}

} // namespace landel::analysis
