#pragma once
// GDAL-style progress on stderr: "0...10...20...30...40...50...60...70...80...90...100 - done."

#include <cstdio>
#include <string_view>

namespace landel::cli {

class TerminalProgress
{
public:
    bool operator()(double fraction, std::string_view)
    {
        const int tick = static_cast<int>(fraction * 40.0 + 1e-9); // 2.5% per tick
        while (m_tick < tick && m_tick < 40) {
            ++m_tick;
            m_broken = false;
            if (m_tick % 4 == 0)
                std::fprintf(stderr, "%d", m_tick / 4 * 10);
            else
                std::fputc('.', stderr);
            if (m_tick == 40)
                std::fputs(" - done.\n", stderr);
        }
        std::fflush(stderr);
        return true;
    }

    void start()
    {
        std::fputc('0', stderr);
        m_tick = 0;
    }

    /// Ends the progress line so far (before a warning); the dots go on on the next line.
    void break_line()
    {
        if (m_tick >= 0 && m_tick < 40 && !m_broken) {
            std::fputc('\n', stderr);
            m_broken = true;
        }
    }

    /// Ends the line if the stage stopped before 100 (e.g. on an error).
    void finish()
    {
        if (m_tick < 40 && m_tick >= 0 && !m_broken)
            std::fputc('\n', stderr);
        m_tick = -1;
    }

private:
    int m_tick = -1;
    bool m_broken = false; ///< a line was ended since the last tick
};

} // namespace landel::cli
