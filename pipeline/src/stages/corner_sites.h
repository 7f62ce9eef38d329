#pragma once
// Internal: field corners as candidate sites for ponds, small woods, orchards and solitary trees
// ([siting] corner_types and block_types, docs/siting.md "Field corners").

#include "landel/analysis/connectivity/connectivity.h"
#include "landel/core/box.h"
#include "landel/geometry/box_index.h"
#include "landel/pipeline/config.h"
#include "stages/bid_stage.h"
#include "stages/site_footprints.h"
#include "stages/site_types.h"

#include <memory>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

/// The parcels, decoded once per area that asks, found by their envelopes.
class ParcelIndex
{
public:
    explicit ParcelIndex(const std::vector<std::string>& parcels_wkb);

    /// The parcels whose envelopes meet @p box, in input order.
    std::vector<std::size_t> near(const Box& box) const { return m_index->query(box); }
    const std::string& wkb(std::size_t k) const { return m_wkb[k]; }

private:
    const std::vector<std::string>& m_wkb;
    std::vector<Box> m_boxes;
    std::unique_ptr<geometry::BoxIndex> m_index;
};

/// The corner sites of @p type in area @p area, after its edge sites: in every corner of a
/// parcel near the area (analysis::field_corners), the type's disc @p setback_m off the corner's
/// edges (the half-width of the area's edge strips), or its block against them, where it fits whole
/// (to 1e-6 of its area) inside its parcel and the area's rural land, off the land sites keep off,
/// the edge sites' strips and the type's earlier corner sites; appended to @p candidates with their
/// footprints' boxes in @p boxes. Sites of different corner types may share a corner.
void add_corner_sites(const geometry::GeosContext& ctx,
                      const Config& config,
                      const CornerType& type,
                      const AreaSite& site,
                      std::size_t area,
                      const ParcelIndex& parcels,
                      double setback_m,
                      std::vector<SiteCandidate>& candidates,
                      std::vector<Box>& boxes);

} // namespace landel::pipeline::detail
