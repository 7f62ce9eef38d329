#pragma once
// Internal: how the bindings call the engine and the pipeline jobs (landel.run, landel.bid,
// landel.render, landel.measure, landel.dask's merge): the options a Python caller gives, the
// work done on a thread of its own with the GIL released and the thread limit set, Ctrl-C
// honoured while it works, and a job's outcome as a dict.

#include "landel/core/progress.h"
#include "landel/pipeline/job.h"

#include <pybind11/pybind11.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <utility>

namespace landel::python {

/// @p threads when positive, else every core TBB sees.
int threads_or_all(int threads);

/// A Python progress callable (fraction, stage) -> bool or None, called from worker threads
/// with the GIL taken; empty for None.
Progress python_progress(pybind11::object callback);

/// @p progress, answering "stop" once @p stop is set (and otherwise what @p progress says).
Progress stoppable(Progress progress, const std::atomic<bool>& stop);

/// Runs work(stop) on a thread of its own while the calling thread (the one Python delivers
/// signals to) waits with the GIL released, looking for signals every 0.1 s. When a signal
/// handler raises (Ctrl-C: KeyboardInterrupt), `stop` is set, the work's progress callback
/// (made with stoppable) asks the engine to stop, and once the work has ended that Python
/// exception is raised; no half-written output is left, as with SIGINT on the CLI. Called
/// with the GIL held; the work must not touch Python objects except through callbacks that
/// take the GIL. Its C++ exceptions reach the caller (and pybind11's translators) unchanged.
template<class Work>
auto interruptible(Work work) -> decltype(work(std::declval<const std::atomic<bool>&>()))
{
    using Result = decltype(work(std::declval<const std::atomic<bool>&>()));
    std::atomic<bool> stop{ false };
    std::packaged_task<Result()> task([&work, &stop] { return work(stop); });
    std::future<Result> done = task.get_future();
    std::thread worker(std::move(task));
    bool interrupted = false;
    for (;;) {
        bool ready = false;
        {
            pybind11::gil_scoped_release release;
            ready = done.wait_for(std::chrono::milliseconds(100)) == std::future_status::ready;
        }
        if (ready)
            break;
        if (!interrupted && PyErr_CheckSignals() != 0) {
            interrupted = true; // the exception is set; wait for the work to stop
            stop = true;
        }
    }
    {
        pybind11::gil_scoped_release release;
        worker.join();
    }
    if (interrupted) {
        try {
            done.get(); // Cancelled, or finished just before it looked: the signal wins
        } catch (...) {
        }
        throw pybind11::error_already_set();
    }
    return done.get();
}

/// RunOptions from the keyword arguments every job binding takes.
pipeline::RunOptions job_options(const std::optional<std::string>& out,
                                 bool overwrite,
                                 int threads);

/// Runs @p job with @p options (warnings collected instead of printed) interruptibly, on
/// options.threads threads, and returns {output, areas, rural_ha, element_ha, warnings}.
pybind11::dict call_job(
  pipeline::RunOptions options,
  const std::function<pipeline::RunOutcome(const pipeline::RunOptions&)>& job);

} // namespace landel::python
