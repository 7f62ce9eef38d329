// Micro-benchmark of the engine alone (no I/O): a grid of areas with random hedges, woods and
// trees, measured end to end. Build with -DLANDEL_BUILD_BENCHMARKS=ON.
#include "landel/analysis/measurement/measurement.h"
#include "landel/geometry/ops.h"

#include <benchmark/benchmark.h>

#include <random>
#include <string>

using namespace landel;
using namespace landel::analysis;

namespace {

std::string wkb_of(const geometry::GeosContext& ctx, const std::string& wkt)
{
    return geometry::to_wkb(ctx, geometry::from_wkt(ctx, wkt).get());
}

MeasureRequest make_case(int areas_per_side, int features_per_area)
{
    geometry::GeosContext ctx;
    std::mt19937 rng(42);
    const double size = 1000.0;
    std::uniform_real_distribution<double> u(0.0, size * areas_per_side);
    MeasureRequest r;
    r.areas_label = "areas";
    r.types = { "pond", "small_wood", "hedge", "solitary_tree" };
    r.milestones = { { 2030, 0.05 }, { 2050, 0.10 } };
    for (int i = 0; i < areas_per_side; ++i)
        for (int j = 0; j < areas_per_side; ++j) {
            const double x = i * size, y = j * size;
            AreaFeature a;
            a.id = std::to_string(i * areas_per_side + j);
            a.wkb = wkb_of(ctx,
                           "POLYGON((" + std::to_string(x) + " " + std::to_string(y) + "," +
                             std::to_string(x + size) + " " + std::to_string(y) + "," +
                             std::to_string(x + size) + " " + std::to_string(y + size) + "," +
                             std::to_string(x) + " " + std::to_string(y + size) + "," +
                             std::to_string(x) + " " + std::to_string(y) + "))");
            r.areas.push_back(a);
        }
    ElementSource lines{ "lines", {}, {} }, trees{ "trees", {}, {} };
    const int n = features_per_area * areas_per_side * areas_per_side;
    for (int k = 0; k < n; ++k) {
        const double x = u(rng), y = u(rng);
        ElementFeature f;
        f.type = 2;
        f.width_m = 2.0;
        f.wkb = wkb_of(ctx,
                       "LINESTRING(" + std::to_string(x) + " " + std::to_string(y) + "," +
                         std::to_string(x + 80) + " " + std::to_string(y + 20) + ")");
        lines.features.push_back(f);
        ElementFeature t;
        t.type = 3;
        t.width_m = 8.0;
        t.wkb = wkb_of(ctx, "POINT(" + std::to_string(u(rng)) + " " + std::to_string(u(rng)) + ")");
        trees.features.push_back(t);
    }
    r.sources = { lines, trees };
    return r;
}

void BM_Measure(benchmark::State& state)
{
    const MeasureRequest request = make_case(int(state.range(0)), int(state.range(1)));
    for (auto _ : state)
        benchmark::DoNotOptimize(measure(request));
    state.SetItemsProcessed(state.iterations() * std::int64_t(request.sources[0].features.size()) *
                            2);
}

} // namespace

BENCHMARK(BM_Measure)->Args({ 4, 200 })->Args({ 10, 200 })->Unit(benchmark::kMillisecond);
