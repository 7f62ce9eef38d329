#pragma once
// Internal: a job's progress, shared out among its stages.

#include "landel/core/progress.h"

namespace landel::pipeline::detail {

/// A progress callback mapping [0, 1] onto [from, to] of @p whole (empty if @p whole is).
Progress progress_slice(const Progress& whole, double from, double to);

} // namespace landel::pipeline::detail
