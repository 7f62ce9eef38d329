#include "landel/geometry/box_index.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"
#include "landel/parallel/progress_counter.h"
#include "overlay_stages.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace landel::analysis::detail {

using geometry::GeomPtr;
using geometry::GeosContext;

namespace {

/// Borders whose lengths differ by less than this share of the longer one count as equal: the
/// same border summed over its segments in another order can differ in the last bits.
constexpr double border_tolerance = 1e-9;

/// Length of the border two parts share: the linear part of the intersection of their
/// boundaries. Every shared segment lies in both envelopes, so both boundaries are first
/// clipped to (a slightly grown) common box: a large part's boundary is then not overlaid
/// whole for each of its small neighbours.
double shared_border(const GeosContext& ctx,
                     const GEOSGeometry* boundary_a,
                     const Box& env_a,
                     const GEOSGeometry* boundary_b,
                     const Box& env_b)
{
    Box common{ std::max(env_a.xmin, env_b.xmin),
                std::max(env_a.ymin, env_b.ymin),
                std::min(env_a.xmax, env_b.xmax),
                std::min(env_a.ymax, env_b.ymax) };
    if (common.empty())
        return 0.0;
    // Grown so that segments along the box's edges lie inside the clip rectangle, not on it.
    const double grow =
      1e-3 * std::max({ env_a.width(), env_a.height(), env_b.width(), env_b.height() }) + 1e-6;
    const auto clip = [&](const GEOSGeometry* boundary) {
        return ctx.own(GEOSClipByRect_r(ctx.handle(),
                                        boundary,
                                        common.xmin - grow,
                                        common.ymin - grow,
                                        common.xmax + grow,
                                        common.ymax + grow),
                       "clip by rectangle");
    };
    const GeomPtr a = clip(boundary_a);
    if (geometry::is_empty(ctx, a.get()))
        return 0.0;
    const GeomPtr b = clip(boundary_b);
    if (geometry::is_empty(ctx, b.get()))
        return 0.0;
    // Points where the parts only touch have no length.
    return geometry::length(ctx, geometry::intersection(ctx, a.get(), b.get()).get());
}

/// A part, or a part with the parts merged into it, during merging.
struct Node
{
    double area_m2 = 0.0;
    LowVertex low;
    std::size_t cls = 0;
    std::map<std::size_t, double> borders; ///< neighbour -> shared length; only lengths > 0
    std::vector<std::size_t> members;
    bool alive = true;
};

/// Queue order: smallest area first, then lowest vertex, then the content-defined index.
using QueueKey = std::tuple<double, double, double, std::size_t>;

} // namespace

MergedParts merge_small_parts(Contexts& contexts,
                              const std::vector<OverlayPart>& parts,
                              double min_area_m2,
                              const Progress& progress,
                              double from,
                              double to)
{
    const std::size_t n = parts.size();
    std::vector<Node> nodes(n);
    std::vector<std::size_t> small;
    for (std::size_t i = 0; i < n; ++i) {
        nodes[i].area_m2 = parts[i].area_m2;
        nodes[i].low = parts[i].low;
        nodes[i].cls = parts[i].cls;
        nodes[i].members = { i };
        if (parts[i].area_m2 < min_area_m2)
            small.push_back(i);
    }

    // Borders are measured only for pairs with a small part: parts at or over the limit never
    // choose a neighbour, and one that absorbs a small part inherits that part's borders
    // (borders add up: the merged pieces are disjoint).
    if (!small.empty()) {
        std::vector<Box> envs;
        for (const OverlayPart& p : parts)
            envs.push_back(p.env);
        const geometry::BoxIndex index(envs);
        std::vector<char> is_small(n, 0), needs_boundary(n, 0);
        std::vector<std::vector<std::size_t>> candidates(small.size());
        for (std::size_t k = 0; k < small.size(); ++k) {
            is_small[small[k]] = 1;
            candidates[k] = index.query(envs[small[k]]);
            for (std::size_t j : candidates[k])
                needs_boundary[j] = 1;
        }
        std::vector<GeomPtr> boundaries(n);
        parallel::for_each_index(n, [&](std::size_t i) {
            if (!needs_boundary[i])
                return;
            const GeosContext& ctx = contexts.local();
            boundaries[i] = ctx.own(GEOSBoundary_r(ctx.handle(), parts[i].geom.get()), "boundary");
        });

        parallel::ProgressCounter counter(progress, from, to, small.size(), "overlay: borders");
        std::vector<std::vector<std::pair<std::size_t, double>>> found(small.size());
        parallel::for_each_index(small.size(), [&](std::size_t k) {
            const GeosContext& ctx = contexts.local();
            const std::size_t i = small[k];
            for (std::size_t j : candidates[k]) {
                // A pair of small parts is measured once, by the task of the lower index.
                if (j == i || (is_small[j] && j < i))
                    continue;
                const double len =
                  shared_border(ctx, boundaries[i].get(), envs[i], boundaries[j].get(), envs[j]);
                if (len > 0.0)
                    found[k].emplace_back(j, len);
            }
            counter.step();
        });
        for (std::size_t k = 0; k < small.size(); ++k)
            for (const auto& [j, len] : found[k]) {
                nodes[small[k]].borders[j] = len;
                nodes[j].borders[small[k]] = len;
            }
    }

    const auto key = [&nodes](std::size_t i) {
        return QueueKey{ nodes[i].area_m2, nodes[i].low.x, nodes[i].low.y, i };
    };
    // Moves everything of `from` into `into`; the borders of both with any third part add up.
    const auto absorb = [&nodes](std::size_t into, std::size_t from_part) {
        Node& q = nodes[into];
        Node& p = nodes[from_part];
        for (const auto& [r, len] : p.borders) {
            if (r == into)
                continue;
            q.borders[r] += len;
            nodes[r].borders[into] += len;
            nodes[r].borders.erase(from_part);
        }
        q.borders.erase(from_part);
        q.area_m2 += p.area_m2;
        q.low = std::min(q.low, p.low);
        q.members.insert(q.members.end(), p.members.begin(), p.members.end());
        p = Node{};
        p.alive = false;
    };

    MergedParts out;
    std::set<QueueKey> queue;
    for (std::size_t i : small)
        queue.insert(key(i));
    while (!queue.empty()) {
        const std::size_t p = std::get<3>(*queue.begin());
        queue.erase(queue.begin());
        double longest = 0.0;
        for (const auto& entry : nodes[p].borders)
            longest = std::max(longest, entry.second);
        if (longest <= 0.0)
            continue; // no neighbour: the part stays as it is
        std::size_t target = n;
        for (const auto& [r, len] : nodes[p].borders) {
            if (len < longest * (1.0 - border_tolerance))
                continue;
            if (target == n || nodes[r].low < nodes[target].low ||
                (nodes[r].low == nodes[target].low && r < target))
                target = r;
        }
        queue.erase(key(target));
        absorb(target, p);
        ++out.merged;
        // Same-class parts that now share a border with the target are one connected
        // component of that class. Only parts that bordered p can be new neighbours, and none
        // of them borders a same-class part, so this settles it.
        for (;;) {
            std::size_t same = n;
            for (const auto& entry : nodes[target].borders)
                if (nodes[entry.first].cls == nodes[target].cls) {
                    same = entry.first;
                    break;
                }
            if (same == n)
                break;
            queue.erase(key(same));
            absorb(target, same);
        }
        if (nodes[target].area_m2 < min_area_m2)
            queue.insert(key(target));
    }

    for (std::size_t i = 0; i < n; ++i)
        if (nodes[i].alive)
            out.groups.push_back(std::move(nodes[i].members));
    return out;
}

} // namespace landel::analysis::detail
