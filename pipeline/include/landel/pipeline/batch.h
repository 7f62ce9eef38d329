#pragma once
/// @file batch.h
/// Many runs in one go (`landel batch`): one config template run once per unit of a layer
/// (each province, each municipality: the unit is the study area), or a list of configs.
/// Every unit writes its own output folder the way `landel run` does; a unit whose folder
/// records the same fingerprint (config, unit and input checksums) is complete and skipped,
/// so a batch that was stopped or killed is simply started again. At the end, when every unit
/// is complete, the units' tables are combined.

#include "landel/core/progress.h"
#include "landel/pipeline/run_log.h"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace landel::pipeline {

/// The layer of units a template is run for.
struct BatchUnits
{
    std::filesystem::path path;
    std::string layer;      ///< empty: the source's only layer
    std::string where;      ///< optional filter in the source's SQL dialect
    std::string name_field; ///< names each unit and its folder; values must be unique
    /// A given area belongs to a unit when at least this much of it lies inside the unit
    /// (smaller parts are slivers of boundaries that should coincide); parts are clipped.
    double min_part_ha = 0.01;
};

enum class UnitStatus
{
    Done,    ///< run now, complete
    Skipped, ///< complete from an earlier batch with the same fingerprint
    Failed,  ///< the run failed; the message says why
    NotRun   ///< the batch was stopped before the unit ran (or while it ran)
};

const char* to_string(UnitStatus status);

struct UnitReport
{
    std::string unit;   ///< the unit's name (field value or config name)
    std::string folder; ///< its output folder, relative to the batch folder
    UnitStatus status = UnitStatus::NotRun;
    double seconds = 0.0; ///< wall time of the run (0 when skipped)
    std::size_t areas = 0;
    std::size_t warnings = 0;
    std::string message; ///< the error of a failed unit
};

struct BatchOptions
{
    std::filesystem::path out;
    std::string out_as_given; ///< for messages
    /// One template (with units) or the configs to run, each a unit named after its file.
    std::vector<std::filesystem::path> configs;
    std::optional<BatchUnits> units;
    int jobs = 1;       ///< units run at the same time
    int threads = 1;    ///< worker threads for all of them together
    bool force = false; ///< run complete units again
    Progress progress;  ///< the whole batch, 0..1; the stage names the unit
    std::function<void(const UnitReport&)> on_unit; ///< after each unit, from any thread
    RunLog::Sink on_warning;                        ///< "<unit>: <warning>", from any thread
    RunLog::Sink on_info; ///< "<unit>: <info line>" (--verbose), from any thread
};

struct BatchOutcome
{
    std::vector<UnitReport> units; ///< in unit order
    bool combined = false;         ///< area_bid.csv and areas.gpkg written for all units
    std::size_t failed() const;
};

/// Runs the batch into options.out: `<folder>/` per unit, `batch.csv` (status, timing and
/// message per unit), `batch.log` (appended to on every start) and, when all units are
/// complete, `area_bid.csv` and `areas.gpkg` of all units with a leading `unit` column.
/// Errors in the template, the configs or the units layer throw before anything is written;
/// a failing unit does not stop the others. Throws Cancelled when progress asks to stop
/// (after writing batch.csv and batch.log).
BatchOutcome batch(const BatchOptions& options);

} // namespace landel::pipeline
