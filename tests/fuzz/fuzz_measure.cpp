// libFuzzer target: the engine path that consumes area and element WKB. Input: one control
// byte, then WKB. Bit 0 of the control byte says what the WKB is: 0 = one element feature
// measured in a fixed 1 ha square area (bits 1-2: its type and source, bits 3-5: its width),
// 1 = the area itself, measured against fixed hedges, a wood and a tree. A landel::Error is
// the only acceptable failure; any other exception, a crash, a hang, a sanitizer report or
// figures that do not add up are findings.

#include "fuzz_harness.h"
#include "landel/analysis/measurement/measurement.h"
#include "landel/core/error.h"
#include "landel/geometry/ops.h"

#include <tbb/global_control.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

using namespace landel;
using namespace landel::analysis;

namespace {

[[noreturn]] void finding(const char* what)
{
    fuzz::finding("fuzz_measure", what);
}

std::string wkb(const char* wkt)
{
    const geometry::GeosContext ctx;
    return geometry::to_wkb(ctx, geometry::from_wkt(ctx, wkt).get());
}

ElementFeature feature(std::string w, int type, double width, std::int64_t fid)
{
    ElementFeature f;
    f.wkb = std::move(w);
    f.type = type;
    f.width_m = width;
    f.fid = fid;
    return f;
}

MeasureRequest request(std::uint8_t control, std::string fuzzed)
{
    static const std::string square = wkb("POLYGON((0 0,100 0,100 100,0 100,0 0))");
    static const std::string yard = wkb("POLYGON((80 80,120 80,120 120,80 120,80 80))");
    static const std::string hedge = wkb("LINESTRING(0 50,100 50)");
    static const std::string wood = wkb("POLYGON((10 10,30 10,30 30,10 30,10 10))");
    static const std::string tree = wkb("POINT(70 20)");

    MeasureRequest r;
    r.areas_label = "areas";
    r.types = { "pond", "small_wood", "hedge", "solitary_tree" };
    r.milestones = { { 2030, 0.05 }, { 2050, 0.10 } };
    r.mask_groups = { "built" };
    r.masks = { { "yards", 0, { yard } } };
    AreaFeature area;
    area.id = "A";
    area.fid = 1;
    r.sources = { { "lines", {}, {} }, { "woods", {}, 1.5 }, { "trees", {}, {} } };
    if ((control & 1) == 0) {
        area.wkb = square;
        static const double widths[] = {
            std::numeric_limits<double>::quiet_NaN(), 0.5, 2.0, 8.0, 25.0, 0.0, -1.0,
            std::numeric_limits<double>::infinity()
        };
        const int kind =
          (control >> 1) & 3; // type and source: pond, wood (max_patch_ha), hedge, tree
        const int source = kind == 1 ? 1 : kind == 3 ? 2 : 0;
        r.sources[std::size_t(source)].features.push_back(
          feature(std::move(fuzzed), kind, widths[(control >> 3) & 7], 7));
    } else {
        // A huge area legitimately needs a huge density raster (measure() refuses more than
        // max_density_cells, still gigabytes); keep the fuzzer within its memory limit instead
        // of reporting that. Counted per dimension as the engine does, so that a long sliver
        // of no height counts as the row of cells it needs.
        try {
            const geometry::GeosContext ctx;
            const Box env = geometry::envelope(ctx, geometry::from_wkb(ctx, fuzzed).get());
            const double c = r.density_cell_m;
            if (!((std::ceil(env.width() / c) + 1.0) * (std::ceil(env.height() / c) + 1.0) <= 1e6))
                r.density_cell_m = 0.0;
        } catch (const Error&) {
        }
        area.wkb = std::move(fuzzed);
        r.sources[0].features.push_back(feature(hedge, 2, 2.0, 1));
        r.sources[1].features.push_back(
          feature(wood, 1, std::numeric_limits<double>::quiet_NaN(), 2));
        r.sources[2].features.push_back(feature(tree, 3, 8.0, 3));
    }
    r.areas = { std::move(area) };
    return r;
}

/// Figures that must hold for any accepted input (tolerances for round-off at any scale).
void check(const MeasureResult& res)
{
    for (const AreaMeasure& a : res.areas) {
        const double tol = 1e-9 * std::max(1.0, std::abs(a.area_ha));
        double types = 0.0;
        for (const double t : a.type_ha)
            types += t;
        // (An area of 1e-321 m² is accepted, as more than zero, and is 0 ha: only >= 0 holds.)
        if (!(a.area_ha >= 0.0) || !std::isfinite(a.area_ha))
            finding("an accepted area has a negative or non-finite area");
        if (!(a.rural_ha >= -tol && a.rural_ha <= a.area_ha + tol))
            finding("rural land is not within the area");
        if (!(a.element_ha >= -tol && a.element_ha <= a.rural_ha + tol))
            finding("element area is not within the rural land");
        if (!(std::abs(types - a.element_ha) <= tol))
            finding("the per-type hectares do not add up to the element hectares");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1)
        return 0;
    // One thread: reproducible, and libFuzzer's time goes to inputs (scripts/check.sh runs
    // the engine's parallel tests under ThreadSanitizer instead).
    static const tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
    // Refused with a landel::Error naming the feature or area: fine.
    fuzz::only_refusals_of<Error>("fuzz_measure", [&] {
        check(measure(
          request(data[0], std::string(reinterpret_cast<const char*>(data) + 1, size - 1))));
    });
    return 0;
}
