#pragma once
// Internal: reading one TOML table strictly (every key consumed or reported as unknown, values
// checked for type and range, messages naming FILE:LINE and the key). The run config and the
// preset files share it.

#include "landel/pipeline/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

namespace landel::pipeline::detail {

namespace fs = std::filesystem;

inline const char* kind_of(const toml::node& n)
{
    switch (n.type()) {
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a number";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        default:
            return "a date or time";
    }
}

/// One TOML table being read: every key must be consumed or it is reported as unknown.
class Section
{
public:
    Section(const Config& cfg, const toml::table& table, std::string name)
      : m_cfg(cfg)
      , m_table(table)
      , m_name(std::move(name))
    {
    }

    int line() const { return int(m_table.source().begin.line); }
    const std::string& name() const { return m_name; }

    [[noreturn]] void fail(const toml::node* at, const std::string& message) const
    {
        if (m_cfg.file.empty()) // keys given outside a file (load_element_keys): no line
            throw ConfigError(message);
        const int l = at ? int(at->source().begin.line) : line();
        throw ConfigError(m_cfg.where(l) + ": " + message);
    }

    std::string qualified(const std::string& key) const
    {
        return m_name.empty() ? key : m_name + "." + key;
    }

    const toml::node* node(const std::string& key)
    {
        m_used.insert(key);
        return m_table.get(key);
    }

    std::optional<std::string> text(const std::string& key)
    {
        const toml::node* n = node(key);
        if (!n)
            return std::nullopt;
        if (!n->is_string())
            fail(n, qualified(key) + " must be a string, not " + kind_of(*n));
        return n->value<std::string>();
    }

    std::optional<double> number(const std::string& key)
    {
        const toml::node* n = node(key);
        if (!n)
            return std::nullopt;
        if (n->is_integer())
            return double(*n->value<std::int64_t>());
        if (!n->is_floating_point())
            fail(n, qualified(key) + " must be a number, not " + kind_of(*n));
        const double v = *n->value<double>();
        if (!std::isfinite(v)) // TOML has inf and nan; NaN passed the `< 0` checks below
            fail(n,
                 qualified(key) + " must be a finite number, not " +
                   (std::isnan(v) ? "nan" : "inf"));
        return v;
    }

    std::optional<std::int64_t> integer(const std::string& key)
    {
        const toml::node* n = node(key);
        if (!n)
            return std::nullopt;
        if (!n->is_integer())
            fail(n, qualified(key) + " must be an integer, not " + kind_of(*n));
        return n->value<std::int64_t>();
    }

    /// An integer that must fit an int (years, counts): a larger one was silently cut to
    /// its low 32 bits (year = 4294969326 read as 2030).
    std::optional<int> small_integer(const std::string& key)
    {
        const auto v = integer(key);
        if (v && (*v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max()))
            fail(m_table.get(key), qualified(key) + " is out of range, got " + std::to_string(*v));
        return v ? std::optional<int>(int(*v)) : std::nullopt;
    }

    double positive(const std::string& key, double value)
    {
        if (!(value > 0.0)) {
            std::ostringstream msg;
            msg << qualified(key) << " must be > 0, got " << value;
            fail(m_table.get(key), msg.str());
        }
        return value;
    }

    const toml::table* table(const std::string& key)
    {
        const toml::node* n = node(key);
        if (!n)
            return nullptr;
        if (!n->is_table())
            fail(n, qualified(key) + " must be a table, not " + kind_of(*n));
        return n->as_table();
    }

    const toml::array* array(const std::string& key)
    {
        const toml::node* n = node(key);
        if (!n)
            return nullptr;
        if (!n->is_array())
            fail(n, qualified(key) + " must be an array, not " + kind_of(*n));
        return n->as_array();
    }

    /// The tables of an array of tables ([[key]]).
    std::vector<const toml::table*> tables(const std::string& key)
    {
        std::vector<const toml::table*> out;
        const toml::array* a = array(key);
        if (!a)
            return out;
        for (const toml::node& n : *a) {
            if (!n.is_table())
                fail(&n, qualified(key) + " must hold tables ([[" + qualified(key) + "]])");
            out.push_back(n.as_table());
        }
        return out;
    }

    /// Every key not read is unknown.
    void finish() const
    {
        for (auto&& [k, v] : m_table) {
            const std::string key(k.str());
            if (!m_used.count(key))
                fail(&v,
                     "unknown key '" + key + "'" +
                       (m_name.empty() ? std::string() : " in [" + m_name + "]"));
        }
    }

private:
    const Config& m_cfg;
    const toml::table& m_table;
    std::string m_name;
    std::set<std::string> m_used;
};

// The two patterns are checked by hand: std::regex matches recursively, one stack frame per
// character, and a long value (a type name of 100,000 letters) overflowed the stack.

/// [a-z][a-z0-9_]*
inline bool is_identifier(const std::string& s)
{
    const auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
    return !s.empty() && lower(s[0]) && std::all_of(s.begin() + 1, s.end(), [&](char c) {
        return lower(c) || (c >= '0' && c <= '9') || c == '_';
    });
}

/// -?[0-9]+
inline bool is_integer(const std::string& s)
{
    const std::size_t digits = !s.empty() && s[0] == '-' ? 1 : 0;
    return s.size() > digits && std::all_of(s.begin() + std::ptrdiff_t(digits),
                                            s.end(),
                                            [](char c) { return c >= '0' && c <= '9'; });
}

inline void require_identifier(Section& s, const std::string& key, const std::string& value)
{
    if (!is_identifier(value))
        s.fail(s.node(key),
               s.qualified(key) + " '" + value +
                 "' must be lower-case letters, digits and '_' (it names columns)");
}

inline void read_source(const Config& cfg, Section& s, SourceConfig& src)
{
    src.key = s.name();
    src.line = s.line();
    src.label = cfg.where(src.line) + ": " + s.name();
    const auto path = s.text("path");
    if (!path || path->empty())
        s.fail(nullptr, s.name() + ".path is required");
    src.path = fs::path(*path).is_absolute() ? fs::path(*path) : cfg.dir / *path;
    src.layer = s.text("layer").value_or("");
    src.where = s.text("where").value_or("");
    src.assume_crs = s.text("assume_crs");
}

} // namespace landel::pipeline::detail
