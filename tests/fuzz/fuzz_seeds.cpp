// Writes the seed corpora of fuzz_wkb and fuzz_measure from WKT, so that the repository keeps
// no binary seeds but past findings (tests/fuzz/corpus/). Usage: fuzz_seeds WKB_DIR MEASURE_DIR
// (scripts/check.sh runs it).

#include "landel/geometry/ops.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace landel::geometry;
namespace fs = std::filesystem;

namespace {

const char* const shapes[] = {
    "POINT(70 20)",
    "POINT EMPTY",
    "LINESTRING(0 50,100 50)",
    "LINESTRING(0 0,60 15,80 70,80 70)",
    "LINESTRING(5 5,5 5)", // zero length
    "POLYGON((10 10,30 10,30 30,10 30,10 10))",
    "POLYGON((0 0,100 0,100 100,0 100,0 0),(20 20,20 40,40 40,40 20,20 20))",
    "POLYGON((0 0,10 10,10 0,0 10,0 0))",     // bow-tie: repaired into two triangles
    "POLYGON((0 0,10 0,10 10,5 0,0 10,0 0))", // ring touching itself
    "POLYGON((0 0,10 0,20 0,0 0))",           // collapsed: no area
    "MULTIPOLYGON(((0 0,60 0,60 60,0 60,0 0)),((40 40,90 40,90 90,40 90,40 40)))",
    "MULTILINESTRING((0 10,100 10),(50 0,50 100))",
    "MULTIPOINT((10 10),(12 10),(90 90))",
    "GEOMETRYCOLLECTION(POINT(50 50),LINESTRING(0 0,100 100),POLYGON((60 0,90 0,90 30,60 0)))",
    "GEOMETRYCOLLECTION EMPTY",
    "POLYGON Z((0 0 1,100 0 2,100 100 3,0 100 4,0 0 1))",
};

/// @p g as WKB: little or big endian, ISO or extended (with an SRID), 2D or with Z.
std::string write(const GeosContext& ctx,
                  const GEOSGeometry* g,
                  int order,
                  int flavor,
                  int dims,
                  bool srid)
{
    GEOSWKBWriter* w = GEOSWKBWriter_create_r(ctx.handle());
    GEOSWKBWriter_setByteOrder_r(ctx.handle(), w, order);
    GEOSWKBWriter_setFlavor_r(ctx.handle(), w, flavor);
    GEOSWKBWriter_setOutputDimension_r(ctx.handle(), w, dims);
    GEOSWKBWriter_setIncludeSRID_r(ctx.handle(), w, srid ? 1 : 0);
    std::size_t size = 0;
    unsigned char* buf = GEOSWKBWriter_write_r(ctx.handle(), w, g, &size);
    GEOSWKBWriter_destroy_r(ctx.handle(), w);
    if (!buf)
        ctx.fail("WKB writing");
    std::string out(reinterpret_cast<const char*>(buf), size);
    GEOSFree_r(ctx.handle(), buf);
    return out;
}

void save(const fs::path& file, const std::string& bytes)
{
    std::ofstream(file, std::ios::binary) << bytes;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: fuzz_seeds WKB_DIR MEASURE_DIR\n");
        return 2;
    }
    const fs::path wkb_dir = argv[1], measure_dir = argv[2];
    fs::create_directories(wkb_dir);
    fs::create_directories(measure_dir);
    const GeosContext ctx;
    int n = 0;
    for (const char* wkt : shapes) {
        GeomPtr g = from_wkt(ctx, wkt);
        GEOSSetSRID_r(ctx.handle(), g.get(), 28992);
        const std::vector<std::string> variants = {
            write(ctx, g.get(), GEOS_WKB_NDR, GEOS_WKB_ISO, 2, false),
            write(ctx, g.get(), GEOS_WKB_XDR, GEOS_WKB_ISO, 3, false),
            write(ctx, g.get(), GEOS_WKB_NDR, GEOS_WKB_EXTENDED, 3, true),
        };
        for (const std::string& v : variants)
            save(wkb_dir / ("seed-" + std::to_string(++n) + ".wkb"), v);

        // fuzz_measure: control byte, then the 2D little-endian WKB (what landel's io writes).
        const int type = GEOSGeomTypeId_r(ctx.handle(), g.get());
        const bool areal = type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON;
        std::vector<std::uint8_t> controls;
        if (areal)
            controls = { 1, 0 << 1, 1 << 1 }; // the area; a pond; a wood (max_patch_ha)
        else
            controls = { (2 << 1) | (2 << 3), (3 << 1) | (3 << 3), (2 << 1) | (0 << 3) };
        for (const std::uint8_t c : controls)
            save(measure_dir / ("seed-" + std::to_string(n) + "-" + std::to_string(c) + ".bin"),
                 std::string(1, char(c)) + variants[0]);
    }
    std::printf("fuzz_seeds: %d WKB seeds\n", n);
    return 0;
}
