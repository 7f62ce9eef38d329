// libFuzzer target: arbitrary bytes as WKB, through what the engine does to every input
// geometry (engine/include/landel/geometry/ops.h, analysis/footprint.h): parse, write back,
// repair, keep the polygonal part, measure, buffer lines and points into footprints, cut.
// A landel::Error (GEOS refused the geometry) is the only acceptable failure; any other
// exception, a crash, a hang or a sanitizer report is a finding.
//
// GEOS itself is Debian's uninstrumented build: libFuzzer sees coverage in landel's code only
// and ASan sees GEOS's heap use only through malloc/free, so this checks landel's handling of
// whatever GEOS accepts or returns more than it fuzzes GEOS.

#include "fuzz_harness.h"
#include "landel/analysis/measurement/footprint.h"
#include "landel/core/error.h"
#include "landel/geometry/ops.h"

#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

using namespace landel;
using namespace landel::geometry;

namespace {

[[noreturn]] void finding(const char* what)
{
    fuzz::finding("fuzz_wkb", what);
}

void exercise(const GeosContext& ctx, std::string_view wkb)
{
    GeomPtr g = from_wkb(ctx, wkb);
    const Box box = envelope(ctx, g.get());
    (void)box;
    (void)area(ctx, g.get());
    (void)length(ctx, g.get());

    // What landel writes it must read back.
    const std::string written = to_wkb(ctx, g.get());
    GeomPtr again = from_wkb(ctx, written);
    if (to_wkb(ctx, again.get()) != written)
        finding("WKB written by to_wkb does not read back to the same WKB");

    // Areas and polygon elements: repaired, polygonal part, measured.
    GeomPtr poly = polygonal_from_wkb(ctx, wkb);
    const double a = area(ctx, poly.get());
    if (a < 0.0)
        finding("negative area after repair");
    std::vector<const GEOSGeometry*> parts;
    collect_parts(ctx, poly.get(), parts);
    GeomPtr united = union_of(ctx, parts);
    GeomPtr cell = box_polygon(ctx, Box{ 0.0, 0.0, 100.0, 100.0 });
    (void)area(ctx, intersection(ctx, united.get(), cell.get()).get());
    (void)area(ctx, difference(ctx, cell.get(), united.get()).get());

    // Lines and points become footprints (strips and circles of 2 m); polygons must be
    // valid first, as measurement makes them.
    GeomPtr valid = is_valid(ctx, g.get()) ? clone(ctx, g.get()) : make_valid(ctx, g.get());
    GeomPtr foot = analysis::element_footprint(ctx, valid.get(), 2.0);
    (void)area(ctx, foot.get());
    (void)analysis::dimension_mask(ctx, valid.get());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const GeosContext ctx; // one context for every input, as a worker thread has
    // GEOS refusing the bytes or an operation on them is a landel::Error, not a finding.
    fuzz::only_refusals_of<Error>("fuzz_wkb", [&] {
        exercise(ctx, std::string_view(reinterpret_cast<const char*>(data), size));
    });
    return 0;
}
