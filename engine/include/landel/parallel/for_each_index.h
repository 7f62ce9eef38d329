#pragma once
/// @file for_each_index.h
/// Deterministic parallel loop: runs fn(i) for i in [0, n) on TBB workers, and if any calls
/// throw, rethrows the exception of the LOWEST index, so the error a user sees does not
/// depend on scheduling or the thread count. Once a call has thrown, calls of higher indices
/// that have not started are skipped (they cannot change which error is reported), and once
/// one has thrown Cancelled (a progress callback asked to stop) all that have not started
/// are: a stop takes effect at the next step, not at the end of the loop.

#include "landel/core/progress.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <cstddef>
#include <exception>
#include <limits>
#include <mutex>

#if defined(__SANITIZE_THREAD__)
#define LANDEL_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LANDEL_TSAN 1
#endif
#endif
#ifdef LANDEL_TSAN
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace landel::parallel {

namespace detail {
// ThreadSanitizer builds (scripts/check.sh): Debian's libtbb is not instrumented, so TSan
// cannot see the synchronisation by which parallel_for orders the loop's bodies after the
// code before it and before the code after it, and reports every hand-over as a race. These
// tell it exactly that fork/join order and nothing more: races between bodies stay visible.
inline void tsan_acquire(void* sync)
{
#ifdef LANDEL_TSAN
    __tsan_acquire(sync);
#else
    (void)sync;
#endif
}
inline void tsan_release(void* sync)
{
#ifdef LANDEL_TSAN
    __tsan_release(sync);
#else
    (void)sync;
#endif
}
} // namespace detail

template<class Fn>
void for_each_index(std::size_t n, Fn&& fn, std::size_t grain = 1)
{
    std::mutex mutex;
    std::size_t first_failed = std::numeric_limits<std::size_t>::max();
    std::exception_ptr error;
    // Read without the lock to skip work; only ever lowered / set, so a stale value merely
    // runs a call that will not matter.
    std::atomic<std::size_t> skip_above{ std::numeric_limits<std::size_t>::max() };
    std::atomic<bool> cancelled{ false };
    auto record = [&](std::size_t i, std::exception_ptr e) {
        std::lock_guard<std::mutex> lock(mutex);
        if (i < first_failed) {
            first_failed = i;
            error = std::move(e);
            skip_above.store(i, std::memory_order_relaxed);
        }
    };
    // ThreadSanitizer's sync addresses (see detail::tsan_acquire).
    char sync_fork = 0, sync_join = 0;
    detail::tsan_release(&sync_fork);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, grain),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                          detail::tsan_acquire(&sync_fork);
                          for (std::size_t i = range.begin(); i != range.end(); ++i) {
                              if (cancelled.load(std::memory_order_relaxed) ||
                                  i > skip_above.load(std::memory_order_relaxed))
                                  continue;
                              try {
                                  fn(i);
                              } catch (const Cancelled&) {
                                  cancelled.store(true, std::memory_order_relaxed);
                                  record(i, std::current_exception());
                              } catch (...) {
                                  record(i, std::current_exception());
                              }
                          }
                          detail::tsan_release(&sync_join);
                      });
    detail::tsan_acquire(&sync_join);
    if (error)
        std::rethrow_exception(error);
}

} // namespace landel::parallel
