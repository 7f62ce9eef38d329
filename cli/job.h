#pragma once
// What `run` and `delineate` share: the options of a job that writes an output folder, and
// running it with a thread limit and GDAL-style progress on stderr.

#include "landel/pipeline/job.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace landel::cli {

struct JobArgs
{
    std::string config;
    std::string out;
    std::string log;
    int threads = 0;
    bool overwrite = false;
    bool quiet = false;
    bool verbose = false;
};

/// Declares CONFIG, --out, --threads, --overwrite, --log, --quiet and --verbose on @p cmd.
void add_job_options(CLI::App* cmd, JobArgs& args);

/// Declares -q/--quiet and -v/--verbose (mutually exclusive).
void add_verbosity_options(CLI::App* cmd, bool& quiet, bool& verbose);

/// Accepts whole numbers from 1 up, with a message that says so (CLI11's own check prints
/// the largest double).
const CLI::Validator& whole_number_from_1();

/// Prints an info line of the log on stderr (--verbose).
void print_info(const std::string& message);

/// Runs @p job with TBB limited to --threads, the options filled from @p args and progress on
/// stderr unless --quiet, or the log's lines instead with --verbose (the bar is finished also
/// when the job throws).
pipeline::RunOutcome run_job(
  const JobArgs& args,
  const std::function<pipeline::RunOutcome(const pipeline::RunOptions&)>& job);

} // namespace landel::cli
