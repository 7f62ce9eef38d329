// `batch`: one config template per unit of a layer, or a list of configs; resumable.

#include "commands.h"
#include "job.h"
#include "stop_signals.h"
#include "terminal_progress.h"

#include "landel/core/error.h"
#include "landel/pipeline/batch.h"

#include <tbb/global_control.h>
#include <tbb/info.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace landel::cli {

namespace {

struct BatchArgs
{
    std::vector<std::string> configs;
    std::string out;
    std::string units;
    std::string units_layer;
    std::string units_where;
    std::string unit_field;
    double min_part_ha = 0.01;
    int jobs = 1;
    int threads = 0;
    bool force = false;
    bool quiet = false;
    bool verbose = false;
};

} // namespace

Action add_batch_command(CLI::App& app)
{
    auto args = std::make_shared<BatchArgs>();
    CLI::App* cmd = app.add_subcommand("batch",
                                       "Run a config template once per unit of a layer (or several "
                                       "configs); resumes where it stopped");
    cmd->add_option("config", args->configs, "The template (with --units) or the configs to run")
      ->required();
    cmd
      ->add_option("--out",
                   args->out,
                   "Batch folder: a folder per unit, batch.csv, batch.log, combined tables")
      ->required();
    cmd->add_option("--units",
                    args->units,
                    "Layer of units (e.g. provinces); each unit is the study area of one run");
    cmd->add_option("--units-layer", args->units_layer, "Layer in --units (when it has several)");
    cmd->add_option(
      "--units-where", args->units_where, "Attribute filter on --units, in its SQL dialect");
    cmd->add_option(
      "--unit-field", args->unit_field, "Field naming each unit and its folder (unique values)");
    cmd
      ->add_option(
        "--min-part-ha",
        args->min_part_ha,
        "An area belongs to a unit when at least this much of it lies inside (default 0.01)")
      ->check(CLI::NonNegativeNumber);
    cmd->add_option("-j,--jobs", args->jobs, "Units run at the same time (default 1)")
      ->check(whole_number_from_1());
    cmd
      ->add_option(
        "--threads", args->threads, "Worker threads for all units together (default: all cores)")
      ->check(whole_number_from_1());
    cmd->add_flag(
      "--force", args->force, "Run units again that are complete from an earlier batch");
    add_verbosity_options(cmd, args->quiet, args->verbose);
    return [args, cmd]() -> int {
        if (!cmd->parsed())
            return -1;
        const int threads = args->threads > 0 ? args->threads : tbb::info::default_concurrency();
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(threads));

        pipeline::BatchOptions options;
        options.out = args->out;
        options.out_as_given = args->out;
        for (const std::string& c : args->configs)
            options.configs.emplace_back(c);
        if (!args->units.empty())
            options.units = pipeline::BatchUnits{ args->units,
                                                  args->units_layer,
                                                  args->units_where,
                                                  args->unit_field,
                                                  args->min_part_ha };
        else if (!args->units_layer.empty() || !args->units_where.empty() ||
                 !args->unit_field.empty())
            throw Error("--units-layer, --units-where and --unit-field need --units");
        options.jobs = args->jobs;
        options.threads = threads;
        options.force = args->force;

        std::mutex print;
        TerminalProgress bar;
        const bool show_bar = !args->quiet && !args->verbose;
        if (show_bar)
            bar.start();
        options.progress = [&bar, show_bar](double f, std::string_view stage) {
            if (stop_signal() != 0)
                return false;
            return show_bar ? bar(f, stage) : true;
        };
        options.on_warning = [&print](const std::string& m) {
            std::lock_guard<std::mutex> lock(print);
            print_warning(m);
        };
        if (args->verbose) {
            options.on_info = [&print](const std::string& m) {
                std::lock_guard<std::mutex> lock(print);
                print_info(m);
            };
            options.on_unit = [&print](const pipeline::UnitReport& r) {
                std::lock_guard<std::mutex> lock(print);
                std::fprintf(stderr,
                             "landel: unit '%s': %s (%.1f s)%s%s\n",
                             r.unit.c_str(),
                             pipeline::to_string(r.status),
                             r.seconds,
                             r.message.empty() ? "" : ": ",
                             r.message.c_str());
            };
        }
        pipeline::BatchOutcome outcome;
        try {
            outcome = pipeline::batch(options);
        } catch (...) {
            bar.finish();
            throw;
        }
        bar.finish();

        std::size_t done = 0, skipped = 0;
        for (const pipeline::UnitReport& r : outcome.units) {
            done += r.status == pipeline::UnitStatus::Done;
            skipped += r.status == pipeline::UnitStatus::Skipped;
        }
        const std::size_t failed = outcome.failed();
        if (!args->quiet)
            std::fprintf(
              stderr,
              "landel: batch of %zu units: %zu run, %zu complete already, %zu failed -> %s\n",
              outcome.units.size(),
              done,
              skipped,
              failed,
              args->out.c_str());
        if (failed > 0) {
            std::string first;
            for (const pipeline::UnitReport& r : outcome.units)
                if (r.status == pipeline::UnitStatus::Failed && first.empty())
                    first = "'" + r.unit + "': " + r.message;
            print_error(std::to_string(failed) + " of " + std::to_string(outcome.units.size()) +
                        " units failed (see batch.csv; no combined tables), first " + first);
            return 1;
        }
        return 0;
    };
}

} // namespace landel::cli
