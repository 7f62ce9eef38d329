// The raster pass's sums across areas, added up over pieces (raster_pass_sums.h).

#include "landel/analysis/measurement/raster_pass_sums.h"

#include "landel/analysis/measurement/measurement.h"
#include "landel/core/error.h"
#include "landel/core/text.h"
#include "landel/geometry/ops.h"

#include <algorithm>

namespace landel::analysis {

namespace {

constexpr const char* kCoverageNote = "coverage fractions computed ";

bool same_grid(const Grid& a, const Grid& b)
{
    return a.dx() == b.dx() && a.dy() == b.dy() && a.cols() == b.cols() && a.rows() == b.rows() &&
           a.extent().xmin == b.extent().xmin && a.extent().ymax == b.extent().ymax;
}

/// The note on how often coverage fractions were computed (MeasureResult::raster_notes).
std::string coverage_note(std::size_t coverage_passes, std::size_t rasters)
{
    return kCoverageNote + std::to_string(coverage_passes) +
           " times, once per area and chunk, shared by the " + std::to_string(rasters) +
           " raster source(s)";
}

/// The warnings on the areas' raster data (see apply_raster_sums).
void warn_raster_coverage(const std::vector<Box>& element_extents, MeasureResult& result)
{
    // Nodata inside a raster's extent leaves areas short of data just as its edge does.
    std::vector<std::string> short_of_data;
    for (const AreaMeasure& m : result.areas)
        if (m.nodata_ha >= gap_epsilon_ha)
            short_of_data.push_back(m.id + " (" + fixed_decimals(m.nodata_ha, 6) + " ha)");
    if (!short_of_data.empty())
        result.warnings.push_back("the raster element sources have no data for part of area(s) " +
                                  join_first(short_of_data) +
                                  "; that land is not counted as rural land (nodata_ha)");

    geometry::GeosContext ctx;
    std::vector<Box> area_env;
    for (const AreaMeasure& m : result.areas)
        area_env.push_back(
          m.geometry_wkb.empty()
            ? Box()
            : geometry::envelope(ctx, geometry::from_wkb(ctx, m.geometry_wkb).get()));
    for (std::size_t e = 0; e < result.raster_element_reports.size(); ++e) {
        const SourceReport& r = result.raster_element_reports[e];
        std::vector<std::string> outside;
        for (std::size_t i = 0; i < area_env.size(); ++i)
            if (!area_env[i].empty() && !element_extents.at(e).contains(area_env[i]))
                outside.push_back(result.areas[i].id);
        if (!outside.empty())
            result.warnings.push_back(r.label + ": does not cover the whole of area(s) " +
                                      join_first(outside) +
                                      "; the part outside the raster counts as nodata");
        if (!r.inside_rural_land)
            result.warnings.push_back(r.label +
                                      ": gives no element cell inside the areas' rural land; "
                                      "its types get 0 ha from it");
    }
}

} // namespace

void DensitySums::add(const DensitySums& other)
{
    if (other.empty())
        return;
    if (empty()) {
        *this = other;
        return;
    }
    if (!same_grid(grid, other.grid) || unit_m2 != other.unit_m2)
        throw InvalidArgument("density sums of different grids cannot be added (pieces of "
                              "different runs?)");
    const std::size_t r0 = std::min(row0, other.row0), c0 = std::min(col0, other.col0);
    const std::size_t r1 = std::max(row0 + rows, other.row0 + other.rows);
    const std::size_t c1 = std::max(col0 + cols, other.col0 + other.cols);
    if (r0 != row0 || c0 != col0 || r1 != row0 + rows || c1 != col0 + cols) {
        DensitySums grown;
        grown.grid = grid;
        grown.unit_m2 = unit_m2;
        grown.row0 = r0;
        grown.col0 = c0;
        grown.rows = r1 - r0;
        grown.cols = c1 - c0;
        grown.element.assign(grown.rows * grown.cols, 0);
        grown.covered.assign(grown.rows * grown.cols, 0);
        grown.add(*this);
        *this = std::move(grown);
    }
    for (std::size_t r = 0; r < other.rows; ++r)
        for (std::size_t c = 0; c < other.cols; ++c) {
            const std::size_t from = r * other.cols + c;
            const std::size_t to = (other.row0 + r - row0) * cols + (other.col0 + c - col0);
            element[to] += other.element[from];
            covered[to] += other.covered[from];
        }
}

Raster<float> DensitySums::raster() const
{
    Raster<float> out(grid, 0.0f);
    out.mask().assign(grid.size(), 0);
    const double cell = grid.cell_area();
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
            const std::size_t k = r * cols + c;
            if (covered[k] == 0)
                continue;
            const std::size_t j = (row0 + r) * grid.cols() + col0 + c;
            out.values()[j] = float(std::min(1.0, double(element[k]) * unit_m2 / cell));
            out.mask()[j] = 1;
        }
    return out;
}

void RasterPassSums::add(const RasterPassSums& other)
{
    density.add(other.density);
    if (element_extents.empty())
        element_extents = other.element_extents;
    coverage_passes += other.coverage_passes;
    std::vector<ChunkCells> merged;
    merged.reserve(chunks.size() + other.chunks.size());
    std::size_t a = 0, b = 0;
    while (a < chunks.size() || b < other.chunks.size()) {
        if (b == other.chunks.size() ||
            (a < chunks.size() && chunks[a].chunk <= other.chunks[b].chunk)) {
            if (b < other.chunks.size() && chunks[a].chunk == other.chunks[b].chunk)
                ++b; // the same cells, read by two pieces: counted once
            merged.push_back(std::move(chunks[a++]));
        } else {
            merged.push_back(other.chunks[b++]);
        }
    }
    chunks = std::move(merged);
}

void apply_raster_sums(const RasterPassSums& sums, MeasureResult& result)
{
    const std::size_t n_masks = result.raster_mask_reports.size();
    const std::size_t n_rasters = n_masks + result.raster_element_reports.size();
    for (std::size_t l = 0; l < n_rasters; ++l) {
        SourceReport& r =
          l < n_masks ? result.raster_mask_reports[l] : result.raster_element_reports[l - n_masks];
        r.cells_read = 0;
        r.valid_cells = 0;
        for (const ChunkCells& c : sums.chunks) {
            r.cells_read += c.read.at(l);
            r.valid_cells += c.valid.at(l);
        }
        if (l >= n_masks && r.cells_read > 0 && r.valid_cells == 0)
            throw InvalidArgument(r.label + ": has only nodata cells over the areas");
    }
    const std::string note = coverage_note(sums.coverage_passes, n_rasters);
    auto old = std::find_if(result.raster_notes.begin(),
                            result.raster_notes.end(),
                            [](const std::string& n) { return n.rfind(kCoverageNote, 0) == 0; });
    if (old != result.raster_notes.end())
        *old = note;
    else
        result.raster_notes.push_back(note);
    if (!sums.density.empty())
        result.density = sums.density.raster();
    warn_raster_coverage(sums.element_extents, result);
}

} // namespace landel::analysis
