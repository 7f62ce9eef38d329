#pragma once
/// @file error.h
/// The io error type: a landel::Error whose message names the file (and layer, field...).

#include "landel/core/error.h"

namespace landel::io {

class IoError : public Error
{
public:
    using Error::Error;
    [[noreturn]] void rethrow_with(const std::string& message) const override
    {
        throw IoError(message);
    }
};

/// Makes GDAL quiet and safe for landel: no PAM .aux.xml files written beside inputs, errors
/// routed to exceptions instead of stderr. Call once before any other io function.
void initialise_gdal();

} // namespace landel::io
