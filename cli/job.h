#pragma once
// What `run` and `delineate` share: the options of a job that writes an output folder, and
// running it with a thread limit and GDAL-style progress on stderr.

#include "landel/pipeline/run.h"

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
};

/// Declares CONFIG, --out, --threads, --overwrite, --log and --quiet on @p cmd.
void add_job_options(CLI::App* cmd, JobArgs& args);

/// Runs @p job with TBB limited to --threads, the options filled from @p args and progress on
/// stderr unless --quiet (the bar is finished also when the job throws).
pipeline::RunOutcome run_job(const JobArgs& args,
                             const std::function<pipeline::RunOutcome(const pipeline::RunOptions&)>& job);

} // namespace landel::cli
