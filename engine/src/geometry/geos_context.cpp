#include "landel/geometry/geos_context.h"

#include "landel/core/error.h"

#include <utility>

namespace landel::geometry {

namespace {
void store_message(const char* message, void* userdata)
{
    *static_cast<std::string*>(userdata) = message ? message : "";
}

// GEOS 3.11 computes a geometry's envelope on first use and keeps it in the geometry (a
// mutable member), so two threads reading one geometry - a study area every area is clipped
// by, say - may both write it, and one may free the envelope the other has just made
// (ThreadSanitizer caught exactly that). Computing every envelope when landel takes a geometry
// - collection, parts, shells and holes, parts first - leaves nothing for a reader to write.
void cache_envelopes(GEOSContextHandle_t h, const GEOSGeometry* g)
{
    const int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) {
        if (const GEOSGeometry* shell = GEOSGetExteriorRing_r(h, g))
            cache_envelopes(h, shell);
        const int holes = GEOSGetNumInteriorRings_r(h, g);
        for (int i = 0; i < holes; ++i)
            if (const GEOSGeometry* hole = GEOSGetInteriorRingN_r(h, g, i))
                cache_envelopes(h, hole);
    } else if (type >= GEOS_MULTIPOINT && type <= GEOS_GEOMETRYCOLLECTION) {
        const int parts = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < parts; ++i)
            if (const GEOSGeometry* part = GEOSGetGeometryN_r(h, g, i))
                cache_envelopes(h, part);
    }
    if (GEOSisEmpty_r(h, g) == 0) {
        double x = 0.0;
        GEOSGeom_getXMin_r(h, g, &x);
    } else if (GEOSGeometry* env = GEOSEnvelope_r(h, g)) {
        GEOSGeom_destroy_r(h, env); // made from the (now cached) empty envelope
    }
}
} // namespace

GeosContext::GeosContext()
  : m_handle(GEOS_init_r())
  , m_message(std::make_unique<std::string>())
{
    if (!m_handle)
        throw GeometryError("cannot initialise a GEOS context");
    GEOSContext_setErrorMessageHandler_r(m_handle, store_message, m_message.get());
    // Notices (e.g. "Self-intersection at ...") are expected for invalid input we repair.
    GEOSContext_setNoticeMessageHandler_r(m_handle, nullptr, nullptr);
}

GeosContext::~GeosContext()
{
    if (m_handle)
        GEOS_finish_r(m_handle);
}

GeosContext::GeosContext(GeosContext&& other) noexcept
  : m_handle(std::exchange(other.m_handle, nullptr))
  , m_message(std::move(other.m_message))
{
}

GeosContext& GeosContext::operator=(GeosContext&& other) noexcept
{
    if (this != &other) {
        if (m_handle)
            GEOS_finish_r(m_handle);
        m_handle = std::exchange(other.m_handle, nullptr);
        m_message = std::move(other.m_message);
    }
    return *this;
}

GeomPtr GeosContext::own(GEOSGeometry* g, const char* what) const
{
    if (!g)
        fail(what);
    GeomPtr owned(g, GeomDeleter{ m_handle });
    cache_envelopes(m_handle, g);
    return owned;
}

PreparedPtr GeosContext::own_prepared(const GEOSPreparedGeometry* g, const char* what) const
{
    if (!g)
        fail(what);
    return PreparedPtr(g, PreparedDeleter{ m_handle });
}

void GeosContext::fail(const char* what) const
{
    std::string msg = std::string("GEOS failed in ") + what;
    if (!m_message->empty())
        msg += ": " + *m_message;
    throw GeometryError(msg);
}

bool GeosContext::check_predicate(char result, const char* what) const
{
    if (result == 2)
        fail(what);
    return result == 1;
}

} // namespace landel::geometry
