# Every dependency comes from Debian bookworm packages (scripts/install-deps.sh).
# The floors are what bookworm ships; nothing is downloaded at configure time.
find_package(GEOS 3.11 CONFIG REQUIRED)
find_package(GDAL 3.6 CONFIG REQUIRED)
find_package(PROJ 9.1 CONFIG REQUIRED)
find_package(TBB 2021.5 CONFIG REQUIRED)
find_package(tomlplusplus 3.3 CONFIG REQUIRED)
find_package(nlohmann_json 3.11 CONFIG REQUIRED)
if(LANDEL_BUILD_CLI)
    find_package(CLI11 2.1 CONFIG REQUIRED)
endif()
if(LANDEL_BUILD_TESTS)
    find_package(GTest CONFIG REQUIRED)
endif()
if(LANDEL_BUILD_BENCHMARKS)
    find_package(benchmark CONFIG REQUIRED)
endif()
find_package(Boost 1.74 REQUIRED) # header-only: Boost.Geometry rtree
find_package(OpenSSL 3.0 REQUIRED COMPONENTS Crypto) # SHA-256 of the manifest's files at GB/s
find_package(PkgConfig REQUIRED)
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter) # 1.1: area_bid.xlsx
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo)           # 1.16: maps
find_package(PNG 1.6 REQUIRED) # the maps' PNGs, written at a fast compression level
