#include "landel/pipeline/batch.h"

#include "commands/batch_combine.h"
#include "commands/batch_units.h"
#include "landel/core/error.h"
#include "landel/io/table_writers.h"
#include "landel/pipeline/run.h"
#include "landel/pipeline/staged_folder.h"
#include "landel/pipeline/version.h"
#include "stages/inputs.h"

#include <nlohmann/json.hpp>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace landel::pipeline {

namespace fs = std::filesystem;

const char* to_string(UnitStatus status)
{
    switch (status) {
        case UnitStatus::Done:
            return "done";
        case UnitStatus::Skipped:
            return "skipped";
        case UnitStatus::Failed:
            return "failed";
        case UnitStatus::NotRun:
            return "not_run";
    }
    return "";
}

std::size_t BatchOutcome::failed() const
{
    return static_cast<std::size_t>(
      std::count_if(units.begin(), units.end(), [](const UnitReport& u) {
          return u.status == UnitStatus::Failed;
      }));
}

namespace {

/// What a unit's summary.json records: its fingerprint ("" when it has none: no folder, and
/// an interrupted run never gets one, since folders appear complete or not at all).
struct Recorded
{
    std::string fingerprint;
    std::size_t areas = 0;
    std::size_t warnings = 0;
};

Recorded recorded(const fs::path& folder)
{
    std::ifstream in(folder / "summary.json");
    if (!in)
        return {};
    try {
        const nlohmann::json j = nlohmann::json::parse(in);
        return { j.at("batch").at("fingerprint").get<std::string>(),
                 j.at("totals").at("areas").get<std::size_t>(),
                 j.at("warnings").size() };
    } catch (const std::exception&) {
        return {};
    }
}

/// Overall progress: each unit's fraction, summed; the callback is not thread-safe.
class BatchProgress
{
public:
    BatchProgress(const Progress& whole, std::size_t units)
      : m_whole(whole)
      , m_fraction(units, 0.0)
    {
    }

    bool update(std::size_t unit, double fraction, std::string_view stage)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_fraction[unit] = std::max(m_fraction[unit], std::clamp(fraction, 0.0, 1.0));
        double sum = 0.0;
        for (double f : m_fraction)
            sum += f;
        if (m_stopped || !m_whole)
            return !m_stopped;
        // Checked even when the whole run is quiet: this is where a stop signal arrives.
        if (!m_whole(sum / double(m_fraction.size()), stage))
            m_stopped = true;
        return !m_stopped;
    }

    bool stopped()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_stopped;
    }

private:
    Progress m_whole;
    std::vector<double> m_fraction;
    std::mutex m_mutex;
    bool m_stopped = false;
};

std::string seconds_text(double s)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", s);
    return buf;
}

void write_status_table(const fs::path& out, const std::vector<UnitReport>& reports)
{
    Table t;
    t.columns = {
        { "unit", ColumnKind::Text, 0, "" },     { "folder", ColumnKind::Text, 0, "" },
        { "status", ColumnKind::Text, 0, "" },   { "seconds", ColumnKind::Real, 1, "" },
        { "areas", ColumnKind::Integer, 0, "" }, { "warnings", ColumnKind::Integer, 0, "" },
        { "message", ColumnKind::Text, 0, "" }
    };
    for (const UnitReport& r : reports)
        t.rows.push_back({ r.unit,
                           r.folder,
                           std::string(to_string(r.status)),
                           r.seconds,
                           std::int64_t(r.areas),
                           std::int64_t(r.warnings),
                           r.message });
    const fs::path tmp = out / ("batch.csv.tmp-" + std::to_string(::getpid()));
    io::write_csv(tmp, t);
    std::error_code ec;
    fs::rename(tmp, out / "batch.csv", ec);
    if (ec)
        throw Error("cannot write '" + (out / "batch.csv").string() + "': " + ec.message());
}

/// The batch folder, made if needed. It is resumable, not staged: it may exist (an earlier
/// batch), but it must not be or hold an input, and it must be a folder we can write.
fs::path batch_folder(const BatchOptions& options, const std::vector<detail::PlannedUnit>& units)
{
    std::error_code ec;
    const fs::path out = fs::weakly_canonical(fs::absolute(options.out, ec), ec);
    if (ec || out.filename().empty())
        throw Error("--out '" + options.out_as_given + "': not a usable folder name");
    for (const fs::path& input : detail::batch_inputs(options, units)) {
        const fs::path in = fs::weakly_canonical(fs::absolute(input, ec), ec);
        if (!ec && is_within(in, out))
            throw Error("--out '" + options.out_as_given + "' equals or contains the input '" +
                        input.string() + "'; choose another output folder");
    }
    if (fs::exists(out, ec) && !fs::is_directory(out, ec))
        throw Error("--out '" + options.out_as_given + "' exists and is not a folder");
    fs::create_directories(out, ec);
    if (ec)
        throw Error("--out '" + options.out_as_given + "': cannot create it: " + ec.message());
    remove_dead_staging(out); // left by a batch that was killed outright
    return out;
}

/// The log line of a unit's outcome.
std::string report_line(const UnitReport& r)
{
    std::string line = "unit '" + r.unit + "': " + to_string(r.status);
    if (r.status == UnitStatus::Done)
        line += " in " + seconds_text(r.seconds) + " s (" + std::to_string(r.areas) + " areas, " +
                std::to_string(r.warnings) + " warnings)";
    if (!r.message.empty())
        line += ": " + r.message;
    return line;
}

/// The run options of one unit: its folder under @p out, its share of the threads, its
/// progress and its log lines named by the unit.
RunOptions unit_run_options(const BatchOptions& options,
                            const detail::PlannedUnit& unit,
                            std::size_t i,
                            const fs::path& out,
                            int threads,
                            BatchProgress& progress)
{
    RunOptions run_options;
    run_options.out = out / unit.folder;
    run_options.overwrite = true; // an incomplete or outdated unit folder of this batch
    run_options.threads = threads;
    run_options.batch = RunOptions::BatchStamp{ unit.name, unit.fingerprint };
    run_options.scope = unit.scope;
    run_options.progress = [&progress, &unit, i](double f, std::string_view) {
        return progress.update(i, f, unit.name);
    };
    if (options.on_warning)
        run_options.on_warning = [&options, &unit](const std::string& m) {
            options.on_warning(unit.name + ": " + m);
        };
    if (options.on_info)
        run_options.on_info = [&options, &unit](const std::string& m) {
            options.on_info(unit.name + ": " + m);
        };
    return run_options;
}

/// Runs unit @p i in @p arena and records its outcome in @p r: done, failed (the others go
/// on) or not run (stopped).
void run_unit(tbb::task_arena& arena,
              const detail::PlannedUnit& unit,
              const RunOptions& run_options,
              std::size_t i,
              BatchProgress& progress,
              UnitReport& r)
{
    const auto start = std::chrono::steady_clock::now();
    try {
        const RunOutcome done = arena.execute([&] { return run(unit.config, run_options); });
        r.status = UnitStatus::Done;
        r.areas = done.areas;
        r.warnings = done.warnings;
    } catch (const Cancelled&) {
        r.status = UnitStatus::NotRun;
        r.message = "stopped while running";
    } catch (const std::exception& e) {
        r.status = UnitStatus::Failed;
        r.message = e.what();
        progress.update(i, 1.0, unit.name);
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// The combined area_bid.csv and areas.gpkg when every unit is complete; otherwise those of
/// an earlier batch are removed, as they no longer describe these units.
void combine_units(const fs::path& out,
                   const std::vector<detail::PlannedUnit>& units,
                   const io::Crs& crs,
                   bool stopped,
                   BatchOutcome& outcome,
                   RunLog& log)
{
    const bool all_complete =
      std::all_of(outcome.units.begin(), outcome.units.end(), [](const UnitReport& r) {
          return r.status == UnitStatus::Done || r.status == UnitStatus::Skipped;
      });
    if (all_complete && !stopped) {
        std::vector<detail::CompleteUnit> complete;
        for (const detail::PlannedUnit& unit : units)
            complete.push_back({ unit.name, out / unit.folder });
        detail::write_combined(out, complete, units.front().config, crs);
        outcome.combined = true;
        log.info("combined area_bid.csv and areas.gpkg of " + std::to_string(units.size()) +
                 " units");
        return;
    }
    std::error_code ec;
    for (const char* name : { "area_bid.csv", "batch_gaps.csv", "areas.gpkg" })
        fs::remove(out / name, ec);
    log.info(stopped ? "stopped; run the same command again to resume"
                     : "not every unit is complete: no combined tables (see batch.csv)");
}

} // namespace

/// 1. Plan the units and prepare the batch folder; 2. skip the units complete from an earlier
/// batch; 3. run the others, `jobs` at a time; 4. write batch.csv and the combined tables.
BatchOutcome batch(const BatchOptions& options)
{
    // 1. Units and folder.
    std::vector<detail::PlannedUnit> units = detail::plan_units(options);
    const io::Crs crs = detail::run_crs(units.front().config);
    const fs::path out = batch_folder(options, units);
    RunLog log(out / "batch.log");
    log.info(std::string("landel ") + version() + " batch of " + std::to_string(units.size()) +
             " units, " + std::to_string(options.jobs) + " at a time, " +
             std::to_string(options.threads) + " threads");

    BatchOutcome outcome;
    outcome.units.resize(units.size());
    for (std::size_t i = 0; i < units.size(); ++i) {
        outcome.units[i].unit = units[i].name;
        outcome.units[i].folder = units[i].folder;
    }
    BatchProgress progress(options.progress, units.size());
    std::mutex report_mutex;
    auto report = [&](std::size_t i) {
        const UnitReport& r = outcome.units[i];
        std::lock_guard<std::mutex> lock(report_mutex);
        if (r.status == UnitStatus::Failed)
            log.error(report_line(r));
        else
            log.info(report_line(r));
        if (options.on_unit)
            options.on_unit(r);
    };

    // 2. Complete units first: they need no thread.
    std::vector<std::size_t> to_run;
    for (std::size_t i = 0; i < units.size(); ++i) {
        const Recorded before = recorded(out / units[i].folder);
        if (!options.force && before.fingerprint == units[i].fingerprint) {
            outcome.units[i].status = UnitStatus::Skipped;
            outcome.units[i].areas = before.areas;
            outcome.units[i].warnings = before.warnings;
            outcome.units[i].message = "complete from an earlier batch";
            progress.update(i, 1.0, units[i].name);
            report(i);
        } else {
            to_run.push_back(i);
        }
    }

    // 3. The others, each worker taking the next unit in a TBB arena of its own.
    const int jobs = std::max(
      1, std::min<int>(options.jobs, static_cast<int>(std::max<std::size_t>(to_run.size(), 1))));
    const int threads_per_unit = std::max(1, options.threads / jobs);
    std::atomic<std::size_t> next{ 0 };
    auto worker = [&]() {
        tbb::task_arena arena(threads_per_unit);
        for (std::size_t k = next++; k < to_run.size(); k = next++) {
            const std::size_t i = to_run[k];
            if (progress.stopped())
                continue; // NotRun
            const RunOptions run_options =
              unit_run_options(options, units[i], i, out, threads_per_unit, progress);
            run_unit(arena, units[i], run_options, i, progress, outcome.units[i]);
            report(i);
        }
    };
    std::vector<std::thread> pool;
    for (int j = 1; j < jobs; ++j)
        pool.emplace_back(worker);
    worker();
    for (std::thread& t : pool)
        t.join();

    // 4. Tables.
    write_status_table(out, outcome.units);
    const bool stopped = progress.stopped();
    combine_units(out, units, crs, stopped, outcome, log);
    if (stopped)
        throw Cancelled();
    return outcome;
}

} // namespace landel::pipeline
