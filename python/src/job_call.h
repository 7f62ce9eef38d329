#pragma once
// Internal: how the bindings call a pipeline job (landel.run, landel.dask's merge): the
// options a Python caller gives, the GIL released and the thread limit set while the job
// works, and its outcome as a dict.

#include "landel/pipeline/run.h"

#include <pybind11/pybind11.h>

#include <functional>
#include <optional>
#include <string>

namespace landel::python {

/// @p threads when positive, else every core TBB sees.
int threads_or_all(int threads);

/// RunOptions from the keyword arguments every job binding takes.
pipeline::RunOptions job_options(const std::optional<std::string>& out,
                                 bool overwrite,
                                 int threads);

/// Runs @p job with @p options (warnings collected instead of printed) without the GIL, on
/// options.threads threads, and returns {output, areas, rural_ha, element_ha, warnings}.
pybind11::dict call_job(
  pipeline::RunOptions options,
  const std::function<pipeline::RunOutcome(const pipeline::RunOptions&)>& job);

} // namespace landel::python
