// The thread populates each block in 2 MiB chunks (one huge page where
// transparent huge pages are on), checking between chunks whether it is to
// stop, so that Stop() waits for one chunk at most.
#include "checker/prefaulter.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <utility>

namespace checker {
namespace {

constexpr size_t kChunk = size_t{2} << 20;

// The whole pages inside [begin, end).
std::pair<uintptr_t, uintptr_t> WholePages(const std::span<std::byte>& block) {
  constexpr uintptr_t kPage = 4096;  // a multiple of every page size in use is fine too
  auto begin = reinterpret_cast<uintptr_t>(block.data());
  auto end = begin + block.size();
  return {(begin + kPage - 1) / kPage * kPage, end / kPage * kPage};
}

}  // namespace

Prefaulter::Prefaulter(Prefaulter&& other) noexcept : state_(std::move(other.state_)) {}

Prefaulter& Prefaulter::operator=(Prefaulter&& other) noexcept {
  if (this != &other) {
    Stop();
    state_ = std::move(other.state_);
  }
  return *this;
}

void Prefaulter::Start(std::vector<std::span<std::byte>> blocks) {
  state_ = std::make_unique<State>();
  State* state = state_.get();
  state->thread = std::thread([state, blocks = std::move(blocks)] {
#if defined(MADV_POPULATE_WRITE)
    for (const std::span<std::byte>& block : blocks) {
      auto [at, end] = WholePages(block);
      for (; at < end && !state->stop.load(std::memory_order_relaxed); at += kChunk) {
        size_t bytes = std::min<uintptr_t>(kChunk, end - at);
        if (madvise(reinterpret_cast<void*>(at), bytes, MADV_POPULATE_WRITE) != 0) return;
      }
    }
#else
    (void)state;
    (void)blocks;
#endif
  });
}

void Prefaulter::Stop() {
  if (!state_) return;
  state_->stop.store(true, std::memory_order_relaxed);
  state_->thread.join();
  state_.reset();
}

}  // namespace checker
