#pragma once
/// @file xlsx_writer.h
/// Spreadsheets for people (libxlsxwriter): tables with plain-words headers, number formats,
/// a frozen header, optional totals and colours by status, printed landscape one page wide
/// with the header on every page. Values are stored at full precision; only their display is
/// rounded.

#include "landel/core/table.h"

#include <filesystem>
#include <string>
#include <vector>

namespace landel::io {

/// How a totals row sums a column.
enum class Total
{
    None,  ///< left empty
    Sum,   ///< SUM of the column
    Ratio, ///< 100 x SUM(numerator) / SUM(denominator), e.g. a share in percent
};

struct TotalRule
{
    Total kind = Total::None;
    std::string numerator, denominator; ///< column names, for Ratio
};

struct Sheet
{
    std::string name;  ///< made unique and valid by write_xlsx (31 characters, no []:*?/\)
    std::string title; ///< a line above the table; empty: none
    Table table;       ///< headers are the columns' aliases (their names when empty)
    /// Per column (by name) how the totals row sums it; without entries, no totals row.
    std::vector<std::pair<std::string, TotalRule>> totals;
    /// Colour the cells of this column by their text: met and met_* green, below_* and behind
    /// amber, no_rural_land grey.
    std::string status_column;
};

/// Writes @p sheets to @p path. Sheet names are cleaned of characters Excel forbids, cut to 31
/// characters and numbered where they would repeat (case-insensitively, as Excel compares).
/// @throws IoError naming the path when the workbook cannot be written.
void write_xlsx(const std::filesystem::path& path, const std::vector<Sheet>& sheets);

/// The names write_xlsx gives @p names: valid and unique (exposed for tests).
std::vector<std::string> excel_sheet_names(const std::vector<std::string>& names);

} // namespace landel::io
