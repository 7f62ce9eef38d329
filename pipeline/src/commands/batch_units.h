#pragma once
// Internal: the units of a batch — which runs, under which names and folders, and the
// fingerprint that tells a complete unit from one that must run (again).

#include "landel/pipeline/area_scope.h"
#include "landel/pipeline/batch.h"
#include "landel/pipeline/config.h"

#include <string>
#include <vector>

namespace landel::pipeline::detail {

struct PlannedUnit
{
    std::string name;
    std::string folder; ///< a file name inside the batch folder
    Config config;      ///< the unit's own config (the template with the unit as study area)
    AreaScope scope;    ///< a template's unit leaves out the areas outside it
    /// SHA-256 over the landel version, the config file, the unit's selection and the
    /// checksum of every input file the config names (with shapefile-style sidecars).
    std::string fingerprint;
};

/// Loads the template or the configs and lists the units in order (the units layer's
/// feature order, or the order of the configs). Throws Error naming the config, the units
/// layer or the field on anything wrong: a missing or empty name, two units with the same
/// name or folder.
std::vector<PlannedUnit> plan_units(const BatchOptions& options);

/// Every input file the units read (for the check that the batch folder holds none).
std::vector<std::filesystem::path> batch_inputs(const BatchOptions& options,
                                                const std::vector<PlannedUnit>& units);

} // namespace landel::pipeline::detail
