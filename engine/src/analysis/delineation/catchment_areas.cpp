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
    // The border lies on a's boundary, so inside a's envelope: b's boundary is first cut to that
    // envelope, widened so that no border runs along the cut (a line clip is linear; the
    // overlay below would otherwise index the whole boundary of a large neighbour each time).
    const double margin = 0.01 * std::max(a.env.width(), a.env.height());
    const GeomPtr near = ctx.own(GEOSClipByRect_r(ctx.handle(),
                                                  b.boundary.get(),
                                                  a.env.xmin - margin,
                                                  a.env.ymin - margin,
                                                  a.env.xmax + margin,
                                                  a.env.ymax + margin),
                                 "catchment border near");
    const GeomPtr common =
      ctx.own(GEOSIntersection_r(ctx.handle(), a.boundary.get(), near.get()), "catchment border");
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

/// A worker's own GEOS context, with its copy of the study area prepared once (prepared
/// geometries index lazily and are not shared between threads).
struct Worker
{
    GeosContext ctx;
    GeomPtr study;
    geometry::PreparedPtr prepared;
};
using Workers = tbb::enumerable_thread_specific<Worker>;

/// Step 1: per basin label (0..n-1; 0 is no basin), its polygons.
std::vector<std::vector<const std::string*>> polygons_by_label(const CatchmentAreasRequest& request)
{
    const std::size_t n = request.downstream.size();
    std::vector<std::vector<const std::string*>> pieces(n);
    for (const BasinPolygon& p : request.polygons) {
        if (p.label <= 0 || std::size_t(p.label) >= n)
            throw InvalidArgument("catchment areas: basin label " + std::to_string(p.label) +
                                  " outside 1.." + std::to_string(n == 0 ? 0 : n - 1));
        pieces[std::size_t(p.label)].push_back(&p.wkb);
    }
    return pieces;
}

/// Step 2: the study area, united; null without study area polygons.
GeomPtr study_union(const GeosContext& main, const std::vector<std::string>& study_area_wkb)
{
    if (study_area_wkb.empty())
        return nullptr;
    std::vector<GeomPtr> parts;
    std::vector<const GEOSGeometry*> refs;
    for (const std::string& w : study_area_wkb) {
        parts.push_back(geometry::polygonal_from_wkb(main, w));
        refs.push_back(parts.back().get());
    }
    return geometry::polygonal_part(main, geometry::union_of(main, refs).get());
}

/// Step 3: per basin, its polygons united and clipped to @p study, in parallel; null for a
/// basin with no land in the study area. The geometries are owned by the workers' contexts,
/// which outlive them.
std::vector<GeomPtr> clip_basins(Workers& workers,
                                 const GeosContext& main,
                                 const std::vector<std::vector<const std::string*>>& pieces,
                                 const GeomPtr& study)
{
    const Box study_env = study ? geometry::envelope(main, study.get()) : Box();
    std::vector<GeomPtr> clipped(pieces.size());
    parallel::for_each_index(pieces.size(), [&](std::size_t label) {
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
        GeomPtr g = polys.size() == 1
                      ? std::move(polys.front())
                      : geometry::polygonal_part(ctx, geometry::union_of(ctx, refs).get());
        if (study) {
            if (!geometry::envelope(ctx, g.get()).intersects(study_env))
                return;
            if (!ctx.check_predicate(
                  GEOSPreparedContains_r(ctx.handle(), w.prepared.get(), g.get()),
                  "catchment in study area"))
                g = geometry::polygonal_part(
                  ctx, geometry::intersection(ctx, g.get(), w.study.get()).get());
        }
        if (geometry::area(ctx, g.get()) > 0.0)
            clipped[label] = std::move(g);
    });
    return clipped;
}

/// Pieces: index = label for each basin's main land; after them the orphans, land that is to
/// join a neighbour:
///  - fragments: D8 basins are 8-connected, so a basin can hold cells joined to it only at a
///    corner (or cut off by the study area's outline); every polygon of a basin but its
///    largest that is under min_area_m2 is a fragment;
///  - gaps: study-area land in no basin (DEM nodata holes, which are outlets, or land the
///    DEM does not cover).
struct PieceSet
{
    std::vector<Piece> all;
    std::size_t basins = 0;            ///< the index of the first orphan
    std::vector<std::size_t> fallback; ///< per orphan: its own basin (fragments) or 0 (gaps)
    /// No study area cut the basins: every piece is a basin's polygons or some of them, so
    /// neighbours share their borders vertex for vertex (CatchmentAreasRequest::polygons).
    bool exact_coverage = false;
};

Piece make_piece(const GeosContext& main, GeomPtr g, double m2)
{
    Piece p;
    p.env = geometry::envelope(main, g.get());
    // own() computes the boundary's envelopes, which the border measuring threads share.
    p.boundary = main.own(GEOSBoundary_r(main.handle(), g.get()), "catchment boundary");
    p.area_m2 = m2;
    p.geom = std::move(g);
    return p;
}

/// Step 4a: each basin's main land, and its fragments as orphans.
void split_fragments(const GeosContext& main,
                     std::vector<GeomPtr>& clipped,
                     double min_area_m2,
                     PieceSet& set,
                     std::vector<Piece>& orphans)
{
    for (std::size_t label = 1; label < clipped.size(); ++label) {
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
            if (k == largest || m2[k] >= min_area_m2) {
                kept.push_back(parts[k]);
                kept_m2 += m2[k];
            } else {
                orphans.push_back(make_piece(main, geometry::clone(main, parts[k]), m2[k]));
                set.fallback.push_back(label);
            }
        }
        // Parts of one valid geometry: together valid as they are, no union needed.
        GeomPtr main_land = kept.size() == parts.size() ? std::move(clipped[label])
                                                        : geometry::multipolygon_of(main, kept);
        set.all[label] = make_piece(main, std::move(main_land), kept_m2);
    }
}

/// Step 4b: the gaps, land of @p study in no piece, as orphans.
void find_gaps(const GeosContext& main,
               const GEOSGeometry* study,
               PieceSet& set,
               std::vector<Piece>& orphans)
{
    std::vector<const GEOSGeometry*> refs;
    for (const Piece& p : set.all)
        if (p.geom)
            refs.push_back(p.geom.get());
    for (const Piece& p : orphans)
        refs.push_back(p.geom.get());
    const GeomPtr covered = geometry::union_of(main, refs);
    const GeomPtr gaps =
      geometry::polygonal_part(main, geometry::difference(main, study, covered.get()).get());
    std::vector<const GEOSGeometry*> gap_parts;
    geometry::collect_parts(main, gaps.get(), gap_parts);
    // Below this a "gap" is rounding where a basin edge runs along the study area's border.
    const double negligible_m2 = 1e-9 * geometry::area(main, study);
    for (const GEOSGeometry* part : gap_parts) {
        const double m2 = geometry::area(main, part);
        if (m2 <= negligible_m2)
            continue;
        orphans.push_back(make_piece(main, geometry::clone(main, part), m2));
        set.fallback.push_back(0);
    }
}

/// Step 4: the pieces: each basin's main land, then its fragments and the gaps as orphans.
PieceSet pieces_and_orphans(const GeosContext& main,
                            std::vector<GeomPtr>& clipped,
                            const GeomPtr& study,
                            double min_area_m2)
{
    PieceSet set;
    set.basins = clipped.size();
    set.all.resize(set.basins);
    std::vector<Piece> orphans;
    split_fragments(main, clipped, min_area_m2, set, orphans);
    if (study)
        find_gaps(main, study.get(), set, orphans);
    set.exact_coverage = !study;
    for (Piece& p : orphans)
        set.all.push_back(std::move(p));
    return set;
}

/// Groups of pieces, grown by merging (steps 5 and 6).
class Merging
{
public:
    Merging(Workers& workers, const PieceSet& set, double min_area_m2)
      : m_set(set)
      , m_n(set.basins)
      , m_groups(set.all.size())
      , m_area(set.all.size(), 0.0)
      , m_members(set.all.size())
      , m_index(envelopes(set))
      , m_borders(set.all.size())
      , m_measured(set.all.size(), 0)
    {
        for (std::size_t i = 1; i < set.all.size(); ++i) {
            if (!set.all[i].geom)
                continue;
            m_area[i] = set.all[i].area_m2;
            m_members[i].push_back(i);
        }
        measure_borders(workers, min_area_m2);
    }

    /// Step 5: orphans join neighbours in passes, so one bordering only other orphans joins
    /// where they went; what never finds a placed neighbour goes back to its basin, or, for a
    /// gap, stays out of every area.
    void place_orphans(CatchmentAreasResult& result)
    {
        const std::size_t total = m_set.all.size();
        for (bool placed = true; placed;) {
            placed = false;
            for (std::size_t o = m_n; o < total; ++o)
                placed = place(o, result) || placed;
        }
        for (std::size_t o = m_n; o < total; ++o) {
            if (m_groups.find(o) != o)
                continue;
            const std::size_t own = m_set.fallback[o - m_n];
            if (own != 0 && !m_members[m_groups.find(own)].empty()) {
                absorb(m_groups.find(own), o);
            } else {
                result.uncovered_m2 += m_set.all[o].area_m2;
                m_members[o].clear();
            }
        }
    }

    /// Step 6: small catchments, smallest first (ties: lower label), merge downstream, or
    /// into the neighbour with the longest border; a group grows as it absorbs.
    void merge_small(const std::vector<std::int32_t>& downstream,
                     double min_area_m2,
                     CatchmentAreasResult& result)
    {
        using Entry = std::tuple<double, std::size_t>;
        std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
        if (min_area_m2 > 0.0)
            for (std::size_t i = 1; i < m_n; ++i)
                if (!m_members[i].empty() && m_area[i] < min_area_m2)
                    queue.emplace(m_area[i], i);
        while (!queue.empty()) {
            const auto [area, i] = queue.top();
            queue.pop();
            if (m_groups.find(i) != i || m_area[i] != area || area >= min_area_m2)
                continue; // absorbed, or grown since it was queued (queued again then)
            std::size_t into = downstream_group(downstream, i);
            // Drains nowhere inside the study area: the neighbour with the longest border.
            if (into == 0)
                into = longest_border(i);
            if (into == 0)
                continue; // no neighbour: it stays
            absorb(into, i);
            ++result.merged;
            if (m_area[into] < min_area_m2)
                queue.emplace(m_area[into], into);
        }
    }

    /// The basins that still head a group, in label order, each with its pieces.
    std::vector<std::size_t> kept() const
    {
        std::vector<std::size_t> out;
        for (std::size_t i = 1; i < m_n; ++i)
            if (!m_members[i].empty())
                out.push_back(i);
        return out;
    }
    std::vector<std::size_t>& members(std::size_t i) { return m_members[i]; }

private:
    static std::vector<Box> envelopes(const PieceSet& set)
    {
        std::vector<Box> envs(set.all.size());
        for (std::size_t i = 1; i < set.all.size(); ++i)
            if (set.all[i].geom)
                envs[i] = set.all[i].env;
        return envs;
    }

    /// Orphan @p o joins the group it shares the longest border with, if any.
    bool place(std::size_t o, CatchmentAreasResult& result)
    {
        if (m_groups.find(o) != o)
            return false;
        const std::size_t into = longest_border(o);
        if (!into)
            return false;
        if (m_set.fallback[o - m_n] == 0)
            result.gaps_m2 += m_set.all[o].area_m2;
        else
            ++result.fragments_moved;
        absorb(into, o);
        return true;
    }

    /// The first basin below @p i with land in the study area, outside i's group; 0: none.
    std::size_t downstream_group(const std::vector<std::int32_t>& downstream, std::size_t i)
    {
        std::size_t d = std::size_t(downstream[i]);
        for (std::size_t steps = 0; d != 0 && steps < m_n; ++steps) {
            const std::size_t r = m_groups.find(d);
            if (r != i && !m_members[r].empty())
                return r;
            d = std::size_t(downstream[d]);
        }
        return 0;
    }

    /// The borders of every piece that can be a member of a group longest_border() is asked
    /// about, with every piece whose envelope meets its own, in parallel (the GEOS
    /// intersections are most of the merging's work): the orphans, and the basins under
    /// @p min_area_m2 (a group under it holds no larger piece, and larger groups are never
    /// asked about).
    void measure_borders(Workers& workers, double min_area_m2)
    {
        std::vector<std::size_t> asked;
        for (std::size_t m = 1; m < m_set.all.size(); ++m) {
            const Piece& p = m_set.all[m];
            if (p.geom && (m >= m_n || p.area_m2 < min_area_m2))
                asked.push_back(m);
        }
        parallel::for_each_index(
          asked.size(),
          [&](std::size_t k) {
              const GeosContext& ctx = workers.local().ctx;
              const std::size_t m = asked[k];
              std::vector<Border>& borders = m_borders[m];
              for (std::size_t j : m_index.query(m_set.all[m].env))
                  if (j != m)
                      borders.push_back({ j, shared_border(ctx, m_set.all[m], m_set.all[j]) });
              borders.shrink_to_fit();
              m_measured[m] = 1;
          },
          8);
    }

    /// The basin group with the longest border with group i's pieces (ties: the lower
    /// label); 0 when none shares a border. Orphans not yet placed are not neighbours.
    std::size_t longest_border(std::size_t i)
    {
        std::map<std::size_t, double> borders;
        for (std::size_t m : m_members[i]) {
            if (!m_measured[m])
                throw Error("catchment areas: the borders of piece " + std::to_string(m) +
                            " were not measured");
            for (const auto& [j, len] : m_borders[m]) {
                const std::size_t r = m_groups.find(j);
                if (r == i || r >= m_n || m_members[r].empty())
                    continue;
                if (len > 0.0)
                    borders[r] += len;
            }
        }
        std::size_t into = 0;
        double longest = 0.0;
        for (const auto& [r, len] : borders)
            if (len > longest) {
                longest = len;
                into = r;
            }
        return into;
    }

    void absorb(std::size_t into, std::size_t i)
    {
        m_groups.parent[i] = into;
        m_area[into] += m_area[i];
        m_members[into].insert(m_members[into].end(), m_members[i].begin(), m_members[i].end());
        m_members[i].clear();
    }

    /// A neighbouring piece and the length of the border shared with it.
    struct Border
    {
        std::size_t piece;
        double length;
    };

    const PieceSet& m_set;
    const std::size_t m_n; ///< basins; pieces from here on are orphans
    Groups m_groups;
    std::vector<double> m_area;                      ///< per group head
    std::vector<std::vector<std::size_t>> m_members; ///< per group head: its pieces
    const geometry::BoxIndex m_index;                ///< the pieces' envelopes
    std::vector<std::vector<Border>> m_borders;      ///< per piece: see measure_borders()
    std::vector<std::uint8_t> m_measured;            ///< per piece: m_borders[piece] is set
};

/// Step 7: each catchment as one geometry, in parallel, with its id and name.
void catchment_features(Workers& workers,
                        const PieceSet& set,
                        Merging& merging,
                        CatchmentAreasResult& result)
{
    const std::vector<std::size_t> kept = merging.kept();
    std::vector<std::string> wkb(kept.size());
    parallel::for_each_index(kept.size(), [&](std::size_t k) {
        const GeosContext& ctx = workers.local().ctx;
        std::vector<std::size_t>& m = merging.members(kept[k]);
        std::sort(m.begin(), m.end());
        std::vector<const GEOSGeometry*> refs;
        for (std::size_t p : m)
            refs.push_back(set.all[p].geom.get());
        const GeomPtr g =
          refs.size() == 1 ? geometry::clone(ctx, refs.front())
          : set.exact_coverage
            ? geometry::polygonal_part(ctx, geometry::coverage_union(ctx, refs).get())
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
}

} // namespace

CatchmentAreasResult catchment_areas(const CatchmentAreasRequest& request)
{
    const Progress& progress = request.progress;
    // 1. The basins' polygons by label.
    const std::vector<std::vector<const std::string*>> pieces = polygons_by_label(request);

    // 2.-3. The study area, and every basin clipped to it.
    GeosContext main;
    const GeomPtr study = study_union(main, request.study_area_wkb);
    Workers workers; // declared before the geometries its contexts own
    std::vector<GeomPtr> clipped = clip_basins(workers, main, pieces, study);
    report_progress(progress, 0.4, "catchments: clipping");

    CatchmentAreasResult result;
    for (std::size_t i = 1; i < pieces.size(); ++i)
        if (!pieces[i].empty() && !clipped[i])
            ++result.clipped_away;

    // 4.-5. Fragments and gaps, placed with their neighbours.
    const PieceSet set = pieces_and_orphans(main, clipped, study, request.min_area_m2);
    Merging merging(workers, set, request.min_area_m2);
    merging.place_orphans(result);
    report_progress(progress, 0.6, "catchments: gaps and fragments");

    // 6. Small catchments merged.
    merging.merge_small(request.downstream, request.min_area_m2, result);
    report_progress(progress, 0.8, "catchments: merging");

    // 7. The areas.
    catchment_features(workers, set, merging, result);
    report_progress(progress, 1.0, "catchments: areas");
    return result;
}

} // namespace landel::analysis
