#pragma once
// Step 4 of compare_area (change.h): the part of a raw gain or loss that is realignment
// noise. Internal, not installed.

#include "landel/core/box.h"
#include "landel/geometry/box_index.h"
#include "landel/geometry/geos_context.h"

#include <vector>

namespace landel::analysis::detail {

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

private:
    std::vector<const GEOSGeometry*> m_parts;
    geometry::BoxIndex m_index;
};

/// The part of @p raw (land of one type that appeared or disappeared) that is noise at
/// @p tolerance_m: thinner than the tolerance (what a mitre-joined opening by it removes),
/// within the tolerance of @p other (the other year's elements) and outside every connected
/// part of @p own (the type's geometry in raw's year) that appeared or disappeared whole,
/// i.e. lies inside @p vanished (own minus the other year's elements, which holds raw). An
/// empty MultiPolygon when @p tolerance_m is 0.
geometry::GeomPtr realignment_noise(const geometry::GeosContext& ctx,
                                    const GEOSGeometry* raw,
                                    const GEOSGeometry* own,
                                    const GEOSGeometry* vanished,
                                    const ElementParts& other,
                                    double tolerance_m);

} // namespace landel::analysis::detail
