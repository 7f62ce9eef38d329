#pragma once
// Internal: owns a string that GDAL allocated and the caller must CPLFree (OGR's JSON and WKT
// exports), so that no return or exception path leaks it.

#include <cpl_conv.h>

#include <memory>

namespace landel::io {

struct CplFreeDeleter
{
    void operator()(char* p) const { CPLFree(p); }
};

using CplText = std::unique_ptr<char, CplFreeDeleter>;

} // namespace landel::io
