#include "change_stages.h"

#include "landel/geometry/envelope_clusters.h"
#include "landel/geometry/ops.h"

#include <algorithm>
#include <tuple>

namespace landel::analysis::detail {

namespace {

/// One connected part of one type's owned geometry in one year.
struct Part
{
    bool after = false;
    std::size_t type = 0;
    const GEOSGeometry* geom = nullptr;
    Box env;
};

/// Parts in a content-defined order, so that the same parts pair up in both years.
bool before_in_content(const Part& p, const Part& q)
{
    return std::tie(p.type, p.env.xmin, p.env.ymin, p.env.xmax, p.env.ymax) <
           std::tie(q.type, q.env.xmin, q.env.ymin, q.env.xmax, q.env.ymax);
}

bool same_parts(const geometry::GeosContext& ctx, std::vector<Part> a, std::vector<Part> b)
{
    if (a.size() != b.size())
        return false;
    std::sort(a.begin(), a.end(), before_in_content);
    std::sort(b.begin(), b.end(), before_in_content);
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].type != b[i].type ||
            !ctx.check_predicate(GEOSEqualsExact_r(ctx.handle(), a[i].geom, b[i].geom, 0.0),
                                 "equals exact"))
            return false;
    return true;
}

/// Parts of less than this many m² are left out of the overlays. The owned geometry of a run
/// holds a few collapsed slivers (triangles of 1e-20 to 1e-9 m², left by the differences that
/// give each type its land); GEOS overlays of such a sliver with a neighbour that shares its
/// edges can return whole wrong polygons (a 1,816 m² tree row counted as reclassified on the
/// benchmark case). Their land is below any figure landel writes (1e-6 ha = 0.01 m²).
constexpr double sliver_m2 = 1e-6;

void add_parts(const geometry::GeosContext& ctx,
               const std::vector<geometry::GeomPtr>& owned,
               bool after,
               std::vector<Part>& out)
{
    for (std::size_t t = 0; t < owned.size(); ++t) {
        std::vector<const GEOSGeometry*> polys;
        geometry::collect_parts(ctx, owned[t].get(), polys);
        for (const GEOSGeometry* p : polys)
            if (geometry::area(ctx, p) >= sliver_m2)
                out.push_back({ after, t, p, geometry::envelope(ctx, p) });
    }
}

} // namespace

std::vector<ChangeCluster> change_clusters(const geometry::GeosContext& ctx,
                                           const std::vector<geometry::GeomPtr>& before,
                                           const std::vector<geometry::GeomPtr>& after,
                                           double tolerance_m)
{
    std::vector<Part> parts;
    add_parts(ctx, before, false, parts);
    add_parts(ctx, after, true, parts);
    // Grown by half the tolerance each, two parts within the tolerance have meeting boxes.
    std::vector<Box> grown;
    grown.reserve(parts.size());
    for (const Part& p : parts)
        grown.push_back({ p.env.xmin - tolerance_m / 2.0,
                          p.env.ymin - tolerance_m / 2.0,
                          p.env.xmax + tolerance_m / 2.0,
                          p.env.ymax + tolerance_m / 2.0 });

    std::vector<ChangeCluster> out;
    for (const std::vector<std::size_t>& members : geometry::envelope_clusters(grown)) {
        ChangeCluster c;
        c.before.resize(before.size());
        c.after.resize(after.size());
        std::vector<Part> was, is;
        for (std::size_t i : members) {
            const Part& p = parts[i];
            (p.after ? c.after : c.before)[p.type].push_back(p.geom);
            (p.after ? is : was).push_back(p);
        }
        c.unchanged = same_parts(ctx, std::move(was), std::move(is));
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace landel::analysis::detail
