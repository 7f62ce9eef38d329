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

    /// Throws an error of this one's type with @p message instead. A layer that rewrites a
    /// message (the pipeline names the output folder as the user gave it) must not turn a
    /// ConfigError into a plain Error: callers such as Python tell errors apart by type.
    /// Every subclass overrides it.
    [[noreturn]] virtual void rethrow_with(const std::string& message) const
    {
        throw Error(message);
    }
};

/// A value given by the caller is out of its allowed range or inconsistent with others.
class InvalidArgument : public Error
{
public:
    using Error::Error;
    [[noreturn]] void rethrow_with(const std::string& message) const override
    {
        throw InvalidArgument(message);
    }
};

/// Two grids that must share cells (size and edges) do not.
class GridMismatch : public Error
{
public:
    using Error::Error;
    [[noreturn]] void rethrow_with(const std::string& message) const override
    {
        throw GridMismatch(message);
    }
};

/// GEOS failed on a geometry, or a geometry breaks a documented precondition.
class GeometryError : public Error
{
public:
    using Error::Error;
    [[noreturn]] void rethrow_with(const std::string& message) const override
    {
        throw GeometryError(message);
    }
};

} // namespace landel
