#include "change_stages.h"
#include "realignment.h"

#include "landel/core/union_find.h"
#include "landel/geometry/box_index.h"
#include "landel/geometry/distance_within.h"
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

bool same_key(const Part& p, const Part& q)
{
    return !before_in_content(p, q) && !before_in_content(q, p);
}

// Parts of less than sliver_m2 (realignment.h) are left out of the overlays: GEOS overlays of
// such a sliver with a neighbour that shares its edges can return whole wrong polygons (a
// 1,816 m² tree row counted as reclassified on the benchmark case).

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

/// Whether @p a and @p b have the same rings, vertex for vertex, whichever vertex a ring
/// starts from and whichever way it runs. A run writes an element it did not change with its
/// rings starting elsewhere when an overlay remade them (a neighbour appeared or went): 814 of
/// the 10,565 pairs of parts compared alone on the monitoring benchmark case, each an overlay
/// of two copies of the same edges, GEOS's slowest case.
bool same_rings(const geometry::GeosContext& ctx, const GEOSGeometry* a, const GEOSGeometry* b)
{
    if (ctx.check_predicate(GEOSEqualsExact_r(ctx.handle(), a, b, 0.0), "equals exact"))
        return true;
    if (GEOSGetNumCoordinates_r(ctx.handle(), a) != GEOSGetNumCoordinates_r(ctx.handle(), b))
        return false;
    const geometry::GeomPtr na = geometry::clone(ctx, a), nb = geometry::clone(ctx, b);
    if (GEOSNormalize_r(ctx.handle(), na.get()) != 0 ||
        GEOSNormalize_r(ctx.handle(), nb.get()) != 0)
        return false;
    return ctx.check_predicate(GEOSEqualsExact_r(ctx.handle(), na.get(), nb.get(), 0.0),
                               "equals exact");
}

/// Per part: the other year has the same part of the same type, up to where its rings start.
/// Parts sorted by type and envelope pair up where their keys are equal.
std::vector<bool> unchanged_parts(const geometry::GeosContext& ctx, const std::vector<Part>& parts)
{
    std::vector<std::size_t> was, is;
    for (std::size_t i = 0; i < parts.size(); ++i)
        (parts[i].after ? is : was).push_back(i);
    const auto by_content = [&parts](std::size_t i, std::size_t j) {
        return before_in_content(parts[i], parts[j]);
    };
    std::sort(was.begin(), was.end(), by_content);
    std::sort(is.begin(), is.end(), by_content);
    std::vector<bool> unchanged(parts.size(), false);
    std::size_t k = 0;
    for (std::size_t i : was) {
        while (k < is.size() && before_in_content(parts[is[k]], parts[i]))
            ++k;
        // Parts of one type are disjoint, so equal keys are rare: try each of them.
        for (std::size_t m = k; m < is.size() && same_key(parts[is[m]], parts[i]); ++m) {
            const std::size_t j = is[m];
            if (unchanged[j] || !same_rings(ctx, parts[i].geom, parts[j].geom))
                continue;
            unchanged[i] = unchanged[j] = true;
            break;
        }
    }
    return unchanged;
}

/// Union-find over positions; a group's root is its smallest member.
using Groups = SmallestRootSets<>;

/// The changed parts, and the boxes within which other parts may lie within the tolerance.
struct ChangedParts
{
    std::vector<std::size_t> ids; ///< positions in the parts list
    std::vector<const GEOSGeometry*> geoms;
    std::vector<Box> reach; ///< envelopes grown by the tolerance

    /// Whether changed part @p m and @p other (whose envelope is in m's reach) are to be
    /// compared together.
    bool near(const geometry::GeosContext& ctx,
              std::size_t m,
              const Part& other,
              double tolerance_m) const
    {
        return geometry::within_distance(ctx, geoms[m], other.geom, tolerance_m);
    }
};

} // namespace

std::vector<ChangeCluster> change_clusters(const geometry::GeosContext& ctx,
                                           const std::vector<geometry::GeomPtr>& before,
                                           const std::vector<geometry::GeomPtr>& after,
                                           double tolerance_m)
{
    std::vector<Part> parts;
    add_parts(ctx, before, false, parts);
    add_parts(ctx, after, true, parts);
    const std::vector<bool> unchanged = unchanged_parts(ctx, parts);
    // Which parts lie within the tolerance of each other is decided on their geometry, not
    // only their envelopes: a long, winding element's envelope covers much land it is far
    // from, and would tie many unrelated changes and unchanged parts into one big overlay.
    ChangedParts changed;
    std::vector<Box> env_changed, env_kept;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        // An index leaves out empty boxes: each list keeps every position.
        env_kept.push_back(unchanged[i] ? parts[i].env : Box{});
        env_changed.push_back(unchanged[i] ? Box{} : parts[i].env);
        if (unchanged[i])
            continue;
        changed.ids.push_back(i);
        changed.geoms.push_back(parts[i].geom);
        changed.reach.push_back(grown(parts[i].env, tolerance_m));
    }
    const geometry::BoxIndex near_changed(env_changed), near_kept(env_kept);
    std::vector<std::size_t> position(parts.size(), 0); // part -> its place in changed.ids
    for (std::size_t m = 0; m < changed.ids.size(); ++m)
        position[changed.ids[m]] = m;

    Groups groups(changed.ids.size());
    for (std::size_t m = 0; m < changed.ids.size(); ++m)
        for (std::size_t i : near_changed.query(changed.reach[m]))
            if (position[i] > m && changed.near(ctx, m, parts[i], tolerance_m))
                groups.join(m, position[i]);

    std::vector<ChangeCluster> out;
    std::vector<std::vector<std::size_t>> context;
    std::vector<std::size_t> cluster_of(changed.ids.size(), 0);
    for (std::size_t m = 0; m < changed.ids.size(); ++m) {
        const std::size_t root = groups.root(m);
        if (root == m) { // the smallest member opens its cluster
            cluster_of[m] = out.size();
            out.emplace_back();
            out.back().before.resize(before.size());
            out.back().after.resize(after.size());
            context.emplace_back();
        } else
            cluster_of[m] = cluster_of[root];
        ChangeCluster& c = out[cluster_of[m]];
        const Part& p = parts[changed.ids[m]];
        (p.after ? c.after : c.before)[p.type].push_back(p.geom);
        for (std::size_t k : near_kept.query(changed.reach[m]))
            if (changed.near(ctx, m, parts[k], tolerance_m))
                context[cluster_of[m]].push_back(k);
    }
    for (std::size_t c = 0; c < out.size(); ++c) {
        std::vector<std::size_t>& ks = context[c];
        std::sort(ks.begin(), ks.end());
        ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
        for (std::size_t k : ks)
            (parts[k].after ? out[c].after_context : out[c].before_context)
              .push_back(parts[k].geom);
    }
    return out;
}

} // namespace landel::analysis::detail
