#include "landel/core/error.h"
#include "landel/io/crs.h"
#include "landel/io/error.h"
#include "landel/io/table_writers.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace landel;
namespace fs = std::filesystem;

TEST(Crs, EquivalenceIsNotStringEquality)
{
    io::initialise_gdal();
    const io::Crs epsg = io::Crs::from_user_input("EPSG:28992", "test");
    const io::Crs proj = io::Crs::from_user_input(
      "+proj=sterea +lat_0=52.1561605555556 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 "
      "+y_0=463000 +ellps=bessel "
      "+towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 "
      "+units=m +no_defs",
      "test");
    EXPECT_FALSE(epsg.wkt() == proj.wkt());
    EXPECT_TRUE(epsg.same_as(epsg));
    EXPECT_FALSE(epsg.same_as(io::Crs::from_user_input("EPSG:4326", "test")));
}

TEST(Crs, RunCrsMustBeProjectedMetresAndNotMercator)
{
    io::initialise_gdal();
    EXPECT_NO_THROW(
      io::Crs::from_user_input("EPSG:28992", "run.crs").require_projected_metres("run.crs"));
    EXPECT_THROW(
      io::Crs::from_user_input("EPSG:4326", "run.crs").require_projected_metres("run.crs"),
      io::IoError);
    try {
        io::Crs::from_user_input("EPSG:3857", "run.crs").require_projected_metres("run.crs");
        FAIL();
    } catch (const io::IoError& e) {
        EXPECT_NE(std::string(e.what()).find("Mercator"), std::string::npos);
    }
    EXPECT_THROW(
      io::Crs::from_user_input("EPSG:2225", "run.crs").require_projected_metres("run.crs"),
      io::IoError); // US survey feet
    EXPECT_THROW(io::Crs::from_user_input("not a crs", "run.crs"), io::IoError);
}

TEST(Sha256, KnownDigests)
{
    const fs::path p = fs::temp_directory_path() / "landel-sha.txt";
    std::ofstream(p, std::ios::binary) << "abc";
    EXPECT_EQ(io::sha256_file(p),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    std::ofstream(p, std::ios::binary) << "";
    EXPECT_EQ(io::sha256_file(p),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    std::ofstream(p, std::ios::binary) << std::string(1000, 'a');
    EXPECT_EQ(io::sha256_file(p),
              "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
    // Files go through OpenSSL in 1 MiB reads, texts through landel's own SHA-256: a file of
    // several reads and a partial last one gives the digest of the same bytes as a text.
    std::string bytes(3 * (1 << 20) + 17, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
    std::ofstream(p, std::ios::binary) << bytes;
    EXPECT_EQ(io::sha256_file(p), io::sha256_text(bytes));
}

TEST(Csv, SixDecimalsQuotingAndEmptyCells)
{
    Table t;
    t.columns = { { "id", ColumnKind::Text, 0, "" },
                  { "ha", ColumnKind::Real, 6, "" },
                  { "n", ColumnKind::Integer, 0, "" } };
    t.rows = { { std::string("a,b"), 1.0 / 3.0, std::int64_t(3) },
               { std::string("c"), Cell(), Cell() },
               { std::string("d"), -1e-9, std::int64_t(0) } };
    const fs::path p = fs::temp_directory_path() / "landel-table.csv";
    io::write_csv(p, t);
    std::ifstream in(p);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(all, "id,ha,n\n\"a,b\",0.333333,3\nc,,\nd,0.000000,0\n");
}
