#include "stop_signals.h"

#include <csignal>

namespace landel::cli {

namespace {

volatile std::sig_atomic_t requested = 0;

extern "C" void on_stop(int signal)
{
    requested = signal;
}

} // namespace

void catch_stop_signals()
{
    struct sigaction action = {};
    action.sa_handler = on_stop;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

int stop_signal()
{
    return requested;
}

} // namespace landel::cli
