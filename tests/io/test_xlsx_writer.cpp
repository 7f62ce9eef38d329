#include "landel/io/error.h"
#include "landel/io/xlsx_writer.h"

#include <gtest/gtest.h>

#include <set>

using namespace landel;

TEST(XlsxWriter, SheetNamesAreValidAndUnique)
{
    const std::vector<std::string> names =
      io::excel_sheet_names({ "Summary",
                              "summary",
                              "G01 Hoogveld",
                              "a/b:c*d?e[f]g\\h",
                              "'quoted'",
                              "A very long area name that goes on and on",
                              "A very long area name that goes on and on",
                              "Vak één met een heel lange naam nummer 3" });
    EXPECT_EQ(names[0], "Summary");
    EXPECT_EQ(names[1], "summary (2)"); // Excel compares names case-insensitively
    EXPECT_EQ(names[2], "G01 Hoogveld");
    EXPECT_EQ(names[3], "a_b_c_d_e_f_g_h");
    EXPECT_EQ(names[4], "quoted");
    EXPECT_EQ(names[5], "A very long area name that goes");
    EXPECT_EQ(names[6], "A very long area name that (2)");
    std::set<std::string> lower;
    for (const std::string& n : names) {
        std::size_t chars = 0;
        for (unsigned char c : n)
            chars += (c & 0xC0) != 0x80;
        EXPECT_LE(chars, 31u) << n;
        std::string l = n;
        for (char& c : l)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        EXPECT_TRUE(lower.insert(l).second) << n;
    }
    EXPECT_EQ(names[7], "Vak één met een heel lange naam"); // cut on characters, not bytes
}

TEST(XlsxWriter, UnwritablePathIsAnErrorNamingIt)
{
    io::Sheet s;
    s.name = "Summary";
    s.table.columns = { { "x", ColumnKind::Real, 2, "X" } };
    s.table.rows = { { 1.0 } };
    try {
        io::write_xlsx("/nonexistent-folder/area_bid.xlsx", { s });
        FAIL() << "no error";
    } catch (const io::IoError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent-folder/area_bid.xlsx"),
                  std::string::npos)
          << e.what();
    }
}
