// Running one loop on a few threads: the index build and the passes split
// their loops into contiguous ranges, one per thread, that touch disjoint
// output.
#ifndef CHECKER_CHECKER_PARALLEL_H_
#define CHECKER_CHECKER_PARALLEL_H_

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <thread>
#include <utility>
#include <vector>

namespace checker {

constexpr int kMaxThreads = 8;

// The threads a build uses by default: the hardware's, at most kMaxThreads.
inline int DefaultThreads() {
  return std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, kMaxThreads);
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

// Runs collect(begin, end) over [0, n) cut into `threads` ranges, one per
// thread, and concatenates what they return in range order: the result is
// that of one thread going through [0, n) in order.
template <typename T, typename Collect>
std::vector<T> CollectOnThreads(int threads, size_t n, const Collect& collect) {
  std::vector<std::vector<T>> parts(threads);
  RunOnThreads(threads, [&](int t) {
    auto [begin, end] = SplitRange(n, threads, t);
    parts[t] = collect(begin, end);
  });
  std::vector<T> all = std::move(parts[0]);
  for (int t = 1; t < threads; ++t) {
    all.insert(all.end(), std::make_move_iterator(parts[t].begin()),
               std::make_move_iterator(parts[t].end()));
  }
  return all;
}

}  // namespace checker

#endif  // CHECKER_CHECKER_PARALLEL_H_
