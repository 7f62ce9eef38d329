#include "landel/analysis/delineation/catchment_areas.h"

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

/// Land of one basin, or an orphan to join a neighbour (see catchment_areas()).
struct Piece
{
    GeomPtr geom; ///< empty: no land (a basin wholly outside the study area)
    GeomPtr boundary;
    double area_m2 = 0.0;
    Box env;
};

/// Length shared by two basin borders. Basins come from one label raster, so neighbours share
/// their cell edges exactly and the linear part of the boundaries' intersection is that border.
double shared_border(const GeosContext& ctx, const Piece& a, const Piece& b)
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
            parts.push_back(geometry::polygonal_from_wkb(main, w));
            refs.push_back(parts.back().get());
        }
        study = geometry::polygonal_part(main, geometry::union_of(main, refs).get());
        study_env = geometry::envelope(main, study.get());
    }

    // Per basin: unite its polygons and clip it, in parallel; each worker prepares the study
    // area once (prepared geometries index lazily and are not shared between threads).
    struct Worker
    {
        GeosContext ctx;
        GeomPtr study;
        geometry::PreparedPtr prepared;
    };
    tbb::enumerable_thread_specific<Worker> workers;
    std::vector<GeomPtr> clipped(n);
    parallel::for_each_index(n, [&](std::size_t label) {
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
            if (!geometry::envelope(ctx, g.get()).intersects(study_env))
                return;
            if (!ctx.check_predicate(GEOSPreparedContains_r(ctx.handle(), w.prepared.get(), g.get()),
                                     "catchment in study area"))
                g = geometry::polygonal_part(ctx, geometry::intersection(ctx, g.get(), w.study.get()).get());
        }
        if (geometry::area(ctx, g.get()) > 0.0)
            clipped[label] = std::move(g); // owned by the worker's context, which outlives it
    });
    report(0.4, "catchments: clipping");

    CatchmentAreasResult result;
    for (std::size_t i = 1; i < n; ++i)
        if (!pieces[i].empty() && !clipped[i])
            ++result.clipped_away;

    // Pieces: index = label for each basin's main land; after them the orphans, land that
    // is to join a neighbour:
    //  - fragments: D8 basins are 8-connected, so a basin can hold cells joined to it only at
    //    a corner (or cut off by the study area's outline); every polygon of a basin but its
    //    largest that is under min_area_m2 is a fragment;
    //  - gaps: study-area land in no basin (DEM nodata holes, which are outlets, or land the
    //    DEM does not cover).
    std::vector<Piece> all(n);
    std::vector<std::size_t> fallback; // per orphan: its own basin (fragments) or 0 (gaps)
    const auto make_piece = [&main](GeomPtr g, double m2) {
        Piece p;
        p.env = geometry::envelope(main, g.get());
        p.boundary = main.own(GEOSBoundary_r(main.handle(), g.get()), "catchment boundary");
        p.area_m2 = m2;
        p.geom = std::move(g);
        return p;
    };
    std::vector<Piece> orphans;
    for (std::size_t label = 1; label < n; ++label) {
        if (!clipped[label])
            continue;
        std::vector<const GEOSGeometry*> parts;
        geometry::collect_parts(main, clipped[label].get(), parts);
        std::vector<double> m2(parts.size());
        std::size_t largest = 0;
        for (std::size_t k = 0; k < parts.size(); ++k) {
            m2[k] = geometry::area(main, parts[k]);
            if (m2[k] > m2[largest])
                largest = k;
        }
        std::vector<const GEOSGeometry*> kept;
        double kept_m2 = 0.0;
        for (std::size_t k = 0; k < parts.size(); ++k) {
            if (k == largest || m2[k] >= request.min_area_m2) {
                kept.push_back(parts[k]);
                kept_m2 += m2[k];
            } else {
                orphans.push_back(make_piece(geometry::clone(main, parts[k]), m2[k]));
                fallback.push_back(label);
            }
        }
        GeomPtr main_land = kept.size() == parts.size() ? std::move(clipped[label])
                                                        : geometry::union_of(main, kept);
        all[label] = make_piece(std::move(main_land), kept_m2);
    }
    if (study) {
        std::vector<const GEOSGeometry*> refs;
        for (const Piece& p : all)
            if (p.geom)
                refs.push_back(p.geom.get());
        for (const Piece& p : orphans)
            refs.push_back(p.geom.get());
        const GeomPtr covered = geometry::union_of(main, refs);
        const GeomPtr gaps =
          geometry::polygonal_part(main, geometry::difference(main, study.get(), covered.get()).get());
        std::vector<const GEOSGeometry*> gap_parts;
        geometry::collect_parts(main, gaps.get(), gap_parts);
        // Below this a "gap" is rounding where a basin edge runs along the study area's border.
        const double negligible_m2 = 1e-9 * geometry::area(main, study.get());
        for (const GEOSGeometry* part : gap_parts) {
            const double m2 = geometry::area(main, part);
            if (m2 <= negligible_m2)
                continue;
            orphans.push_back(make_piece(geometry::clone(main, part), m2));
            fallback.push_back(0);
        }
    }
    const std::size_t total = n + orphans.size();
    for (Piece& p : orphans)
        all.push_back(std::move(p));

    Groups groups(total);
    std::vector<double> group_area(total, 0.0);
    std::vector<std::vector<std::size_t>> members(total);
    std::vector<Box> envs(total);
    for (std::size_t i = 1; i < total; ++i) {
        if (!all[i].geom)
            continue;
        group_area[i] = all[i].area_m2;
        envs[i] = all[i].env;
        members[i].push_back(i);
    }
    const geometry::BoxIndex index(envs);

    // The basin group with the longest border with group i's pieces (ties: the lower label);
    // 0 when none shares a border. Orphans not yet placed are not neighbours.
    const auto longest_border = [&](std::size_t i) {
        std::map<std::size_t, double> borders;
        for (std::size_t m : members[i])
            for (std::size_t j : index.query(all[m].env)) {
                const std::size_t r = groups.find(j);
                if (r == i || r >= n || members[r].empty())
                    continue;
                const double len = shared_border(main, all[m], all[j]);
                if (len > 0.0)
                    borders[r] += len;
            }
        std::size_t into = 0;
        double longest = 0.0;
        for (const auto& [r, len] : borders)
            if (len > longest) {
                longest = len;
                into = r;
            }
        return into;
    };
    const auto absorb = [&](std::size_t into, std::size_t i) {
        groups.parent[i] = into;
        group_area[into] += group_area[i];
        members[into].insert(members[into].end(), members[i].begin(), members[i].end());
        members[i].clear();
    };

    // Orphans join neighbours in passes, so one bordering only other orphans joins where they
    // went; what never finds a placed neighbour goes back to its basin, or, for a gap, stays
    // out of every area.
    for (bool placed = true; placed;) {
        placed = false;
        for (std::size_t o = n; o < total; ++o) {
            if (groups.find(o) != o)
                continue;
            if (const std::size_t into = longest_border(o)) {
                if (fallback[o - n] == 0)
                    result.gaps_m2 += all[o].area_m2;
                else
                    ++result.fragments_moved;
                absorb(into, o);
                placed = true;
            }
        }
    }
    for (std::size_t o = n; o < total; ++o) {
        if (groups.find(o) != o)
            continue;
        if (fallback[o - n] != 0 && !members[groups.find(fallback[o - n])].empty()) {
            absorb(groups.find(fallback[o - n]), o);
        } else {
            result.uncovered_m2 += all[o].area_m2;
            members[o].clear();
        }
    }
    report(0.6, "catchments: gaps and fragments");

    // Small catchments, smallest first (ties: lower label); a group grows as it absorbs.
    using Entry = std::tuple<double, std::size_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    if (request.min_area_m2 > 0.0)
        for (std::size_t i = 1; i < n; ++i)
            if (!members[i].empty() && group_area[i] < request.min_area_m2)
                queue.emplace(group_area[i], i);
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
            if (r != i && !members[r].empty()) {
                into = r;
                break;
            }
            d = std::size_t(request.downstream[d]);
        }
        // Drains nowhere inside the study area: the neighbour with the longest border.
        if (into == 0)
            into = longest_border(i);
        if (into == 0)
            continue; // no neighbour: it stays
        absorb(into, i);
        ++result.merged;
        if (group_area[into] < request.min_area_m2)
            queue.emplace(group_area[into], into);
    }
    report(0.8, "catchments: merging");

    // Each catchment as one geometry, in parallel.
    std::vector<std::size_t> kept;
    for (std::size_t i = 1; i < n; ++i)
        if (!members[i].empty())
            kept.push_back(i);
    std::vector<std::string> wkb(kept.size());
    parallel::for_each_index(kept.size(), [&](std::size_t k) {
        const GeosContext& ctx = workers.local().ctx;
        std::vector<std::size_t>& m = members[kept[k]];
        std::sort(m.begin(), m.end());
        std::vector<const GEOSGeometry*> refs;
        for (std::size_t p : m)
            refs.push_back(all[p].geom.get());
        const GeomPtr g = refs.size() == 1 ? geometry::clone(ctx, refs.front())
                                           : geometry::polygonal_part(ctx, geometry::union_of(ctx, refs).get());
        wkb[k] = geometry::to_wkb(ctx, g.get());
    });

    const int digits = int(std::to_string(kept.empty() ? 1 : kept.back()).size());
    for (std::size_t k = 0; k < kept.size(); ++k) {
        char id[32];
        std::snprintf(id, sizeof id, "C%0*zu", digits, kept[k]);
        AreaFeature a;
        a.id = id;
        a.name = "catchment " + std::to_string(kept[k]);
        a.cls = "catchment";
        a.wkb = std::move(wkb[k]);
        result.areas.push_back(std::move(a));
    }
    report(1.0, "catchments: areas");
    return result;
}

} // namespace landel::analysis
