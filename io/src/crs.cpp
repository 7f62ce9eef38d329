#include "landel/io/crs.h"

#include "cpl_text.h"
#include "landel/io/error.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <ogr_spatialref.h>

#include <cstring>

namespace landel::io {

Crs::Crs()
  : m_srs(std::make_unique<OGRSpatialReference>())
{
    m_srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
}

Crs Crs::from_user_input(const std::string& text, const std::string& what)
{
    Crs crs;
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    const OGRErr err = crs.m_srs->SetFromUserInput(
      text.c_str(), OGRSpatialReference::SET_FROM_USER_INPUT_LIMITATIONS_get());
    CPLPopErrorHandler();
    if (err != OGRERR_NONE)
        throw IoError(what + ": cannot interpret CRS '" + text + "'");
    return crs;
}

Crs Crs::from_srs(const OGRSpatialReference& srs)
{
    Crs crs;
    *crs.m_srs = srs;
    crs.m_srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return crs;
}

Crs::Crs(const Crs& other)
  : m_srs(std::make_unique<OGRSpatialReference>(*other.m_srs))
{
    m_srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
}

Crs& Crs::operator=(const Crs& other)
{
    if (this != &other) {
        *m_srs = *other.m_srs;
        m_srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    }
    return *this;
}

Crs::Crs(Crs&&) noexcept = default;
Crs& Crs::operator=(Crs&&) noexcept = default;
Crs::~Crs() = default;

bool Crs::same_as(const Crs& other) const
{
    return m_srs->IsSame(other.m_srs.get()) != 0;
}

void Crs::require_projected_metres(const std::string& what) const
{
    if (!m_srs->IsProjected())
        throw IoError(what + ": " + describe() +
                      " is not a projected CRS; landel measures planar areas in metres");
    const double to_metre = m_srs->GetLinearUnits();
    if (std::abs(to_metre - 1.0) > 1e-12)
        throw IoError(what + ": " + describe() + " does not have metres as its unit");
    const char* method = m_srs->GetAttrValue("PROJECTION");
    const bool mercator = method && std::strstr(method, "Mercator") != nullptr &&
                          std::strstr(method, "Transverse") == nullptr;
    if (mercator)
        throw IoError(what + ": " + describe() +
                      " is a Mercator projection whose areas are wrong by a factor ~2.6 in the "
                      "Netherlands; use a local projected CRS such as EPSG:28992");
}

std::string Crs::describe() const
{
    const char* name = m_srs->GetName();
    const char* auth = m_srs->GetAuthorityName(nullptr);
    const char* code = m_srs->GetAuthorityCode(nullptr);
    std::string out;
    if (auth && code)
        out = std::string(auth) + ":" + code;
    if (name)
        out += out.empty() ? std::string(name) : " (" + std::string(name) + ")";
    return out.empty() ? "unnamed CRS" : out;
}

std::string Crs::wkt() const
{
    char* text = nullptr;
    const char* options[] = { "FORMAT=WKT2_2019", nullptr };
    m_srs->exportToWkt(&text, options);
    const CplText owned(text);
    return text ? text : "";
}

} // namespace landel::io
