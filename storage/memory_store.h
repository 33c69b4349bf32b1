// MemoryStore: bundle tables in memory, the test double of BundleStore.
//
// Behaves like the SQLite backend where callers can tell (same errors for a
// bad prefix, a missing table, a second concurrent transaction), with these
// choices and extras for tests:
// - Scan delivers rows in insertion order (replacing a row keeps its place),
//   deliberately not key order, in batches of batch_size() rows. Rows point
//   into the store: do not commit a transaction while a scan is running.
// - CountRows is exact.
// - A read snapshot holds nothing: with its one writer refused while the
//   snapshot is open (as on every backend), a memory store cannot change.
// - A transaction stages its writes and applies them all at Commit, so a
//   failure anywhere leaves the store exactly as it was.
// - Read counting: Get calls (on the store or inside a transaction) and rows
//   scanned, until ResetReadCounts.
// - Fault injection: FailWriteAt(n) and SetBusy(true).
// Not thread-safe. A transaction must not outlive its store.
#ifndef CHECKER_STORAGE_MEMORY_STORE_H_
#define CHECKER_STORAGE_MEMORY_STORE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/bundle_store.h"

namespace checker {

class MemoryStore final : public BundleStore {
 public:
  struct ReadCounts {
    uint64_t gets = 0;
    uint64_t rows_scanned = 0;
  };
  // Every table's rows by prefix, in key order.
  using Contents = std::map<std::string, std::map<NodeId, Bytes>>;

  explicit MemoryStore(size_t batch_size = 1024) : batch_size_(batch_size) {}

  // Rows per scan batch. REQUIRES: rows >= 1.
  void SetBatchSize(size_t rows) { batch_size_ = rows; }
  size_t batch_size() const { return batch_size_; }

  const ReadCounts& reads() const { return reads_; }
  void ResetReadCounts() { reads_ = ReadCounts(); }

  // Makes a later write fail with IOError: the n-th Put from now (0-based,
  // counting the Puts of all transactions), or the first Commit made when
  // exactly n Puts have happened since the call. A failed Put stages nothing;
  // a failed Commit applies nothing. Fires once; a new call replaces it.
  void FailWriteAt(uint64_t n) { puts_before_failure_ = n; }
  void ClearWriteFailure() { puts_before_failure_.reset(); }
  // While set, BeginWrite fails with Busy as if another process held the store.
  void SetBusy(bool busy) { busy_ = busy; }

  // A copy of every row, for before/after comparisons.
  Contents Dump() const;

  std::string Describe() const override { return "memory:"; }
  Result<std::vector<std::string>> ListBundleTables() override;
  Status Scan(std::string_view prefix, const ScanCallback& on_batch) override;
  std::optional<uint64_t> CountRows(std::string_view prefix) override;
  Result<std::optional<Bytes>> Get(std::string_view prefix, const NodeId& id) override;
  Result<std::unique_ptr<ReadSnapshot>> BeginReadSnapshot() override;
  Result<std::unique_ptr<WriteTransaction>> BeginWrite() override;

 private:
  friend class MemoryReadSnapshot;
  friend class MemoryWriteTransaction;

  // Rows in insertion order, with an index by id.
  struct Table {
    std::vector<std::pair<NodeId, Bytes>> rows;
    std::unordered_map<NodeId, size_t, NodeIdHash> index;

    const Bytes* Find(const NodeId& id) const;
    void Put(const NodeId& id, Bytes bytes);
  };
  using Tables = std::map<std::string, Table, std::less<>>;

  // The table, or the NotFound/InvalidArgument that Scan and Get report.
  Result<const Table*> FindTable(std::string_view prefix) const;
  // Called for each Put and each Commit: IOError if the injected failure is
  // due.
  Status CountPut();
  Status CheckCommit();

  Tables tables_;
  size_t batch_size_;
  ReadCounts reads_;
  std::optional<uint64_t> puts_before_failure_;
  bool busy_ = false;
  bool writing_ = false;   // a transaction is open
  bool snapshot_ = false;  // a ReadSnapshot is open
};

}  // namespace checker

#endif  // CHECKER_STORAGE_MEMORY_STORE_H_
