#pragma once
// Internal: the timings_s of summary.json.

#include <chrono>

namespace landel::pipeline::detail {

/// Seconds between laps of a job's stages.
class Stopwatch
{
public:
    double lap()
    {
        const auto now = std::chrono::steady_clock::now();
        const double s = std::chrono::duration<double>(now - m_last).count();
        m_last = now;
        return s;
    }

private:
    std::chrono::steady_clock::time_point m_last = std::chrono::steady_clock::now();
};

} // namespace landel::pipeline::detail
