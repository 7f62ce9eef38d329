#pragma once
// Internal: the footprints of candidate sites ([siting], docs/siting.md): a free edge's strip or
// a corner's disc fitted into an area's rural land off what sites keep off, and the part of a
// site that closes a proposal exactly (a stretch of a strip, a smaller disc).

#include "landel/analysis/measurement/land_index.h"
#include "landel/analysis/measurement/measurement.h"
#include "landel/bid/catalogue.h"
#include "landel/geometry/boxed_land.h"
#include "landel/geometry/geos_context.h"
#include "stages/bid_stage.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

/// The land of the kinds sites keep off ([siting] along and exclude), indexed.
struct OffLand
{
    std::vector<std::string> kinds; ///< the along kinds in their order
    std::unique_ptr<analysis::LandIndex> along;
    std::unique_ptr<analysis::LandIndex> excluded;
};

/// An area's land and elements as siting needs them.
struct AreaSite
{
    geometry::BoxedLand rural;
    /// What no site may take: its elements, the land edges run along (water, roads) and the
    /// excluded land (none: within() gives nullptr everywhere).
    geometry::BoxedLand taken;
};

AreaSite area_site(const geometry::GeosContext& ctx,
                   const analysis::AreaMeasure& area,
                   const OffLand& off);

/// @p shape inside @p site's rural land, off its taken land and off @p also_off (may be
/// nullptr).
geometry::GeomPtr fitted(const geometry::GeosContext& ctx,
                         geometry::GeomPtr shape,
                         const AreaSite& site,
                         const GEOSGeometry* also_off);

/// The edge site of @p line_wkb in area @p index: the strip of @p entry's plan width along it,
/// fitted() off @p also_off (may be nullptr), its length and hectares and its construction
/// cost (the catalogue's mid cost per metre x the length; per tree or hectare x the units the
/// strip holds).
SiteCandidate edge_site(const geometry::GeosContext& ctx,
                        const bid::CatalogueEntry& entry,
                        const AreaSite& site,
                        std::size_t index,
                        const std::string& line_wkb,
                        const std::string& kind,
                        const GEOSGeometry* also_off);

/// The part of @p c from the share @p from of its hectares to the share @p to: a stretch of an
/// edge site, a ring (or the core) of a corner site.
SitePart cut(const geometry::GeosContext& ctx,
             const bid::CatalogueEntry& entry,
             const AreaSite& site,
             const SiteCandidate& c,
             double from,
             double to);

/// The footprints of @p earlier (with their @p boxes) that overlap @p shape by a positive area,
/// of the candidates @p counts accepts.
std::vector<std::string> sites_met(const geometry::GeosContext& ctx,
                                   const GEOSGeometry* shape,
                                   const std::vector<SiteCandidate>& earlier,
                                   const std::vector<Box>& boxes,
                                   const std::function<bool(const SiteCandidate&)>& counts);

} // namespace landel::pipeline::detail
