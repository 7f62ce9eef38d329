#pragma once
// Internal: an earlier run's output folder read back whole for `landel compare`: its year,
// types, milestones and every area's figures, area, rural land and owned element geometry.

#include "landel/analysis/measurement/measurement.h"
#include "landel/analysis/measurement/targets.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

struct RunFolder
{
    std::filesystem::path folder; ///< as given
    int year = 0;                 ///< run.measurement_year, else the year of dataset.as_of
    std::optional<std::string> as_of;
    std::string landel_version; ///< of the landel that made it
    std::string crs;            ///< run.crs as the run's config gave it
    /// targets.baseline_year of the run's config (summary.json `targets`); none when not set
    /// or when the run was made by a landel that did not record it.
    std::optional<int> baseline_year;
    /// The run's dataset preset warned that the registry was incomplete on as_of ("cover
    /// less than"): its changes may show the registry's capture rather than the landscape.
    bool incomplete_registry = false;
    std::vector<std::string> types; ///< the ha_<type> columns of `areas`, in column order
    /// From the target_<year>_ha columns: share = target / rural_ha (rounded to 9 decimals) of
    /// the area with the most rural land; empty when no area has rural land.
    std::vector<analysis::Milestone> milestones;
    /// Per area (in the rows' order): figures, geometry_wkb, rural_wkb and owned_wkb.
    std::vector<analysis::AreaMeasure> areas;
};

/// Reads the run in @p folder: summary.json and areas.gpkg's layers `areas`, `elements` and
/// `rural_land`. @throws Error, one line naming the folder, when it is not a landel run's
/// output folder, has no measurement year, or lacks a layer or column (made by an older
/// landel: rerun it).
RunFolder read_run_folder(const std::filesystem::path& folder);

/// Reads the types, milestones and areas of @p run from its areas.gpkg @p gpkg (the rest of
/// @p run already filled in; its folder names it in errors).
void read_run_areas(const std::filesystem::path& gpkg, RunFolder& run);

/// The files of @p folder a comparison reads (its summary.json and areas.gpkg), so that the
/// output folder can be refused when it would contain them.
std::vector<std::filesystem::path> run_folder_inputs(const std::filesystem::path& folder);

} // namespace landel::pipeline::detail
