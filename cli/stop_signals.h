#pragma once
// SIGINT and SIGTERM ask a running job to stop: the next progress check cancels it, its
// temporary output folder is removed, and landel exits with 128 + the signal (130, 143).

namespace landel::cli {

/// Installs the handlers (once).
void catch_stop_signals();

/// The signal that asked to stop, or 0.
int stop_signal();

} // namespace landel::cli
