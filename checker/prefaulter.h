// Prefaulter: maps in, on a thread of its own, the pages of memory that is
// reserved now and will be written soon, so that the threads that write it
// do not stop at a page fault per page (or per huge page).
//
// Why: the index builder knows, when the row count is known up front, how
// much memory the scan will fill (its arrays and the interner's table).
// Populated in 2 MiB chunks by madvise(MADV_POPULATE_WRITE), on a thread
// that runs while the scanning thread waits for the worker, the same pages
// cost the kernel less than a fault each, and the faults leave the worker's
// path: on the 10M-node benchmark store the scan phase went from about 2 s
// to 1.6 s and the check's system time roughly halved (bench/README.md).
// Where the kernel lacks MADV_POPULATE_WRITE (before Linux 5.14) the first
// chunk fails and the thread ends: the pages are then faulted in by their
// writers, as without it.
//
// Contracts: each block must stay mapped, at the same address, until Stop()
// returns; the owner calls Stop() before anything that could unmap or move
// a block (growing it with mremap, freeing it). Populating never changes
// what the memory holds. Stop(), the destructor and assigning over a
// running Prefaulter wait for its thread. Movable, not copyable.
#ifndef CHECKER_CHECKER_PREFAULTER_H_
#define CHECKER_CHECKER_PREFAULTER_H_

#include <atomic>
#include <cstddef>
#include <memory>
#include <span>
#include <thread>
#include <vector>

namespace checker {

class Prefaulter {
 public:
  Prefaulter() = default;
  Prefaulter(Prefaulter&& other) noexcept;
  Prefaulter& operator=(Prefaulter&& other) noexcept;
  ~Prefaulter() { Stop(); }

  // Starts populating `blocks`, in order. REQUIRES: not running.
  void Start(std::vector<std::span<std::byte>> blocks);
  // Ends the population after the chunk in progress; waits for the thread.
  void Stop();
  bool running() const { return state_ != nullptr; }

 private:
  struct State {
    std::atomic<bool> stop{false};
    std::thread thread;
  };
  std::unique_ptr<State> state_;
};

}  // namespace checker

#endif  // CHECKER_CHECKER_PREFAULTER_H_
