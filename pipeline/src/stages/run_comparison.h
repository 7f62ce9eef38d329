#pragma once
// Internal: the change between runs read back for `landel compare` — consecutive years and
// baseline → last — by the engine's compare_areas (analysis/monitoring/change.h).

#include "landel/analysis/monitoring/change.h"
#include "landel/core/progress.h"
#include "landel/core/translation.h"
#include "stages/run_reader.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace landel::pipeline::detail {

/// One compared pair of runs.
struct PairChange
{
    std::size_t from = 0, to = 0;            ///< positions in Comparison::runs
    std::vector<analysis::AreaChange> areas; ///< per area, in the common order
};

/// Everything the outputs of a comparison are written from.
struct Comparison
{
    std::vector<RunFolder> runs;                     ///< by year
    std::vector<std::vector<std::size_t>> positions; ///< [run][area in the common order]
    std::vector<bool> raster;                        ///< per type: a raster type
    std::size_t baseline = 0;                        ///< the baseline run's position
    double tolerance_m = 0.5;
    /// Each consecutive pair, then baseline → last unless that is already one of them.
    std::vector<PairChange> pairs;
    /// Seconds per stage (read, change, then each output), summary.json's timings_s.
    std::vector<std::pair<std::string, double>> timings;
    /// The outputs' labels in the chosen language (output_language.h).
    std::shared_ptr<const Translation> words = std::make_shared<const Translation>();

    const std::vector<std::string>& types() const { return runs.front().types; }
    std::size_t area_count() const { return runs.front().areas.size(); }
    /// Area @p k (in the common order) of run @p r.
    const analysis::AreaMeasure& area(std::size_t r, std::size_t k) const
    {
        return runs[r].areas[positions[r][k]];
    }
};

/// The position of the baseline run: the run of @p baseline_year, else the earliest.
/// @throws Error, naming the setting by @p key, when no run has that year, or when it is the
/// last run's year.
std::size_t baseline_position(const std::vector<RunFolder>& runs,
                              const std::optional<int>& baseline_year,
                              const std::string& key = "--baseline-year");

/// Fills @p comparison.pairs (runs, positions, raster, baseline and tolerance_m set): the
/// element geometry of each run is handed to the engine once (moved out of the runs' areas)
/// and compared per pair; the last run gets its areas' geometry_wkb and owned_wkb back (the
/// change maps draw them), the other runs keep none. Raster types get before_ha, after_ha and
/// net_ha from the runs' hectares; their other figures stay 0 (the writers leave them empty).
void compare_runs(Comparison& comparison, const Progress& progress);

} // namespace landel::pipeline::detail
