#pragma once
/// @file version.h
/// The version of the library, as every output records it.

namespace landel::pipeline {

/// The landel version string.
const char* version();

} // namespace landel::pipeline
