#pragma once
// Internal: collects GDAL/OGR errors raised on this thread while an object is alive, so that
// a failed call can be turned into an IoError with GDAL's own words.

#include <cpl_error.h>

#include <string>
#include <vector>

namespace landel::io {

class GdalErrorCollector
{
public:
    GdalErrorCollector() { CPLPushErrorHandlerEx(&GdalErrorCollector::handle, this); }
    ~GdalErrorCollector() { CPLPopErrorHandler(); }
    GdalErrorCollector(const GdalErrorCollector&) = delete;
    GdalErrorCollector& operator=(const GdalErrorCollector&) = delete;

    bool failed() const { return !m_failures.empty(); }
    /// The failure messages joined with "; " (long ones keep their start and end, since
    /// drivers may quote a whole generated SQL statement before the reason), or @p fallback.
    std::string failure(const std::string& fallback = "unknown GDAL error") const
    {
        if (m_failures.empty())
            return fallback;
        std::string out;
        for (const std::string& f : m_failures) {
            std::string m =
              f.size() > 200 ? f.substr(0, 60) + " ... " + f.substr(f.size() - 120) : f;
            if (out.find(m) != std::string::npos)
                continue;
            out += (out.empty() ? "" : "; ") + m;
        }
        return out;
    }
    const std::vector<std::string>& warnings() const { return m_warnings; }
    void clear()
    {
        m_failures.clear();
        m_warnings.clear();
    }

private:
    static void CPL_STDCALL handle(CPLErr level, CPLErrorNum, const char* message)
    {
        auto* self = static_cast<GdalErrorCollector*>(CPLGetErrorHandlerUserData());
        if (level >= CE_Failure)
            self->m_failures.emplace_back(message ? message : "");
        else if (level == CE_Warning)
            self->m_warnings.emplace_back(message ? message : "");
    }

    std::vector<std::string> m_failures;
    std::vector<std::string> m_warnings;
};

} // namespace landel::io
