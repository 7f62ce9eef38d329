#pragma once
/// @file run_log.h
/// The run's log: kept in memory for landel.log (written with the outputs) and, with
/// --log FILE, streamed to a file so that a failed run leaves its log too.

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace landel::pipeline {

class RunLog
{
public:
    using Sink = std::function<void(const std::string&)>;

    /// @p warning_sink receives warnings as they happen (the CLI prints them on stderr),
    /// @p info_sink the info lines (the CLI prints them with --verbose).
    explicit RunLog(const std::filesystem::path& stream_to = {},
                    Sink warning_sink = {},
                    Sink info_sink = {});

    void info(const std::string& message);
    void warning(const std::string& message);
    void error(const std::string& message);

    const std::vector<std::string>& warnings() const { return m_warnings; }

    /// Writes every line logged so far to @p path.
    void save(const std::filesystem::path& path) const;

private:
    void add(const char* level, const std::string& message);

    std::vector<std::string> m_lines;
    std::vector<std::string> m_warnings;
    std::ofstream m_stream;
    Sink m_warning_sink;
    Sink m_info_sink;
};

} // namespace landel::pipeline
