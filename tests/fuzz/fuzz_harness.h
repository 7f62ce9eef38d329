#pragma once
// What every landel fuzz target does with a finding: print it under the target's name and
// abort, so libFuzzer keeps the input as a reproducer. And the one rule they share: only the
// documented error type may escape; any other exception is a finding.

#include <cstdio>
#include <cstdlib>
#include <exception>

namespace landel::fuzz {

[[noreturn]] inline void finding(const char* target, const char* what)
{
    std::fprintf(stderr, "%s: %s\n", target, what);
    std::abort();
}

/// Calls @p body; an @p Allowed exception is an accepted refusal of the input, any other
/// exception a finding.
template<class Allowed, class Body>
void only_refusals_of(const char* target, Body&& body)
{
    try {
        body();
    } catch (const Allowed&) {
        // refused with a message: the input was bad, landel said so
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: unexpected exception: %s\n", target, e.what());
        std::abort();
    }
}

} // namespace landel::fuzz
