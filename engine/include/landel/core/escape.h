#pragma once
/// @file escape.h
/// Text from the data (area ids and names, class and run names) put into the markup and JSON
/// that io/ (QGIS project and styles) and render/ (report.html) write. One definition for both
/// layers, header-only in core/ like palette.h: it is plain string work, no file format.

#include <cstdio>
#include <string>

namespace landel::escape {

/// @p s as XML or HTML character data or a quoted attribute value: the five markup characters
/// become entities; tab, CR and LF become character references (so attribute values keep them);
/// other C0 controls, which XML 1.0 cannot hold at all, become U+FFFD.
inline std::string markup(const std::string& s)
{
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            case '\n':
                out += "&#xa;";
                break;
            case '\r':
                out += "&#xd;";
                break;
            case '\t':
                out += "&#x9;";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20)
                    out += "\xef\xbf\xbd";
                else
                    out += c;
        }
    }
    return out;
}

/// @p s as a JSON string literal, quotes included (RFC 8259: '"', '\\' and controls escaped).
inline std::string json_string(const std::string& s)
{
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned>(c));
            out += esc;
            continue;
        }
        out += c;
    }
    return out + "\"";
}

} // namespace landel::escape
