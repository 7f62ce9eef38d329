#pragma once
/// @file error.h
/// Exceptions thrown by landel. The engine throws, the CLI and Python layers translate once.

#include <stdexcept>
#include <string>

namespace landel {

/// Base class of every landel error. The message is complete and user-facing: it names the
/// culprit (source, feature, key, area id) so a boundary can print it as one line.
class Error : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/// A value given by the caller is out of its allowed range or inconsistent with others.
class InvalidArgument : public Error
{
public:
    using Error::Error;
};

/// Two grids that must share cells (size and edges) do not.
class GridMismatch : public Error
{
public:
    using Error::Error;
};

/// GEOS failed on a geometry, or a geometry breaks a documented precondition.
class GeometryError : public Error
{
public:
    using Error::Error;
};

} // namespace landel
