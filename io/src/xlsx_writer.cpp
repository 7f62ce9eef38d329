#include "landel/io/xlsx_writer.h"

#include "landel/core/text.h"
#include "landel/io/error.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

namespace landel::io {

namespace {

/// Excel counts sheet names in UTF-16 units; cut on a UTF-8 character boundary at 31
/// characters (every character here is at most one UTF-16 unit for Dutch names).
std::string cut_utf8(const std::string& s, std::size_t max_chars)
{
    std::size_t chars = 0, i = 0;
    while (i < s.size() && chars < max_chars) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
        i += len;
        ++chars;
    }
    return s.substr(0, std::min(i, s.size()));
}

/// The Excel column letters of index @p c (0 = A).
std::string column_letters(std::size_t c)
{
    std::string out;
    for (std::size_t n = c + 1; n > 0; n = (n - 1) / 26)
        out.insert(out.begin(), char('A' + (n - 1) % 26));
    return out;
}

/// The width of column @p c in Excel's character units (write_cells sets it).
double column_width(const Column& c)
{
    return c.kind == ColumnKind::Text ? 22 : 14;
}

std::string number_format(const Column& c)
{
    if (c.kind == ColumnKind::Integer)
        return "#,##0";
    if (c.decimals <= 0)
        return "#,##0";
    return "#,##0." + std::string(std::size_t(std::min(c.decimals, 6)), '0');
}

void check(lxw_error e, const std::filesystem::path& path, const std::string& what)
{
    if (e != LXW_NO_ERROR)
        throw IoError("'" + path.string() + "': " + what + ": " + lxw_strerror(e));
}

} // namespace

std::vector<std::string> excel_sheet_names(const std::vector<std::string>& names)
{
    std::vector<std::string> out;
    std::set<std::string> taken; // lower case: Excel compares names case-insensitively
    for (const std::string& raw : names) {
        std::string clean;
        for (char c : raw)
            clean += std::string("[]:*?/\\").find(c) == std::string::npos ? c : '_';
        // A leading or trailing apostrophe is not allowed either.
        while (!clean.empty() && clean.front() == '\'')
            clean.erase(clean.begin());
        while (!clean.empty() && clean.back() == '\'')
            clean.pop_back();
        if (clean.empty())
            clean = "Sheet";
        std::string name = cut_utf8(clean, 31);
        for (int n = 2; taken.count(ascii_lower(name)); ++n) {
            const std::string suffix = " (" + std::to_string(n) + ")";
            std::string base = cut_utf8(clean, 31 - suffix.size());
            while (!base.empty() && base.back() == ' ')
                base.pop_back();
            name = base + suffix;
        }
        taken.insert(ascii_lower(name));
        out.push_back(name);
    }
    return out;
}

namespace {

/// The cell formats of a workbook, made once and shared by its sheets.
class Formats
{
public:
    explicit Formats(lxw_workbook* wb)
      : m_wb(wb)
    {
        header = workbook_add_format(wb);
        format_set_bold(header);
        format_set_text_wrap(header);
        format_set_align(header, LXW_ALIGN_VERTICAL_TOP);
        format_set_bg_color(header, 0xE8EEF4);
        format_set_bottom(header, LXW_BORDER_THIN);
        title = workbook_add_format(wb);
        format_set_bold(title);
        format_set_font_size(title, 13);
        // Long text wraps in its column instead of running on past the table (and its page).
        text = workbook_add_format(wb);
        format_set_text_wrap(text);
        format_set_align(text, LXW_ALIGN_VERTICAL_TOP);
        total_label = workbook_add_format(wb);
        format_set_bold(total_label);
        format_set_top(total_label, LXW_BORDER_THIN);
        green = coloured(0xC6EFCE, 0x006100);
        amber = coloured(0xFFEB9C, 0x9C5700);
        grey = coloured(0xEDEDED, 0x595959);
    }

    /// The number format of column @p c, bold with a rule above in a totals row.
    lxw_format* number(const Column& c, bool total)
    {
        const std::string nf = number_format(c);
        auto& cache = total ? m_totals : m_numbers;
        auto it = cache.find(nf);
        if (it != cache.end())
            return it->second;
        lxw_format* f = workbook_add_format(m_wb);
        format_set_num_format(f, nf.c_str());
        if (total) {
            format_set_bold(f);
            format_set_top(f, LXW_BORDER_THIN);
        }
        return cache[nf] = f;
    }

    lxw_format* header = nullptr;
    lxw_format* title = nullptr;
    lxw_format* text = nullptr;
    lxw_format* total_label = nullptr;
    lxw_format* green = nullptr;
    lxw_format* amber = nullptr;
    lxw_format* grey = nullptr;

private:
    lxw_format* coloured(lxw_color_t background, lxw_color_t font)
    {
        lxw_format* f = workbook_add_format(m_wb);
        format_set_bg_color(f, background);
        format_set_font_color(f, font);
        return f;
    }

    lxw_workbook* m_wb;
    std::map<std::string, lxw_format*> m_numbers, m_totals;
};

/// The rows [first, last] of a sheet's table (0-based worksheet rows).
struct RowSpan
{
    lxw_row_t first = 0, last = 0;
};

/// The header row at @p header_row and the table's cells below it.
void write_cells(lxw_worksheet* ws, const Table& t, lxw_row_t header_row, Formats& f)
{
    worksheet_set_row(ws, header_row, 45, nullptr);
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
        const Column& col = t.columns[c];
        const std::string& text = col.alias.empty() ? col.name : col.alias;
        worksheet_write_string(ws, header_row, lxw_col_t(c), text.c_str(), f.header);
        worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), column_width(col), nullptr);
    }
    worksheet_freeze_panes(ws, header_row + 1, t.columns.empty() ? 0 : 1);
    const lxw_row_t first = header_row + 1;
    for (std::size_t r = 0; r < t.rows.size(); ++r)
        for (std::size_t c = 0; c < t.columns.size() && c < t.rows[r].size(); ++c) {
            const Cell& v = t.rows[r][c];
            const lxw_row_t at = lxw_row_t(first + r);
            if (const auto* s = std::get_if<std::string>(&v))
                worksheet_write_string(ws, at, lxw_col_t(c), s->c_str(), f.text);
            else if (const auto* d = std::get_if<double>(&v))
                worksheet_write_number(ws, at, lxw_col_t(c), *d, f.number(t.columns[c], false));
            else if (const auto* i = std::get_if<std::int64_t>(&v))
                worksheet_write_number(
                  ws, at, lxw_col_t(c), double(*i), f.number(t.columns[c], false));
        }
}

double column_sum(const Table& t, std::size_t c)
{
    double sum = 0.0;
    for (const auto& r : t.rows)
        if (const auto* d = std::get_if<double>(&r[c]))
            sum += *d;
        else if (const auto* i = std::get_if<std::int64_t>(&r[c]))
            sum += double(*i);
    return sum;
}

/// The totals row under the table: sums, and ratios of sums, as formulas with their values.
void write_totals(lxw_worksheet* ws, const Sheet& sheet, RowSpan rows, Formats& f)
{
    const Table& t = sheet.table;
    const lxw_row_t total_row = rows.last + 1;
    worksheet_write_string(ws, total_row, 0, "Total", f.total_label);
    const auto range = [&](std::size_t c) {
        const std::string l = column_letters(c);
        return l + std::to_string(rows.first + 1) + ":" + l + std::to_string(rows.last + 1);
    };
    for (const auto& [name, rule] : sheet.totals) {
        const std::size_t c = t.column_index(name);
        if (c >= t.columns.size() || c == 0)
            continue;
        double value = 0.0;
        std::string formula;
        if (rule.kind == Total::Sum) {
            value = column_sum(t, c);
            formula = "=SUM(" + range(c) + ")";
        } else if (rule.kind == Total::Ratio) {
            const std::size_t n = t.column_index(rule.numerator),
                              d = t.column_index(rule.denominator);
            const double sd = column_sum(t, d);
            if (sd <= 0.0)
                continue;
            value = 100.0 * column_sum(t, n) / sd;
            formula = "=100*SUM(" + range(n) + ")/SUM(" + range(d) + ")";
        } else {
            continue;
        }
        // The result is stored with the formula, so readers that do not recalculate still see
        // the total.
        worksheet_write_formula_num(
          ws, total_row, lxw_col_t(c), formula.c_str(), f.number(t.columns[c], true), value);
    }
}

/// Status words coloured: a run's met_<year> / below_<year>, a comparison's met / behind.
void colour_status(lxw_worksheet* ws, const Sheet& sheet, RowSpan rows, Formats& f)
{
    const std::size_t c = sheet.table.column_index(sheet.status_column);
    if (c >= sheet.table.columns.size())
        return;
    const std::pair<const char*, lxw_format*> rules[] = { { "met", f.green },
                                                          { "below_", f.amber },
                                                          { "behind", f.amber },
                                                          { "no_rural_land", f.grey } };
    for (const auto& [prefix, format] : rules) {
        lxw_conditional_format cf{};
        cf.type = LXW_CONDITIONAL_TYPE_TEXT;
        cf.criteria = LXW_CONDITIONAL_CRITERIA_TEXT_BEGINS_WITH;
        cf.value_string = const_cast<char*>(prefix);
        cf.format = format;
        worksheet_conditional_format_range(
          ws, rows.first, lxw_col_t(c), rows.last, lxw_col_t(c), &cf);
    }
}

/// Printed on landscape A4 with the title and header rows on every page. A table that fits
/// one page wide at 40% or more is scaled to the page width; a wider one (the bid's summary
/// has some 90 columns) prints at 40%, still legible, over several pages side by side with the
/// first two columns (area id and name) repeated on each, instead of one column group per
/// portrait page. The print area is the table with its totals row: long text running on past
/// the last column would add pages.
void set_up_printing(lxw_worksheet* ws, const Table& t, lxw_row_t header_row)
{
    const lxw_row_t last_row = lxw_row_t(header_row + t.rows.size() + 1);
    const lxw_col_t last_col = lxw_col_t(t.columns.empty() ? 0 : t.columns.size() - 1);
    worksheet_print_area(ws, 0, 0, last_row, last_col);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); // A4
    worksheet_repeat_rows(ws, 0, header_row);
    // A character unit is about 7 px + 5 px padding at 96 dpi; A4 landscape is 29.7 cm, less
    // libxlsxwriter's default margins of 0.7 inch each side.
    double table_cm = 0.0;
    for (const Column& c : t.columns)
        table_cm += (column_width(c) * 7.0 + 5.0) / 96.0 * 2.54;
    const double page_cm = 29.7 - 2 * 0.7 * 2.54;
    const double smallest_scale = 0.40;
    if (table_cm * smallest_scale <= page_cm) {
        worksheet_fit_to_pages(ws, 1, 0);
    } else {
        worksheet_set_print_scale(ws, std::uint16_t(smallest_scale * 100));
        worksheet_repeat_columns(ws, 0, std::min<lxw_col_t>(1, last_col));
    }
}

} // namespace

void write_xlsx(const std::filesystem::path& path, const std::vector<Sheet>& sheets)
{
    lxw_workbook_options options{};
    options.constant_memory = LXW_FALSE; // conditional formats and widths need the whole sheet
    options.tmpdir = nullptr;
    lxw_workbook* wb = workbook_new_opt(path.string().c_str(), &options);
    if (!wb)
        throw IoError("'" + path.string() + "': cannot create the workbook");
    Formats formats(wb);

    std::vector<std::string> wanted;
    for (const Sheet& s : sheets)
        wanted.push_back(s.name);
    const std::vector<std::string> names = excel_sheet_names(wanted);

    for (std::size_t k = 0; k < sheets.size(); ++k) {
        const Sheet& sheet = sheets[k];
        const Table& t = sheet.table;
        lxw_worksheet* ws = workbook_add_worksheet(wb, names[k].c_str());
        if (!ws) {
            workbook_close(wb);
            throw IoError("'" + path.string() + "': cannot add sheet '" + names[k] + "'");
        }
        lxw_row_t header_row = 0;
        if (!sheet.title.empty()) {
            worksheet_write_string(ws, 0, 0, sheet.title.c_str(), formats.title);
            header_row = 2;
        }
        write_cells(ws, t, header_row, formats);
        set_up_printing(ws, t, header_row);
        const RowSpan rows{ header_row + 1,
                            lxw_row_t(header_row + 1 + (t.rows.empty() ? 0 : t.rows.size() - 1)) };
        if (!sheet.totals.empty() && !t.rows.empty())
            write_totals(ws, sheet, rows, formats);
        if (!sheet.status_column.empty() && !t.rows.empty())
            colour_status(ws, sheet, rows, formats);
    }
    check(workbook_close(wb), path, "cannot write the workbook");
}

} // namespace landel::io
