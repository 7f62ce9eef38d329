#pragma once
/// @file contexts.h
/// GEOS contexts for parallel work.

#include "landel/geometry/geos_context.h"

#include <tbb/enumerable_thread_specific.h>

namespace landel::geometry {

/// One GEOS context per TBB worker, created on first use. Declare it before any geometry
/// made with its contexts, so that the geometries are destroyed first.
using Contexts = tbb::enumerable_thread_specific<GeosContext>;

} // namespace landel::geometry
