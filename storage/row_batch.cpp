// The arena only ever grows while the batch is empty, so rows already in the
// batch never point into freed memory.
#include "storage/row_batch.h"

#include <cstring>

namespace checker {

RowBatch::RowBatch(size_t max_rows, size_t arena_bytes)
    : max_rows_(max_rows),
      arena_(std::make_unique_for_overwrite<uint8_t[]>(arena_bytes)),
      arena_capacity_(arena_bytes) {
  rows_.reserve(max_rows);
}

void RowBatch::Add(const NodeId& id, const uint8_t* data, size_t size) {
  if (size > arena_capacity_ - arena_used_) {
    // Only reached when empty (see REQUIRES): a row larger than the arena.
    arena_ = std::make_unique_for_overwrite<uint8_t[]>(size);
    arena_capacity_ = size;
  }
  uint8_t* dest = arena_.get() + arena_used_;
  if (size > 0) std::memcpy(dest, data, size);
  arena_used_ += size;
  rows_.push_back(Row{id, ByteView(dest, size)});
}

void RowBatch::Clear() {
  rows_.clear();
  arena_used_ = 0;
}

}  // namespace checker
