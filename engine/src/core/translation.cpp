#include "landel/core/translation.h"

#include <algorithm>

namespace landel {

namespace {

constexpr const char* hole = "{}";

std::vector<std::string> pieces_of(const std::string& pattern)
{
    std::vector<std::string> pieces;
    std::size_t from = 0;
    for (std::size_t at = pattern.find(hole); at != std::string::npos;
         at = pattern.find(hole, from)) {
        pieces.push_back(pattern.substr(from, at - from));
        from = at + 2;
    }
    pieces.push_back(pattern.substr(from));
    return pieces;
}

} // namespace

Translation::Translation(std::string language,
                         std::vector<std::pair<std::string, std::string>> entries)
  : m_language(std::move(language))
{
    for (auto& e : entries)
        (e.first.find(hole) == std::string::npos ? m_whole : m_patterns).push_back(std::move(e));
    std::stable_sort(m_whole.begin(), m_whole.end(), [](const auto& a, const auto& b) {
        return a.first < b.first;
    });
}

bool Translation::match(const std::string& pattern,
                        const std::string& label,
                        std::vector<std::string>& parts) const
{
    // Literal pieces in order, each hole at least one character, the last piece at the end.
    const std::vector<std::string> pieces = pieces_of(pattern);
    if (label.compare(0, pieces.front().size(), pieces.front()) != 0)
        return false;
    std::size_t at = pieces.front().size();
    parts.clear();
    for (std::size_t k = 1; k < pieces.size(); ++k) {
        const std::string& piece = pieces[k];
        std::size_t next;
        if (k + 1 == pieces.size()) {
            if (label.size() < at + 1 + piece.size() ||
                label.compare(label.size() - piece.size(), piece.size(), piece) != 0)
                return false;
            next = label.size() - piece.size();
        } else {
            next = label.find(piece, at + 1);
            if (next == std::string::npos)
                return false;
        }
        parts.push_back(label.substr(at, next - at));
        at = next + piece.size();
    }
    return true;
}

std::string Translation::lookup(const std::string& label, bool note) const
{
    const auto whole = std::lower_bound(
      m_whole.begin(), m_whole.end(), label, [](const auto& e, const std::string& l) {
          return e.first < l;
      });
    if (whole != m_whole.end() && whole->first == label)
        return whole->second;
    // The most specific pattern wins: the one whose fixed text is longest ("Gap to the {}
    // target (ha)" before "Gap to {}"), the first of equals.
    std::vector<std::string> parts, best_parts;
    const std::string* best = nullptr;
    std::size_t best_fixed = 0;
    for (const auto& [pattern, translated] : m_patterns) {
        const std::size_t fixed = pattern.size() - 2 * (pieces_of(pattern).size() - 1);
        if ((best && fixed <= best_fixed) || !match(pattern, label, parts))
            continue;
        best = &translated;
        best_fixed = fixed;
        best_parts = parts;
    }
    if (best) {
        std::string out;
        const std::vector<std::string> pieces = pieces_of(*best);
        for (std::size_t k = 0; k < pieces.size(); ++k) {
            out += pieces[k];
            if (k < best_parts.size())
                out += lookup(best_parts[k], false); // a varying part: data unless known
        }
        return out;
    }
    if (note) {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_missing.insert(label);
    }
    return label;
}

std::string Translation::operator()(const std::string& label) const
{
    if (identity() || label.empty())
        return label;
    return lookup(label, true);
}

std::string Translation::known(const std::string& text) const
{
    if (identity() || text.empty())
        return text;
    return lookup(text, false);
}

std::vector<std::string> Translation::missing() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return { m_missing.begin(), m_missing.end() };
}

} // namespace landel
