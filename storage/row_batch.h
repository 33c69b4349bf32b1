// RowBatch: a batch of scanned rows whose bytes are copied into one arena.
//
// Database cursors hand out pointers that die at the next step, so a scan
// copies each row's bytes into the batch's arena and hands the whole batch to
// its callback at once. The arena is allocated once and reused: once it has
// grown to fit the largest row, a scan allocates nothing per row.
#ifndef CHECKER_STORAGE_ROW_BATCH_H_
#define CHECKER_STORAGE_ROW_BATCH_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "model/node_id.h"
#include "storage/bundle_store.h"

namespace checker {

class RowBatch {
 public:
  // A batch is full at `max_rows` rows or when the next row's bytes do not fit
  // in the arena of `arena_bytes` (a larger single row grows the arena).
  RowBatch(size_t max_rows, size_t arena_bytes);

  // True if a row of `size` bytes can be added without flushing first.
  bool Fits(size_t size) const {
    return rows_.size() < max_rows_ && size <= arena_capacity_ - arena_used_;
  }
  // Copies a row in. REQUIRES: Fits(size) or empty().
  void Add(const NodeId& id, const uint8_t* data, size_t size);

  bool empty() const { return rows_.empty(); }
  std::span<const Row> rows() const { return rows_; }
  // Forgets the rows; the memory is kept for the next batch.
  void Clear();

 private:
  size_t max_rows_;
  std::vector<Row> rows_;
  std::unique_ptr<uint8_t[]> arena_;
  size_t arena_capacity_;
  size_t arena_used_ = 0;
};

}  // namespace checker

#endif  // CHECKER_STORAGE_ROW_BATCH_H_
