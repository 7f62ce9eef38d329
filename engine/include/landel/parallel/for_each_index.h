#pragma once
/// @file for_each_index.h
/// Deterministic parallel loop: runs fn(i) for i in [0, n) on TBB workers, and if any calls
/// throw, rethrows the exception of the LOWEST index, so the error a user sees does not
/// depend on scheduling or the thread count.

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cstddef>
#include <exception>
#include <limits>
#include <mutex>

namespace landel::parallel {

template<class Fn>
void for_each_index(std::size_t n, Fn&& fn, std::size_t grain = 1)
{
    std::mutex mutex;
    std::size_t first_failed = std::numeric_limits<std::size_t>::max();
    std::exception_ptr error;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, grain),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                          for (std::size_t i = range.begin(); i != range.end(); ++i) {
                              try {
                                  fn(i);
                              } catch (...) {
                                  std::lock_guard<std::mutex> lock(mutex);
                                  if (i < first_failed) {
                                      first_failed = i;
                                      error = std::current_exception();
                                  }
                              }
                          }
                      });
    if (error)
        std::rethrow_exception(error);
}

} // namespace landel::parallel
