#include "landel/io/catalogue_csv.h"

#include "landel/core/text.h"
#include "landel/io/error.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

namespace landel::io {

namespace fs = std::filesystem;

std::vector<std::vector<std::string>> read_csv_rows(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError("'" + path.string() + "': cannot be read");
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) // a UTF-8 byte-order mark, as spreadsheets write
        text.erase(0, 3);

    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, field_started = false;
    std::size_t line = 1;
    const auto end_field = [&] {
        row.push_back(std::move(field));
        field.clear();
        field_started = false;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n')
                    ++line;
                field += c;
            }
            continue;
        }
        if (c == '"' && !field_started && field.empty()) {
            quoted = field_started = true;
        } else if (c == ',') {
            end_field();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
            end_field();
            if (!(row.size() == 1 && row[0].empty())) // blank lines are skipped
                rows.push_back(std::move(row));
            row.clear();
            ++line;
        } else {
            field += c;
            field_started = true;
        }
    }
    if (quoted)
        throw IoError("'" + path.string() + "' line " + std::to_string(line) +
                      ": a quote is not closed");
    if (field_started || !row.empty()) {
        end_field();
        rows.push_back(std::move(row));
    }
    return rows;
}

namespace {

/// Columns by header name, with messages that name the file, line and column.
class CsvTable
{
public:
    explicit CsvTable(const fs::path& path)
      : m_path(path)
      , m_rows(read_csv_rows(path))
    {
        if (m_rows.empty())
            throw IoError("'" + path.string() + "': empty, no header row");
        for (std::size_t k = 0; k < m_rows[0].size(); ++k)
            m_column[m_rows[0][k]] = k;
    }

    std::size_t rows() const { return m_rows.size() - 1; }

    bool has(const std::string& column) const { return m_column.count(column) > 0; }

    void require(std::initializer_list<const char*> names) const
    {
        for (const char* n : names)
            if (!m_column.count(n))
                throw IoError("'" + m_path.string() + "': no column '" + n + "'");
    }

    std::string text(std::size_t r, const std::string& column) const
    {
        const auto it = m_column.find(column);
        if (it == m_column.end())
            return {};
        const std::vector<std::string>& row = m_rows[r + 1];
        return it->second < row.size() ? trim(row[it->second]) : std::string();
    }

    std::optional<double> number(std::size_t r, const std::string& column) const
    {
        const std::string t = text(r, column);
        if (t.empty())
            return std::nullopt;
        double v = 0.0;
        const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v))
            fail(r, column, "'" + t + "' is not a number");
        return v;
    }

    [[noreturn]] void fail(std::size_t r, const std::string& column, const std::string& what) const
    {
        throw IoError("'" + m_path.string() + "' row " + std::to_string(r + 2) + ", column '" +
                      column + "': " + what);
    }

private:
    static std::string trim(const std::string& s)
    {
        const auto b = s.find_first_not_of(" \t");
        const auto e = s.find_last_not_of(" \t");
        return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    }

    fs::path m_path;
    std::vector<std::vector<std::string>> m_rows;
    std::map<std::string, std::size_t> m_column;
};

} // namespace

bid::Catalogue read_catalogue(const fs::path& path)
{
    const CsvTable t(path);
    t.require({ "type",
                "name",
                "unit",
                "m2_per_unit",
                "build_eur_low",
                "build_eur_mid",
                "build_eur_high",
                "manage_eur_per_unit_year",
                "land_eur_per_m2_year",
                "land_years" });
    bid::Catalogue c;
    for (std::size_t r = 0; r < t.rows(); ++r) {
        bid::CatalogueEntry e;
        e.type = t.text(r, "type");
        if (e.type.empty())
            t.fail(r, "type", "empty");
        if (c.find(e.type))
            t.fail(r, "type", "'" + e.type + "' appears twice");
        e.name = t.text(r, "name");
        e.unit = t.text(r, "unit");
        if (e.unit != "m" && e.unit != "tree" && e.unit != "pond" && e.unit != "ha")
            t.fail(r, "unit", "'" + e.unit + "' is not one of m, tree, pond, ha");
        const auto area = t.number(r, "m2_per_unit");
        if (!area || *area <= 0.0)
            t.fail(r, "m2_per_unit", "must be a number > 0");
        e.m2_per_unit = *area;
        e.build = { t.number(r, "build_eur_low"),
                    t.number(r, "build_eur_mid"),
                    t.number(r, "build_eur_high") };
        for (const char* col : { "build_eur_low",
                                 "build_eur_mid",
                                 "build_eur_high",
                                 "manage_eur_per_unit_year",
                                 "land_eur_per_m2_year",
                                 "land_years" })
            if (const auto v = t.number(r, col); v && *v < 0.0)
                t.fail(r, col, "must not be negative");
        if (e.build.low && e.build.mid && *e.build.low > *e.build.mid)
            t.fail(r, "build_eur_low", "is above build_eur_mid");
        if (e.build.mid && e.build.high && *e.build.mid > *e.build.high)
            t.fail(r, "build_eur_high", "is below build_eur_mid");
        e.manage_eur_per_unit_year = t.number(r, "manage_eur_per_unit_year");
        e.land_eur_per_m2_year = t.number(r, "land_eur_per_m2_year");
        const auto years = t.number(r, "land_years");
        if (years && *years != std::floor(*years))
            t.fail(r, "land_years", "must be a whole number of years");
        e.land_years = years ? int(*years) : 0;
        const std::string permanent = t.text(r, "permanent"); // optional column
        if (permanent != "" && permanent != "yes" && permanent != "no")
            t.fail(r, "permanent", "'" + permanent + "' is not yes or no");
        e.permanent = permanent != "no";
        e.name_nl = t.text(r, "name_nl");             // optional column
        e.plan_width_m = t.number(r, "plan_width_m"); // optional column
        if (e.plan_width_m && !(*e.plan_width_m > 0.0))
            t.fail(r, "plan_width_m", "must be a number > 0");
        e.funding = t.text(r, "funding");
        e.responsible = t.text(r, "responsible");
        e.conditions = t.text(r, "conditions");
        c.entries.push_back(std::move(e));
    }
    return c;
}

std::vector<bid::Mix> read_mixes(const fs::path& path)
{
    const CsvTable t(path);
    t.require({ "region", "type", "share" });
    std::vector<bid::Mix> mixes;
    for (std::size_t r = 0; r < t.rows(); ++r) {
        const std::string region = t.text(r, "region");
        if (region.empty())
            t.fail(r, "region", "empty");
        const std::string type = t.text(r, "type");
        if (type.empty())
            t.fail(r, "type", "empty");
        const auto share = t.number(r, "share");
        if (!share || *share <= 0.0 || *share > 1.0)
            t.fail(r, "share", "must be a number in (0, 1]");
        auto it = std::find_if(
          mixes.begin(), mixes.end(), [&](const bid::Mix& m) { return m.name == region; });
        if (it == mixes.end()) {
            mixes.push_back({ region, {} });
            it = mixes.end() - 1;
        }
        for (const bid::MixShare& s : it->shares)
            if (s.type == type)
                t.fail(r, "type", "'" + type + "' appears twice in region '" + region + "'");
        it->shares.push_back({ type, *share });
    }
    for (const bid::Mix& m : mixes) {
        double sum = 0.0;
        for (const bid::MixShare& s : m.shares)
            sum += s.share;
        if (std::abs(sum - 1.0) > 1e-9)
            throw IoError("'" + path.string() + "': the shares of region '" + m.name + "' sum to " +
                          std::to_string(sum) + ", not 1");
    }
    return mixes;
}

std::vector<bid::LandValue> read_land_values(const fs::path& path)
{
    const CsvTable t(path);
    t.require({ "land_use", "farmland_eur_per_ha", "woodland_eur_per_ha" });
    std::vector<bid::LandValue> values;
    for (std::size_t r = 0; r < t.rows(); ++r) {
        bid::LandValue v;
        v.land_use = ascii_lower(t.text(r, "land_use"));
        if (v.land_use.empty())
            t.fail(r, "land_use", "empty");
        for (const bid::LandValue& earlier : values)
            if (earlier.land_use == v.land_use)
                t.fail(r, "land_use", "'" + v.land_use + "' appears twice");
        const auto farmland = t.number(r, "farmland_eur_per_ha");
        const auto woodland = t.number(r, "woodland_eur_per_ha");
        if (!farmland || *farmland < 0.0)
            t.fail(r, "farmland_eur_per_ha", "must be a number >= 0");
        if (!woodland || *woodland < 0.0 || *woodland > *farmland)
            t.fail(r, "woodland_eur_per_ha", "must be a number from 0 to farmland_eur_per_ha");
        v.farmland_eur_per_ha = *farmland;
        v.woodland_eur_per_ha = *woodland;
        values.push_back(std::move(v));
    }
    if (std::none_of(values.begin(), values.end(), [](const bid::LandValue& v) {
            return v.land_use == "average";
        }))
        throw IoError("'" + path.string() +
                      "': no row 'average' (the value of areas of unknown land use)");
    return values;
}

std::vector<std::pair<std::string, std::string>> read_translation_table(const fs::path& path,
                                                                        const std::string& language)
{
    const CsvTable t(path);
    t.require({ "en" });
    if (!t.has(language))
        throw IoError("'" + path.string() + "': no column '" + language + "' (the language)");
    std::vector<std::pair<std::string, std::string>> entries;
    const auto holes = [](const std::string& s) {
        std::size_t n = 0;
        for (std::size_t at = s.find("{}"); at != std::string::npos; at = s.find("{}", at + 2))
            ++n;
        return n;
    };
    for (std::size_t r = 0; r < t.rows(); ++r) {
        std::string en = t.text(r, "en"), translated = t.text(r, language);
        if (en.empty())
            t.fail(r, "en", "empty");
        if (translated.empty())
            t.fail(r, language, "no translation of '" + en + "'");
        if (holes(en) != holes(translated))
            t.fail(r,
                   language,
                   "has " + std::to_string(holes(translated)) + " {} where '" + en + "' has " +
                     std::to_string(holes(en)));
        entries.emplace_back(std::move(en), std::move(translated));
    }
    return entries;
}

} // namespace landel::io
