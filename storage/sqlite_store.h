// SqliteStore: bundle tables in an SQLite file, in Jackrabbit's binary-key
// layout:
//
//   CREATE TABLE <PREFIX>BUNDLE (NODE_ID BLOB PRIMARY KEY,
//                                BUNDLE_DATA BLOB NOT NULL)
//
// NODE_ID is the 16-byte id (NodeId::ToBytes). Table names match as SQL
// identifiers do in SQLite, ignoring ASCII case.
//
// Contracts beyond BundleStore:
// - Scan delivers rows in rowid order (the file's physical order), in batches
//   of at most 1024 rows or about 1 MiB of bundle bytes. A NULL BUNDLE_DATA
//   is delivered as 0 bytes; a NODE_ID that is not a 16-byte blob stops the
//   scan with Corruption naming the table and the key in hex.
// - CountRows is SELECT count(*), which SQLite answers by walking the
//   primary-key index, and only when at least 90% of the file is in the
//   page cache (else nullopt): cached, the walk takes a small fraction of
//   a scan (0.1 s for 10M rows), and the check uses the count to size its
//   index up front, which pays for itself several times over
//   (bench/README.md); uncached, it reads scattered index pages and costs
//   as much as the scan itself.
// - A store opened kReadOnly never writes the file; BeginWrite on it is
//   InvalidArgument.
// - One write transaction at a time per store; it must not outlive the store.
// - A read snapshot is a deferred read transaction (BEGIN) on the store's
//   connection, ended by ROLLBACK: its first Get takes SQLite's SHARED lock
//   and holds it to the end. Other readers go on; in the default
//   rollback-journal mode another connection's commit waits for it (and is
//   Busy after its busy timeout), as during a Scan; in WAL mode it commits
//   and the snapshot does not see it. Scan and ListBundleTables inside a
//   snapshot read it too. If SQLite ends the transaction by itself
//   (after some I/O errors), later Gets fail with IOError instead of quietly
//   reading newer states.
// - Not thread-safe: use a store from one thread at a time.
#ifndef CHECKER_STORAGE_SQLITE_STORE_H_
#define CHECKER_STORAGE_SQLITE_STORE_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/bundle_store.h"
#include "storage/sqlite_connection.h"

namespace checker {

class SqliteStore final : public BundleStore {
 public:
  // See SqliteConnection::Open for the errors.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, OpenMode mode,
                                                   const SqliteOptions& options = {});

  std::string Describe() const override { return "sqlite:" + conn_->path(); }
  Result<std::vector<std::string>> ListBundleTables() override;
  Status Scan(std::string_view prefix, const ScanCallback& on_batch) override;
  std::optional<uint64_t> CountRows(std::string_view prefix) override;
  Result<std::optional<Bytes>> Get(std::string_view prefix, const NodeId& id) override;
  Result<std::unique_ptr<ReadSnapshot>> BeginReadSnapshot() override;
  Result<std::unique_ptr<WriteTransaction>> BeginWrite() override;

 private:
  friend class SqliteReadSnapshot;
  friend class SqliteWriteTransaction;
  using StatementCache = std::map<std::string, SqliteStatement, std::less<>>;

  SqliteStore(std::unique_ptr<SqliteConnection> conn, OpenMode mode)
      : conn_(std::move(conn)), mode_(mode) {}

  // "table <P>BUNDLE in <file>", for messages.
  std::string TableContext(std::string_view prefix) const;
  // Prepares `sql_template` (with $T standing for the quoted table name) on
  // table <prefix>BUNDLE: InvalidArgument for a bad prefix, NotFound for a
  // missing table, Corruption for a table without Jackrabbit's columns.
  Result<SqliteStatement> PrepareOnTable(std::string_view prefix, std::string_view sql_template);
  // The same, prepared once per prefix and kept in `cache`.
  Result<sqlite3_stmt*> CachedOnTable(StatementCache& cache, std::string_view prefix,
                                      std::string_view sql_template);
  Status Put(std::string_view prefix, const NodeId& id, ByteView bytes);
  Status CreateTable(std::string_view prefix);

  std::unique_ptr<SqliteConnection> conn_;
  OpenMode mode_;
  StatementCache get_statements_;
  StatementCache put_statements_;
  bool writing_ = false;   // a WriteTransaction is open
  bool snapshot_ = false;  // a ReadSnapshot is open
};

}  // namespace checker

#endif  // CHECKER_STORAGE_SQLITE_STORE_H_
