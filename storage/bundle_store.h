// BundleStore: where bundles live, seen only as (16-byte id, bytes) rows.
//
// A repository keeps each workspace in its own table <PREFIX>BUNDLE (for
// example DEFAULT_BUNDLE, VERSION_BUNDLE); this interface names a table by
// its prefix ("DEFAULT_"). Storage knows nothing of the bundle format.
//
// Backends: sqlite (Jackrabbit's binary-key layout, sqlite_store.h), lmdb
// (one named database per table, lmdb_store.h), memory (tests,
// memory_store.h). Every method returns a Status; none throws.
#ifndef CHECKER_STORAGE_BUNDLE_STORE_H_
#define CHECKER_STORAGE_BUNDLE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/bytes.h"
#include "model/node_id.h"
#include "model/status.h"

namespace checker {

struct Row {
  NodeId id;
  ByteView bytes;  // valid only during the callback that receives it
};

// Receives scanned rows a batch at a time; a non-OK return stops the scan and
// becomes Scan's result.
using ScanCallback = std::function<Status(std::span<const Row> batch)>;

// All writes of one transaction become visible together at Commit, or not at
// all. Destroying an uncommitted transaction rolls it back. A transaction must
// not outlive the store that began it.
class WriteTransaction {
 public:
  virtual ~WriteTransaction() = default;
  // Creates the table <prefix>BUNDLE if it does not exist.
  virtual Status CreateTable(std::string_view prefix) = 0;
  // Reads a row as this transaction sees it; nullopt if absent.
  virtual Result<std::optional<Bytes>> Get(std::string_view prefix, const NodeId& id) = 0;
  // Inserts or replaces a row.
  virtual Status Put(std::string_view prefix, const NodeId& id, ByteView bytes) = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
};

// A read snapshot of a store, begun by BundleStore::BeginReadSnapshot: while
// it is open, every Get of that store reads one committed state, fixed no
// earlier than BeginReadSnapshot and no later than the first Get; commits
// made meanwhile (by another process or connection) are not seen. Only Get
// is covered: Scan, CountRows and ListBundleTables may read the
// snapshot or the newest state. A snapshot never writes and never blocks
// another reader; whether another process can commit while it is open is
// the backend's (see its header). Ending it releases what it holds; a
// snapshot must not outlive the store that began it.
class ReadSnapshot {
 public:
  // Ends the snapshot if End was not called, ignoring any error.
  virtual ~ReadSnapshot() = default;
  // Ends the snapshot: later Gets read the newest committed state again.
  // Calling it again does nothing and is OK.
  virtual Status End() = 0;
};

class BundleStore {
 public:
  virtual ~BundleStore() = default;

  // The store as the user named it, for messages (e.g. "sqlite:repo.db").
  virtual std::string Describe() const = 0;

  // The prefixes of all bundle tables, sorted.
  virtual Result<std::vector<std::string>> ListBundleTables() = 0;

  // Streams every row of <prefix>BUNDLE exactly once, in whatever order is
  // cheapest (not key order). NotFound if the table does not exist;
  // Corruption for a row whose key is not 16 bytes.
  virtual Status Scan(std::string_view prefix, const ScanCallback& on_batch) = 0;

  // The number of rows, if the backend can tell without reading the bundles
  // (from its own statistics, or by counting keys); nullopt if it cannot, or
  // if counting failed (the Scan that follows reports the cause). A hint for
  // sizing and progress, not a promise: rows may change before the scan.
  virtual std::optional<uint64_t> CountRows(std::string_view prefix) = 0;

  // Point lookup; nullopt if there is no such row.
  virtual Result<std::optional<Bytes>> Get(std::string_view prefix, const NodeId& id) = 0;

  // Begins a read snapshot (see ReadSnapshot), for many point lookups that
  // must agree with each other. One at a time per store, and never while a
  // write transaction of the store is open, nor a write transaction while it
  // is open (a write must start from the newest state): InvalidArgument.
  virtual Result<std::unique_ptr<ReadSnapshot>> BeginReadSnapshot() = 0;

  // Starts the single write transaction of a fix, copy or undo. Busy at once
  // (never a wait) when another process holds the store for writing;
  // InvalidArgument while a read snapshot of this store is open.
  virtual Result<std::unique_ptr<WriteTransaction>> BeginWrite() = 0;
};

enum class OpenMode {
  kReadOnly,   // check: the store is never written
  kReadWrite,  // fix, undo: the store must exist
  kCreate,     // fixtures, copy destination: created if missing
};

// Opens "sqlite:<file>", "lmdb:<dir>", or "memory:" (an empty MemoryStore,
// for tests). InvalidArgument for an unknown scheme or an empty path,
// NotFound for a missing file or directory in kReadOnly/kReadWrite mode,
// Corruption for a file that is not a database of that kind.
Result<std::unique_ptr<BundleStore>> OpenStore(std::string_view url, OpenMode mode);

}  // namespace checker

#endif  // CHECKER_STORAGE_BUNDLE_STORE_H_
