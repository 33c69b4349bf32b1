// DecodePipeline: turns scanned batches into index rows on two threads.
//
// A store's Scan calls back on the scanning thread with batches whose bytes
// die when the callback returns. Push() either copies a batch (a memcpy) for
// the worker thread to decode, or, when the worker is behind, decodes it
// right there; the worker decodes what was copied and adds every batch to
// the IndexBuilder, in scan order. A slow backend (SQLite) thus leaves the
// decoding to the worker, and a fast one (LMDB) shares it between both
// threads. A few batch slots are reused: nothing is allocated per row.
//
// Contracts: Push and Finish are called from one thread; the builder must
// not be touched by anyone else until Finish returns. With threads < 2
// there is no worker and Push adds each batch itself.
#ifndef CHECKER_CHECKER_DECODE_PIPELINE_H_
#define CHECKER_CHECKER_DECODE_PIPELINE_H_

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "checker/index.h"
#include "storage/bundle_store.h"

namespace checker {

class DecodePipeline {
 public:
  DecodePipeline(IndexBuilder* builder, int threads);
  ~DecodePipeline();  // Finish()
  DecodePipeline(const DecodePipeline&) = delete;
  DecodePipeline& operator=(const DecodePipeline&) = delete;

  // Takes one scanned batch; returns once its bytes are no longer needed.
  void Push(std::span<const Row> rows);
  // Waits until every batch pushed is in the builder.
  void Finish();

 private:
  struct Slot {
    bool decoded = false;
    std::vector<uint8_t> arena;  // the copied bytes of `rows`
    std::vector<Row> rows;
    DecodedRows out;
  };

  void CopyInto(std::span<const Row> rows, Slot* slot);
  void RunWorker();

  IndexBuilder* builder_;
  GraphFields scratch_;  // the pushing thread's decoder buffers
  std::vector<std::unique_ptr<Slot>> slots_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Slot*> free_;
  std::deque<Slot*> queued_;  // pushed, not yet taken by the worker
  bool finishing_ = false;
  std::thread worker_;
};

}  // namespace checker

#endif  // CHECKER_CHECKER_DECODE_PIPELINE_H_
