#pragma once
/// @file progress_counter.h
/// Thread-safe progress for a parallel stage, mapped onto a slice of the overall progress.

#include "landel/core/progress.h"

#include <cstddef>
#include <mutex>
#include <string>

namespace landel::parallel {

class ProgressCounter
{
public:
    /// Reports steps of a stage with @p total steps as fractions in [from, to].
    ProgressCounter(const Progress& progress,
                    double from,
                    double to,
                    std::size_t total,
                    std::string stage)
      : m_progress(progress)
      , m_from(from)
      , m_to(to)
      , m_total(total)
      , m_stage(std::move(stage))
    {
        report(from);
    }

    /// One step done; may be called from any thread. Throws Cancelled when asked to stop.
    void step()
    {
        if (!m_progress)
            return;
        std::lock_guard<std::mutex> lock(m_mutex);
        ++m_done;
        const double f = m_from + (m_to - m_from) * (m_total ? double(m_done) / m_total : 1.0);
        // Calls are throttled to 1% steps: the terminal printer needs no more.
        if (f - m_last >= 0.01 || m_done == m_total)
            report(f);
    }

private:
    void report(double f)
    {
        m_last = f;
        report_progress(m_progress, f, m_stage);
    }

    const Progress& m_progress;
    double m_from, m_to;
    std::size_t m_total;
    std::string m_stage;
    std::size_t m_done = 0;
    double m_last = 0.0;
    std::mutex m_mutex;
};

} // namespace landel::parallel
