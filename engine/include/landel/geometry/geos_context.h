#pragma once
/// @file geos_context.h
/// RAII ownership of GEOS contexts and geometries (reentrant C API only).
///
/// Rules: a GeosContext belongs to one thread at a time; never share one between threads.
/// A GeomPtr destroys its geometry with the context it was given, so that context must
/// outlive it. A geometry taken by own() may be read (not modified) from several threads: own()
/// computes the envelopes GEOS 3.11 would otherwise compute and store on a reader's first use.

#include <geos_c.h>

#include <memory>
#include <string>

namespace landel::geometry {

/// Deleter for GEOS geometries; holds the context used to destroy them.
struct GeomDeleter
{
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSGeometry* g) const
    {
        if (g)
            GEOSGeom_destroy_r(ctx, g);
    }
};

/// Deleter for prepared geometries.
struct PreparedDeleter
{
    GEOSContextHandle_t ctx = nullptr;
    void operator()(const GEOSPreparedGeometry* g) const
    {
        if (g)
            GEOSPreparedGeom_destroy_r(ctx, g);
    }
};

/// Owning pointer to a GEOS geometry.
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;
/// Owning pointer to a prepared GEOS geometry (which indexes lazily: one per task).
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

/// One GEOS context with an error handler that keeps the last message.
class GeosContext
{
public:
    GeosContext();
    ~GeosContext();
    GeosContext(const GeosContext&) = delete;
    GeosContext& operator=(const GeosContext&) = delete;
    GeosContext(GeosContext&& other) noexcept;
    GeosContext& operator=(GeosContext&& other) noexcept;

    /// The raw handle for GEOS *_r calls.
    GEOSContextHandle_t handle() const { return m_handle; }

    /// Wraps a geometry returned by GEOS, its envelopes computed (see the file comment); throws
    /// GeometryError naming @p what when it is null.
    GeomPtr own(GEOSGeometry* g, const char* what) const;

    /// Wraps a prepared geometry; throws GeometryError naming @p what when it is null.
    PreparedPtr own_prepared(const GEOSPreparedGeometry* g, const char* what) const;

    /// Throws GeometryError naming @p what and the last GEOS message.
    [[noreturn]] void fail(const char* what) const;

    /// Checks a GEOS predicate result (0/1, 2 = exception).
    bool check_predicate(char result, const char* what) const;

    /// The last message GEOS reported on this context.
    const std::string& last_message() const { return *m_message; }

private:
    GEOSContextHandle_t m_handle = nullptr;
    // Heap-allocated so that its address, given to GEOS as handler data, survives moves.
    std::unique_ptr<std::string> m_message;
};

} // namespace landel::geometry
