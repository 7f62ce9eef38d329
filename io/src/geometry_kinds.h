#pragma once
// Internal: the io::kind_* bits of an OGR geometry type (0: mixed or unknown).

#include <ogr_core.h>

namespace landel::io {

int kinds_of(OGRwkbGeometryType type);

} // namespace landel::io
