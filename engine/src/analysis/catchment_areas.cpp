#include "landel/analysis/catchment_areas.h"

#include "landel/core/box.h"
#include "landel/core/error.h"
#include "landel/geometry/box_index.h"
#include "landel/geometry/geos_context.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"

#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>
#include <queue>
#include <tuple>

namespace landel::analysis {

namespace {

using geometry::GeomPtr;
using geometry::GeosContext;

/// One basin after clipping; empty when it lies wholly outside the study area.
struct ClippedBasin
{
    std::int32_t label = 0;
    GeomPtr geom;
    GeomPtr boundary;
    double area_m2 = 0.0;
    Box env;
};

/// Length shared by two basin borders. Basins come from one label raster, so neighbours share
/// their cell edges exactly and the linear part of the boundaries' intersection is that border.
double shared_border(const GeosContext& ctx, const ClippedBasin& a, const ClippedBasin& b)
{
    if (!a.env.intersects(b.env))
        return 0.0;
    const GeomPtr common = ctx.own(GEOSIntersection_r(ctx.handle(), a.boundary.get(), b.boundary.get()),
                                   "catchment border");
    return geometry::length(ctx, common.get());
}

/// Union-find over basin indices; the representative is the basin that absorbed the others.
struct Groups
{
    std::vector<std::size_t> parent;
    explicit Groups(std::size_t n)
      : parent(n)
    {
        std::iota(parent.begin(), parent.end(), std::size_t{ 0 });
    }
    std::size_t find(std::size_t i)
    {
        while (parent[i] != i)
            i = parent[i] = parent[parent[i]];
        return i;
    }
};

} // namespace

CatchmentAreasResult catchment_areas(const CatchmentAreasRequest& request)
{
    const auto report = [&request](double f, const char* stage) {
        if (request.progress && !request.progress(f, stage))
            throw Cancelled();
    };
    const std::size_t n = request.downstream.size(); // labels 0..n-1; 0 is no basin
    std::vector<std::vector<const std::string*>> pieces(n);
    for (const BasinPolygon& p : request.polygons) {
        if (p.label <= 0 || std::size_t(p.label) >= n)
            throw InvalidArgument("catchment areas: basin label " + std::to_string(p.label) +
                                  " outside 1.." + std::to_string(n == 0 ? 0 : n - 1));
        pieces[std::size_t(p.label)].push_back(&p.wkb);
    }

    GeosContext main;
    GeomPtr study;
    Box study_env;
    if (!request.study_area_wkb.empty()) {
        std::vector<GeomPtr> parts;
        std::vector<const GEOSGeometry*> refs;
        for (const std::string& w : request.study_area_wkb) {
            parts.push_back(geometry::from_wkb(main, w));
            if (!geometry::is_valid(main, parts.back().get()))
                parts.back() = geometry::make_valid(main, parts.back().get());
            refs.push_back(parts.back().get());
        }
        study = geometry::polygonal_part(main, geometry::union_of(main, refs).get());
        study_env = geometry::envelope(main, study.get());
    }

    // Per basin: unite its pieces and clip it, in parallel; each worker prepares the study
    // area once (prepared geometries index lazily and are not shared between threads).
    struct Worker
    {
        GeosContext ctx;
        GeomPtr study;
        geometry::PreparedPtr prepared;
    };
    tbb::enumerable_thread_specific<Worker> workers;
    std::vector<ClippedBasin> basins(n);
    parallel::for_each_index(n, [&](std::size_t label) {
        ClippedBasin& b = basins[label];
        b.label = std::int32_t(label);
        if (pieces[label].empty())
            return;
        Worker& w = workers.local();
        const GeosContext& ctx = w.ctx;
        if (study && !w.prepared) {
            w.study = geometry::from_wkb(ctx, geometry::to_wkb(main, study.get()));
            w.prepared = ctx.own_prepared(GEOSPrepare_r(ctx.handle(), w.study.get()), "study area");
        }
        std::vector<GeomPtr> polys;
        std::vector<const GEOSGeometry*> refs;
        for (const std::string* wkb : pieces[label]) {
            polys.push_back(geometry::from_wkb(ctx, *wkb));
            refs.push_back(polys.back().get());
        }
        GeomPtr g = polys.size() == 1 ? std::move(polys.front())
                                      : geometry::polygonal_part(ctx, geometry::union_of(ctx, refs).get());
        if (study) {
            const Box env = geometry::envelope(ctx, g.get());
            if (!env.intersects(study_env))
                return;
            if (!ctx.check_predicate(GEOSPreparedContains_r(ctx.handle(), w.prepared.get(), g.get()),
                                     "catchment in study area")) {
                g = geometry::polygonal_part(ctx, geometry::intersection(ctx, g.get(), w.study.get()).get());
            }
        }
        b.area_m2 = geometry::area(ctx, g.get());
        if (b.area_m2 <= 0.0)
            return;
        b.env = geometry::envelope(ctx, g.get());
        b.boundary = ctx.own(GEOSBoundary_r(ctx.handle(), g.get()), "catchment boundary");
        // Owned by the worker's context, which outlives `basins` (declared after `workers`);
        // the merging below only reads them, from the main context.
        b.geom = std::move(g);
    });
    report(0.5, "catchments: clipping");

    CatchmentAreasResult result;
    for (std::size_t i = 1; i < n; ++i)
        if (!pieces[i].empty() && basins[i].area_m2 <= 0.0)
            ++result.clipped_away;

    // Merging, smallest first (ties: lower label); a group's area grows as it absorbs others.
    Groups groups(n);
    std::vector<double> group_area(n, 0.0);
    std::vector<std::vector<std::size_t>> members(n);
    std::vector<Box> envs(n);
    for (std::size_t i = 1; i < n; ++i) {
        group_area[i] = basins[i].area_m2;
        envs[i] = basins[i].env;
        if (basins[i].area_m2 > 0.0)
            members[i].push_back(i);
    }
    const geometry::BoxIndex index(envs);
    using Entry = std::tuple<double, std::size_t>; // (area, label): smallest area first
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    if (request.min_area_m2 > 0.0)
        for (std::size_t i = 1; i < n; ++i)
            if (basins[i].area_m2 > 0.0 && basins[i].area_m2 < request.min_area_m2)
                queue.emplace(basins[i].area_m2, i);
    while (!queue.empty()) {
        const auto [area, i] = queue.top();
        queue.pop();
        if (groups.find(i) != i || group_area[i] != area || area >= request.min_area_m2)
            continue; // absorbed, or grown since it was queued (queued again then)
        // Downstream: the first basin below with land in the study area, outside this group.
        std::size_t into = 0;
        std::size_t d = std::size_t(request.downstream[i]);
        for (std::size_t steps = 0; d != 0 && steps < n; ++steps) {
            const std::size_t r = groups.find(d);
            if (r != i && group_area[r] > 0.0) {
                into = r;
                break;
            }
            d = std::size_t(request.downstream[d]);
        }
        if (into == 0) {
            // Drains nowhere inside the study area: the neighbour with the longest border.
            std::map<std::size_t, double> borders;
            for (std::size_t m : members[i])
                for (std::size_t j : index.query(basins[m].env)) {
                    const std::size_t r = groups.find(j);
                    if (r == i)
                        continue;
                    const double len = shared_border(main, basins[m], basins[j]);
                    if (len > 0.0)
                        borders[r] += len;
                }
            double longest = 0.0;
            for (const auto& [r, len] : borders) // ascending label: ties go to the lower one
                if (len > longest) {
                    longest = len;
                    into = r;
                }
        }
        if (into == 0)
            continue; // no neighbour: it stays
        groups.parent[i] = into;
        group_area[into] += group_area[i];
        members[into].insert(members[into].end(), members[i].begin(), members[i].end());
        members[i].clear();
        ++result.merged;
        if (group_area[into] < request.min_area_m2)
            queue.emplace(group_area[into], into);
    }
    report(0.8, "catchments: merging");

    std::size_t max_label = 1;
    for (std::size_t i = 1; i < n; ++i)
        if (!members[i].empty())
            max_label = i;
    const int digits = int(std::to_string(max_label).size());
    for (std::size_t i = 1; i < n; ++i) {
        if (members[i].empty())
            continue;
        std::sort(members[i].begin(), members[i].end());
        std::vector<const GEOSGeometry*> refs;
        for (std::size_t m : members[i])
            refs.push_back(basins[m].geom.get());
        const GeomPtr merged = refs.size() == 1 ? geometry::clone(main, refs.front())
                                                : geometry::polygonal_part(main, geometry::union_of(main, refs).get());
        char id[32];
        std::snprintf(id, sizeof id, "C%0*zu", digits, i);
        AreaFeature a;
        a.id = id;
        a.name = "catchment " + std::to_string(i);
        a.cls = "catchment";
        a.wkb = geometry::to_wkb(main, merged.get());
        result.areas.push_back(std::move(a));
    }
    report(1.0, "catchments: areas");
    return result;
}

} // namespace landel::analysis
