#pragma once
/// @file area_scope.h
/// Which of a config's areas a job measures: set by the command running the job (a batch
/// unit, a piece), never by the TOML, so it lives beside the Config rather than in it.

#include "landel/core/box_set.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace landel::pipeline {

struct AreaScope
{
    /// `landel batch` with a units layer, where one layer of areas serves every unit: given
    /// areas of which less than `unit_min_part_ha` lies in the study area are left out
    /// instead of being measured as 0 ha (or as a sliver).
    bool outside_study_left_out = false;
    double unit_min_part_ha = 0.01;
    /// A run measured in pieces (pieces.h) keeps only these areas, by their position in the
    /// order the areas are read or made; empty: all areas.
    std::vector<std::size_t> piece_areas;
    /// A run in pieces with areas.method "overlay" or "catchments": the areas delineated once
    /// for every piece (delineate_for_pieces(), as bytes); empty: delineated here.
    std::string delineated_areas;
    /// The pre-pass of a run in pieces (pieces.h, judge_patches): read only the sources with a
    /// patch rule (max_patch_ha, min_patch_ha), whole; the others, the study area and the
    /// areas are left empty.
    bool patch_sources_only = false;
    /// With patch_sources_only, for the patches judged in parts (patch_pieces.h): read those
    /// sources only near these boxes (a tile, a group's parts), through their spatial index.
    std::optional<BoxSet> patch_sources_near;
};

} // namespace landel::pipeline
