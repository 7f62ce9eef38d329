#include "landel/analysis/monitoring/change.h"

#include "change_stages.h"
#include "landel/core/error.h"
#include "landel/geometry/contexts.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"
#include "landel/parallel/progress_counter.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace landel::analysis {

using geometry::GeomPtr;
using geometry::GeosContext;

namespace {

GeomPtr polygons_or_empty(const GeosContext& ctx, const std::string& wkb)
{
    return wkb.empty() ? geometry::empty_multipolygon(ctx) : geometry::polygonal_from_wkb(ctx, wkb);
}

std::vector<GeomPtr> owned_of(const GeosContext& ctx, const AreaYear& year)
{
    std::vector<GeomPtr> out;
    for (const std::string& wkb : year.owned_wkb)
        out.push_back(polygons_or_empty(ctx, wkb));
    return out;
}

/// The parts collected from the clusters as one MultiPolygon's WKB, "" when none. Parts of
/// different clusters lie apart, so no union is needed.
std::string wkb_of(const GeosContext& ctx, const std::vector<GeomPtr>& parts)
{
    std::vector<const GEOSGeometry*> polygons;
    for (const GeomPtr& g : parts)
        geometry::collect_parts(ctx, g.get(), polygons);
    if (polygons.empty())
        return std::string();
    return geometry::to_wkb(ctx, geometry::multipolygon_of(ctx, polygons).get());
}

void check_inputs(const AreaYear& before, const AreaYear& after, const ChangeOptions& options)
{
    if (before.owned_wkb.size() != after.owned_wkb.size())
        throw InvalidArgument("change: the run of " + std::to_string(before.year) + " has " +
                              std::to_string(before.owned_wkb.size()) +
                              " element types, the run of " + std::to_string(after.year) + " has " +
                              std::to_string(after.owned_wkb.size()));
    if (before.year >= after.year)
        throw InvalidArgument("change: the earlier run's year " + std::to_string(before.year) +
                              " is not before the later run's year " + std::to_string(after.year));
    if (!(options.tolerance_m >= 0.0) || !std::isfinite(options.tolerance_m))
        throw InvalidArgument("change: tolerance_m must be a finite number >= 0");
}

} // namespace

namespace {

/// One area in one year, its WKB decoded (and made valid where it is not) once for every pair
/// of years it is in: decoding and the validity check were a tenth of a comparison.
struct DecodedYear
{
    std::vector<GeomPtr> owned;
    GeomPtr rural;
};

DecodedYear decode(const GeosContext& ctx, const AreaYear& year)
{
    return { owned_of(ctx, year), polygons_or_empty(ctx, year.rural_wkb) };
}

AreaChange compare_decoded(const GeosContext& ctx,
                           const DecodedYear& before,
                           const DecodedYear& after,
                           const ChangeOptions& options)
{
    const std::vector<GeomPtr>& a = before.owned;
    const std::vector<GeomPtr>& b = after.owned;
    const detail::LaterRuralLand rural(ctx, after.rural.get());

    // Steps 1 to 4 cluster by cluster (change_stages.h), in a fixed order.
    detail::ChangeParts parts;
    parts.types.resize(a.size());
    for (const detail::ChangeCluster& c : detail::change_clusters(ctx, a, b, options.tolerance_m))
        detail::cluster_change(ctx, c, rural, options.tolerance_m, parts);

    AreaChange out;
    for (std::size_t t = 0; t < a.size(); ++t) {
        detail::TypeParts& p = parts.types[t];
        TypeChange c;
        // Step 5, on the whole geometry.
        c.before_ha = geometry::area(ctx, a[t].get()) / 1e4;
        c.after_ha = geometry::area(ctx, b[t].get()) / 1e4;
        c.net_ha = c.after_ha - c.before_ha;
        c.gained_ha = p.gained_ha;
        c.lost_ha = p.lost_ha;
        c.masked_ha = p.masked_ha;
        c.realigned_gained_ha = p.realigned_gained_ha;
        c.realigned_lost_ha = p.realigned_lost_ha;
        c.realigned_ha = c.realigned_gained_ha + c.realigned_lost_ha;
        c.gained_wkb = wkb_of(ctx, p.gained);
        c.lost_wkb = wkb_of(ctx, p.lost);
        c.masked_wkb = wkb_of(ctx, p.masked);
        c.realigned_wkb = wkb_of(ctx, p.realigned);
        out.types.push_back(std::move(c));
    }
    for (const auto& [from_to, r] : parts.reclassified)
        if (!r.parts.empty())
            out.reclassified.push_back(
              { from_to.first, from_to.second, r.ha, wkb_of(ctx, r.parts) });
    return out;
}

} // namespace

AreaChange compare_area(const GeosContext& ctx,
                        const AreaYear& before,
                        const AreaYear& after,
                        const ChangeOptions& options)
{
    check_inputs(before, after, options);
    return compare_decoded(ctx, decode(ctx, before), decode(ctx, after), options);
}

std::vector<AreaChange> compare_areas(const std::vector<AreaYear>& before,
                                      const std::vector<AreaYear>& after,
                                      const ChangeOptions& options,
                                      const Progress& progress)
{
    if (before.size() != after.size())
        throw InvalidArgument("change: " + std::to_string(before.size()) +
                              " areas in the earlier run, " + std::to_string(after.size()) +
                              " in the later one");
    geometry::Contexts contexts;
    std::vector<AreaChange> out(before.size());
    parallel::ProgressCounter counter(progress, 0.0, 1.0, before.size(), "change");
    parallel::for_each_index(before.size(), [&](std::size_t i) {
        try {
            out[i] = compare_area(contexts.local(), before[i], after[i], options);
        } catch (const Error& e) {
            e.rethrow_with("area at index " + std::to_string(i) + ": " + e.what());
        }
        counter.step();
    });
    return out;
}

std::vector<std::vector<AreaChange>> compare_pairs(
  const std::vector<std::vector<AreaYear>>& years,
  const std::vector<std::pair<std::size_t, std::size_t>>& pairs,
  const ChangeOptions& options,
  const Progress& progress)
{
    const std::size_t areas = years.empty() ? 0 : years.front().size();
    for (const std::vector<AreaYear>& y : years)
        if (y.size() != areas)
            throw InvalidArgument("change: the years hold " + std::to_string(areas) + " and " +
                                  std::to_string(y.size()) + " areas");
    for (const auto& [from, to] : pairs)
        if (from >= years.size() || to >= years.size())
            throw InvalidArgument("change: a pair names year position " +
                                  std::to_string(std::max(from, to)) + " of " +
                                  std::to_string(years.size()));
    geometry::Contexts contexts;
    std::vector<std::vector<AreaChange>> out(pairs.size(), std::vector<AreaChange>(areas));
    parallel::ProgressCounter counter(progress, 0.0, 1.0, areas, "change");
    // One task per area: each of its years is decoded once for all the pairs it is in.
    parallel::for_each_index(areas, [&](std::size_t i) {
        const GeosContext& ctx = contexts.local();
        std::vector<std::optional<DecodedYear>> decoded(years.size());
        const auto year = [&](std::size_t y) -> const DecodedYear& {
            if (!decoded[y])
                decoded[y] = decode(ctx, years[y][i]);
            return *decoded[y];
        };
        for (std::size_t p = 0; p < pairs.size(); ++p) {
            const AreaYear& before = years[pairs[p].first][i];
            const AreaYear& after = years[pairs[p].second][i];
            try {
                check_inputs(before, after, options);
                out[p][i] =
                  compare_decoded(ctx, year(pairs[p].first), year(pairs[p].second), options);
            } catch (const Error& e) {
                e.rethrow_with("area at index " + std::to_string(i) + ", " +
                               std::to_string(before.year) + " -> " + std::to_string(after.year) +
                               ": " + e.what());
            }
        }
        counter.step();
    });
    return out;
}

} // namespace landel::analysis
