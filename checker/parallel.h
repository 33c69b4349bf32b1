// Running one loop on a few threads: the index build splits its passes into
// contiguous ranges, one per thread, that touch disjoint output.
#ifndef CHECKER_CHECKER_PARALLEL_H_
#define CHECKER_CHECKER_PARALLEL_H_

#include <algorithm>
#include <cstddef>
#include <thread>
#include <utility>
#include <vector>

namespace checker {

// The threads a build uses by default: the hardware's, at most 8.
inline int DefaultThreads() {
  return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
}

// Part `part` of [0, n) cut into `parts` nearly equal, contiguous ranges.
inline std::pair<size_t, size_t> SplitRange(size_t n, int parts, int part) {
  auto cut = [&](int k) {
    return static_cast<size_t>(static_cast<unsigned __int128>(n) * k / parts);
  };
  return {cut(part), cut(part + 1)};
}

// Runs fn(t) for t = 0 .. threads-1, t = 0 on the calling thread, and waits
// for all of them.
template <typename Fn>
void RunOnThreads(int threads, const Fn& fn) {
  std::vector<std::thread> helpers;
  for (int t = 1; t < threads; ++t) helpers.emplace_back([&fn, t] { fn(t); });
  fn(0);
  for (std::thread& helper : helpers) helper.join();
}

}  // namespace checker

#endif  // CHECKER_CHECKER_PARALLEL_H_
