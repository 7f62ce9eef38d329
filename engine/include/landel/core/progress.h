#pragma once
/// @file progress.h
/// Progress reporting with GDALProgressFunc semantics, without depending on GDAL.

#include <functional>
#include <stdexcept>
#include <string_view>

namespace landel {

/// Called with the completed fraction in [0, 1] and a short stage label.
/// Returning false asks the caller to cancel (it then throws landel::Cancelled).
/// Callers guarantee that calls are never concurrent.
using Progress = std::function<bool(double fraction, std::string_view stage)>;

/// Thrown when a Progress callback asked to stop.
class Cancelled : public std::runtime_error
{
public:
    Cancelled()
      : std::runtime_error("cancelled")
    {
    }
};

/// Reports @p fraction of @p stage to @p progress, when there is one; throws Cancelled when
/// it asks to stop.
inline void report_progress(const Progress& progress, double fraction, std::string_view stage)
{
    if (progress && !progress(fraction, stage))
        throw Cancelled();
}

} // namespace landel
