#include "landel/io/error.h"
#include "landel/io/table_writers.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace landel::io {

namespace {

std::string quote(const std::string& s)
{
    if (s.find_first_of(",\"\n\r") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::string format_real(double v, int decimals)
{
    if (!std::isfinite(v))
        return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    // "-0.000000" is a rounding artefact, not a signed quantity.
    if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos)
        s.erase(0, 1);
    return s;
}

} // namespace

void write_csv(const std::filesystem::path& path, const Table& table)
{
    std::ofstream out(path, std::ios::binary);
    if (!out)
        throw IoError("cannot create '" + path.string() + "'");
    for (std::size_t c = 0; c < table.columns.size(); ++c)
        out << (c ? "," : "") << quote(table.columns[c].name);
    out << '\n';
    for (const auto& row : table.rows) {
        for (std::size_t c = 0; c < table.columns.size(); ++c) {
            if (c)
                out << ',';
            const Cell& cell = row[c];
            if (const auto* s = std::get_if<std::string>(&cell))
                out << quote(*s);
            else if (const auto* d = std::get_if<double>(&cell))
                out << format_real(*d, table.columns[c].decimals);
            else if (const auto* i = std::get_if<std::int64_t>(&cell))
                out << *i;
        }
        out << '\n';
    }
    out.flush();
    if (!out)
        throw IoError("cannot write '" + path.string() + "' (disk full?)");
}

} // namespace landel::io
