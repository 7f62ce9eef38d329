#pragma once
/// @file validate.h
/// `landel validate`: a config checked and its inputs opened, without measuring.

#include "landel/pipeline/config.h"

#include <string>
#include <vector>

namespace landel::pipeline {

/// Checks a config and opens every input (paths, layers, fields, where clauses, CRSs)
/// without measuring. Returns one line per checked input. Throws landel::Error (or a
/// subclass) with a one-line message naming the culprit.
std::vector<std::string> validate(const Config& config);

} // namespace landel::pipeline
