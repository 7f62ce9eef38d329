#pragma once
/// @file text.h
/// Lists and numbers in messages and outputs.

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace landel {

/// The first @p limit of @p items joined by @p separator and, when there are more,
/// @p before_more followed by "<count> more": "a, b and 3 more" with the defaults, so that a
/// message naming thousands of features stays one readable line.
inline std::string join_first(const std::vector<std::string>& items,
                              std::string_view separator = ", ",
                              std::string_view before_more = " and ",
                              std::size_t limit = 10)
{
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < limit; ++i) {
        if (i)
            out += separator;
        out += items[i];
    }
    if (items.size() > limit) {
        out += before_more;
        out += std::to_string(items.size() - limit) + " more";
    }
    return out;
}

/// @p text with ASCII letters in lower case, for keys compared regardless of case
/// ("Grasland" in a BRP layer, "grasland" in a table).
inline std::string ascii_lower(std::string text)
{
    for (char& c : text)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return text;
}

/// @p text without leading and trailing spaces, tabs and line ends (cells typed by people).
inline std::string trim(const std::string& text)
{
    const char* space = " \t\r\n";
    const std::size_t from = text.find_first_not_of(space);
    if (from == std::string::npos)
        return std::string();
    return text.substr(from, text.find_last_not_of(space) - from + 1);
}

/// @p v with exactly @p decimals decimals ("%.*f"), as tables and reports show figures.
inline std::string fixed_decimals(double v, int decimals)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, v);
    return text;
}

} // namespace landel
