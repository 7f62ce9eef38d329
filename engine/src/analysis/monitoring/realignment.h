#pragma once
// Step 4 of compare_area (change.h): the part of a raw gain or loss that is realignment
// noise. Internal, not installed.

#include "landel/core/box.h"
#include "landel/geometry/box_index.h"
#include "landel/geometry/geos_context.h"

#include <vector>

namespace landel::analysis::detail {

/// Land of less than this many m² is no land to the change: a run's owned geometry holds a
/// few collapsed slivers (1e-20 to 1e-9 m²) left by the differences that give each type its
/// land, below any figure landel writes (1e-6 ha = 0.01 m²).
constexpr double sliver_m2 = 1e-6;

/// The parts of one year's element land (EA or EB), indexed by envelope, so that the few near
/// a gain or loss are found without overlaying the whole area's elements. Parts may share
/// edges (parts of different types), never land.
class ElementParts
{
public:
    /// @p parts (polygons) must outlive this object.
    ElementParts(const geometry::GeosContext& ctx, std::vector<const GEOSGeometry*> parts);

    /// Indices of the parts whose envelope meets @p box, ascending.
    std::vector<std::size_t> near(const Box& box) const { return m_index.query(box); }

    const GEOSGeometry* part(std::size_t k) const { return m_parts[k]; }

    /// Whether @p part shares land with these parts: at least sliver_m2 of it (sharing an
    /// edge or a point is sharing none).
    bool shares_land(const geometry::GeosContext& ctx, const GEOSGeometry* part) const;

private:
    std::vector<const GEOSGeometry*> m_parts;
    geometry::BoxIndex m_index;
};

/// The part of @p raw (land of one type that appeared or disappeared) that is noise at
/// @p tolerance_m: thinner than the tolerance (what a mitre-joined opening by it removes),
/// within the tolerance of @p other (the other year's elements near the change) and outside
/// every connected part of @p own (the type's changed geometry in raw's year) that appeared or
/// disappeared whole, i.e. shares no land with @p other (ElementParts::shares_land). An empty
/// MultiPolygon when @p tolerance_m is 0.
///
/// @p own_outside is own's land outside the other year's elements (raw before any split by
/// the rural land): a part of own that keeps markedly less of its area there has shared land
/// with them, which saves an overlay per part (see shares_land_known()).
geometry::GeomPtr realignment_noise(const geometry::GeosContext& ctx,
                                    const GEOSGeometry* raw,
                                    const GEOSGeometry* own,
                                    const GEOSGeometry* own_outside,
                                    const ElementParts& other,
                                    double tolerance_m);

} // namespace landel::analysis::detail
