#include "landel/geometry/geos_context.h"

#include "landel/core/error.h"

#include <utility>

namespace landel::geometry {

namespace {
void store_message(const char* message, void* userdata)
{
    *static_cast<std::string*>(userdata) = message ? message : "";
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
    return GeomPtr(g, GeomDeleter{ m_handle });
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
