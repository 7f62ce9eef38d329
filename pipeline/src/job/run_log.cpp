#include "landel/pipeline/run_log.h"

#include "landel/core/error.h"

#include <chrono>
#include <ctime>

namespace landel::pipeline {

RunLog::RunLog(const std::filesystem::path& stream_to, Sink warning_sink, Sink info_sink)
  : m_warning_sink(std::move(warning_sink))
  , m_info_sink(std::move(info_sink))
{
    if (!stream_to.empty()) {
        m_stream.open(stream_to, std::ios::app);
        if (!m_stream)
            throw Error("--log '" + stream_to.string() + "': cannot open for writing");
    }
}

void RunLog::add(const char* level, const std::string& message)
{
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm local{};
    localtime_r(&now, &local); // landel batch logs from several threads
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &local);
    std::string line = std::string(stamp) + " " + level + " " + message;
    if (m_stream.is_open())
        m_stream << line << std::endl;
    m_lines.push_back(std::move(line));
}

void RunLog::info(const std::string& message)
{
    add("INFO ", message);
    if (m_info_sink)
        m_info_sink(message);
}

void RunLog::warning(const std::string& message)
{
    add("WARN ", message);
    m_warnings.push_back(message);
    if (m_warning_sink)
        m_warning_sink(message);
}

void RunLog::error(const std::string& message)
{
    add("ERROR", message);
}

void RunLog::save(const std::filesystem::path& path) const
{
    std::ofstream out(path);
    for (const std::string& line : m_lines)
        out << line << '\n';
    if (!out)
        throw Error("cannot write '" + path.string() + "'");
}

} // namespace landel::pipeline
