#pragma once
/// @file change.h
/// STUB of the change-engine branch's API (landel compare codes against it); the lead drops
/// this commit when merging that branch. Change of landscape elements per area and type
/// between two measurement years, from the owned element geometry and rural land of two runs
/// (WKB in one projected CRS in metres).

#include "landel/core/progress.h"

#include <cstddef>
#include <string>
#include <vector>

namespace landel::analysis {

struct AreaYear
{
    int year = 0;
    std::string area_wkb;
    std::string rural_wkb;
    std::vector<std::string> owned_wkb; /* per type in types order, "" none */
};

struct ChangeOptions
{
    double tolerance_m = 0.5;
};

struct TypeChange
{
    double before_ha = 0, after_ha = 0, gained_ha = 0, lost_ha = 0, net_ha = 0, masked_ha = 0,
           realigned_ha = 0;
    std::string gained_wkb, lost_wkb, realigned_wkb;
};

struct Reclassification
{
    std::size_t from = 0, to = 0;
    double ha = 0;
    std::string wkb;
};

struct AreaChange
{
    std::vector<TypeChange> types;
    std::vector<Reclassification> reclassified;
};

std::vector<AreaChange> compare_areas(const std::vector<AreaYear>& before,
                                      const std::vector<AreaYear>& after,
                                      const ChangeOptions& options,
                                      const Progress& progress = {});

} // namespace landel::analysis
