#pragma once
// Internal: a reprojection whose PROJ pipeline is known, so that it can be recorded.

#include "landel/core/box.h"
#include "landel/io/crs.h"

#include <memory>
#include <string>

class OGRGeometry;
class OGRCoordinateTransformation;

namespace landel::io {

class CrsTransform
{
public:
    /// Picks PROJ's preferred operation from @p from to @p to (grids that are not installed
    /// are skipped) and makes OGR use exactly that one. Throws IoError naming @p what.
    CrsTransform(const Crs& from, const Crs& to, const std::string& what);
    ~CrsTransform();
    CrsTransform(const CrsTransform&) = delete;
    CrsTransform& operator=(const CrsTransform&) = delete;

    /// The PROJ pipeline applied, as a PROJ string.
    const std::string& pipeline() const { return m_pipeline; }

    /// Reprojects in place; throws IoError naming @p what when a point cannot be transformed.
    void apply(OGRGeometry& geometry, const std::string& what) const;

    /// A box in the source CRS holding @p box of the target CRS (its edges densified, so a
    /// curved image of an edge stays inside). Throws IoError naming @p what.
    Box source_box_of(const Box& box, const std::string& what) const;

    /// A box in the target CRS holding @p box of the source CRS (edges densified). Throws
    /// IoError naming @p what.
    Box target_box_of(const Box& box, const std::string& what) const;

private:
    std::string m_pipeline;
    std::unique_ptr<OGRCoordinateTransformation> m_ct;
};

} // namespace landel::io
