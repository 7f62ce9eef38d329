#pragma once
/// @file bid.h
/// `landel bid`: the area bid again from an earlier run, without measuring.

#include "landel/pipeline/config.h"
#include "landel/pipeline/job.h"

#include <filesystem>

namespace landel::pipeline {

/// Recomputes the area bid from the output folder @p from of an earlier run (its areas.gpkg)
/// with @p config's bid settings and milestones, without measuring; writes area_bid.csv,
/// area_bid.xlsx, bid_phasing.csv, areas.gpkg, summary.json and landel.log to options.out.
/// The config's types and masks must be those of the run. Throws like run().
RunOutcome bid(const Config& config, const std::filesystem::path& from, const RunOptions& options);

} // namespace landel::pipeline
