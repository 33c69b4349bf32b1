// LmdbStore: bundle tables in an LMDB environment (url lmdb:<dir>).
//
// One environment per repository (the directory), one named database per
// table, named like the SQL table ("DEFAULT_BUNDLE"), case-sensitive; key =
// the 16-byte id (NodeId::ToBytes), value = the bundle bytes. The unnamed
// database holds only the names of the tables, as LMDB keeps them.
//
// Contracts beyond BundleStore:
// - Scan runs in one read transaction: a consistent snapshot that never
//   blocks a writer and never sees a commit made while it runs. Rows are
//   delivered in key order, in batches of at most 1024, and point into the
//   memory map (no copy): they stay valid only during the callback, like any
//   Row. A key that is not 16 bytes stops the scan with Corruption naming the
//   table and the key in hex.
// - Get reads the newest committed state, in a read transaction of its own.
//   Inside a write transaction, WriteTransaction::Get sees that transaction's
//   writes; the store's Get does not (it sees the last commit).
// - A read snapshot is one LMDB read transaction, kept for the Gets while it
//   is open (also cheaper than a transaction per Get). Like any LMDB
//   reader it never blocks a writer: another process commits and the
//   snapshot does not see it. It sees the tables that existed when it
//   began: a table created later is NotFound to its Gets (or Busy, if it
//   was created just as the snapshot began). Scan and CountRows
//   inside a snapshot read the newest state, in transactions of their own.
// - CountRows is exact (LMDB keeps the entry count of each database).
// - A named database with LMDB flags checker never sets (sorted duplicates,
//   integer keys, ...) belongs to someone else: Corruption. An entry of the
//   unnamed database that is not a named database is Corruption when a
//   table of that name is used.
// - BeginWrite: Busy at once if another checker holds the store (see
//   LmdbEnvironment::LockWriter for the one case where it waits). A store
//   opened kReadOnly refuses with InvalidArgument. One write transaction at a
//   time per store.
// - See LmdbEnvironment for what opening does, what kReadOnly leaves alone
//   and the once-per-process rule.
// - Not thread-safe: use a store from one thread at a time.
#ifndef CHECKER_STORAGE_LMDB_STORE_H_
#define CHECKER_STORAGE_LMDB_STORE_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/bundle_store.h"
#include "storage/lmdb_environment.h"

namespace checker {

class LmdbStore final : public BundleStore {
 public:
  // See LmdbEnvironment::Open for the errors.
  static Result<std::unique_ptr<LmdbStore>> Open(const std::string& dir, OpenMode mode,
                                                 const LmdbOptions& options = {});

  std::string Describe() const override { return "lmdb:" + env_->dir(); }
  Result<std::vector<std::string>> ListBundleTables() override;
  Status Scan(std::string_view prefix, const ScanCallback& on_batch) override;
  std::optional<uint64_t> CountRows(std::string_view prefix) override;
  Result<std::optional<Bytes>> Get(std::string_view prefix, const NodeId& id) override;
  Result<std::unique_ptr<ReadSnapshot>> BeginReadSnapshot() override;
  Result<std::unique_ptr<WriteTransaction>> BeginWrite() override;

 private:
  friend class LmdbReadSnapshot;
  friend class LmdbWriteTransaction;
  using Handles = std::map<std::string, MDB_dbi, std::less<>>;
  // The outcome of opening a table: its handle, or the Corruption that
  // makes it unusable.
  using OpenedTables = std::map<std::string, Result<MDB_dbi>, std::less<>>;

  LmdbStore(std::unique_ptr<LmdbEnvironment> env, OpenMode mode)
      : env_(std::move(env)), mode_(mode) {}

  // "table <P>BUNDLE in <dir>", for messages.
  std::string TableContext(std::string_view prefix) const;
  // The bundle tables that `txn` sees, by prefix, sorted.
  Result<std::vector<std::string>> ListTables(MDB_txn* txn);
  // Opens the named database of <prefix>BUNDLE in `txn` (creating it if
  // `create`) and checks that it is a bundle table: NotFound naming the
  // tables that exist, Corruption for a foreign database.
  Result<MDB_dbi> OpenTable(MDB_txn* txn, std::string_view prefix, bool create);
  // Keeps the outcome of OpenTable unless it may change (a missing table
  // may be created, an I/O error may pass).
  void Remember(std::string_view prefix, const Result<MDB_dbi>& opened);
  // Opens every bundle table that has no handle yet, in a read transaction
  // of its own. BeginWrite and BeginReadSnapshot call it first, so that
  // their transaction finds a handle for every table that exists.
  Status OpenAllTables();
  // The handle of <prefix>BUNDLE for reads, opened once and kept.
  Result<MDB_dbi> ReadHandle(std::string_view prefix);
  // Why a table without a handle cannot be read while a write transaction
  // or a snapshot is open, as `txn` sees the tables: NotFound, or Busy if it
  // exists there (created by another process just as this one began).
  Status NoHandleWhile(MDB_txn* txn, std::string_view prefix, std::string_view doing);

  std::unique_ptr<LmdbEnvironment> env_;
  OpenMode mode_;
  // Tables that exist in a committed state. A handle opened by a write
  // transaction joins them only when it commits (LMDB closes it on abort).
  OpenedTables tables_;
  bool writing_ = false;  // a WriteTransaction is open
  LmdbReadTxn snapshot_;  // the transaction of the open ReadSnapshot, if any
};

}  // namespace checker

#endif  // CHECKER_STORAGE_LMDB_STORE_H_
