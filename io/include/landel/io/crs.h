#pragma once
/// @file crs.h
/// Coordinate reference systems, compared for equivalence (never as strings).

#include <memory>
#include <string>

class OGRSpatialReference;

namespace landel::io {

class Crs
{
public:
    /// Parses anything GDAL accepts ("EPSG:28992", WKT, PROJ strings); traditional GIS axis
    /// order (x = easting/longitude). Throws IoError naming @p what when it cannot.
    static Crs from_user_input(const std::string& text, const std::string& what);
    /// Copies a layer's or dataset's CRS.
    static Crs from_srs(const OGRSpatialReference& srs);

    Crs(const Crs& other);
    Crs& operator=(const Crs& other);
    Crs(Crs&&) noexcept;
    Crs& operator=(Crs&&) noexcept;
    ~Crs();

    /// Equivalent CRSs (OGRSpatialReference::IsSame with default criteria).
    bool same_as(const Crs& other) const;

    /// Throws IoError (naming @p what) unless this is a projected CRS in metres that is not
    /// a Mercator variant (Web Mercator areas are ~2.6x too large in the Netherlands).
    void require_projected_metres(const std::string& what) const;

    /// "EPSG:28992 (Amersfoort / RD New)", or the name alone.
    std::string describe() const;

    /// WKT2 text.
    std::string wkt() const;

    const OGRSpatialReference& srs() const { return *m_srs; }

private:
    Crs();
    std::unique_ptr<OGRSpatialReference> m_srs;
};

} // namespace landel::io
