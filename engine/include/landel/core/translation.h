#pragma once
/// @file translation.h
/// The words of the outputs in the reader's language ([render] language, docs/outputs.md,
/// "Language"): labels written in English in the code, looked up in a translation table
/// (data/i18n/labels.csv). Only labels are translated, never data (ids, names, values), and
/// file and column names stay as they are.
///
/// A table entry is either a whole label ("Summary" -> "Samenvatting") or a pattern with `{}`
/// for the parts that vary ("Construction by {}, mid (EUR)" -> "Aanleg tot {}, midden (EUR)");
/// the parts are carried over in order and are themselves translated when the table has them
/// (a type's name), else kept.

#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace landel {

class Translation
{
public:
    /// English: every label as written.
    Translation() = default;
    /// @p entries: (English, translation) pairs, patterns with `{}` among them. A whole label
    /// wins over patterns; of the patterns that match, the one with the longest fixed text.
    Translation(std::string language, std::vector<std::pair<std::string, std::string>> entries);

    const std::string& language() const { return m_language; }
    bool identity() const { return m_language.empty() || m_language == "en"; }

    /// @p label in the language; a label the table lacks is returned as it is and noted.
    std::string operator()(const std::string& label) const;

    /// @p text in the language when the table has it (whole or by a pattern), else as it is,
    /// not noted: for text that is mostly data (a card's value).
    std::string known(const std::string& text) const;

    /// The labels asked for that the table lacks, sorted.
    std::vector<std::string> missing() const;

private:
    bool match(const std::string& pattern,
               const std::string& label,
               std::vector<std::string>& parts) const;
    std::string lookup(const std::string& label, bool note) const;

    std::string m_language;
    std::vector<std::pair<std::string, std::string>> m_whole, m_patterns;
    mutable std::mutex m_mutex;
    mutable std::set<std::string> m_missing;
};

} // namespace landel
