#pragma once
// Internal: a job's progress, shared out among its stages.

#include "landel/core/progress.h"

#include <string_view>

namespace landel::pipeline::detail {

/// A progress callback mapping [0, 1] onto [from, to] of @p whole (empty if @p whole is).
Progress progress_slice(const Progress& whole, double from, double to);

/// Reports @p fraction of @p stage to @p progress (when set) and throws Cancelled when it
/// answers that the job should stop.
void report_or_stop(const Progress& progress, double fraction, std::string_view stage);

} // namespace landel::pipeline::detail
