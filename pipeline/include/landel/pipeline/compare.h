#pragma once
/// @file compare.h
/// `landel compare`: the change of the landscape elements between the measurement years of
/// earlier runs of the same areas, and each area's path to the milestones (docs/monitoring.md).

#include "landel/pipeline/job.h"

#include <filesystem>
#include <optional>
#include <vector>

namespace landel::pipeline {

struct CompareOptions
{
    /// Gained or lost parts thinner than this and within it of the other year's elements are
    /// redigitising noise, reported as realigned_ha (0: none is).
    double tolerance_m = 0.5;
    /// The run the paths to the milestones start from; none: the earliest.
    std::optional<int> baseline_year;
    /// The language of the outputs' labels: "en" or "nl" (docs/outputs.md, "Language").
    std::string language = "en";
};

/// Compares the output folders @p runs of earlier `landel run`s (at least two, of different
/// measurement years, the same types and the same areas), ordered by year: consecutive years
/// and baseline → last. Writes change.csv, change.gpkg, trajectory.csv, summary.json and
/// landel.log to options.out (required). The outcome counts the areas. Throws like run():
/// one-line errors naming the run folder, nothing written.
RunOutcome compare(const std::vector<std::filesystem::path>& runs,
                   const CompareOptions& compare,
                   const RunOptions& options);

} // namespace landel::pipeline
