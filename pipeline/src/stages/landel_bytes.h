#pragma once
// Internal: the bytes one landel hands another between the pieces of a run (prepared areas,
// partial results, patch verdicts, patch plans): a CBOR object tagged with the version of the
// landel that wrote it, which only the same version reads back (docs/python.md, Dask).

#include <nlohmann/json.hpp>

#include <string>

namespace landel::pipeline::detail {

/// @p object as CBOR bytes.
std::string cbor_bytes(const nlohmann::json& object);

/// @p bytes decoded as the object whose member @p tag names this landel's version.
/// @throws Error naming @p what ("a partial result", "patch verdicts") when they cannot be
/// decoded, are not tagged so, or were written by another version (then with @p advice).
nlohmann::json tagged_object(const std::string& bytes,
                             const char* tag,
                             const std::string& what,
                             const std::string& advice);

} // namespace landel::pipeline::detail
