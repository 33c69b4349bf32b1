// Reads and writes go through a few SQL templates on "<P>BUNDLE"; the prefix
// is validated (ValidatePrefix) before it is pasted into SQL.
//
// Scan runs a plain SELECT without ORDER BY, which SQLite answers by walking
// the table's b-tree in rowid order: about 18x cheaper than walking the
// NODE_ID index of a table filled in random UUID order. Blob pointers die at
// the next sqlite3_step, so rows are copied into a RowBatch whose arena is
// reused from batch to batch.
//
// Point lookups and upserts use statements prepared once per prefix. A write
// transaction is BEGIN IMMEDIATE on the store's own connection, so its Get
// sees its own writes; if SQLite rolls it back by itself (some I/O errors do)
// the transaction notices and refuses further writes, which would otherwise
// run in autocommit mode.
//
// A read snapshot is a plain BEGIN on the same connection. Besides giving
// its Gets one state, it makes them cheaper: an autocommit SELECT takes and
// drops the SHARED lock and looks for a hot journal each time, where inside
// the transaction only the first does. It ends with ROLLBACK: a read-only
// transaction has nothing to commit.
#include "storage/sqlite_store.h"

#include <algorithm>
#include <cctype>

#include "storage/page_cache.h"
#include "storage/row_batch.h"
#include "storage/table_name.h"

namespace checker {
namespace {

constexpr size_t kBatchRows = 1024;
constexpr size_t kBatchBytes = size_t{1} << 20;

constexpr std::string_view kSelectAll = "SELECT NODE_ID, BUNDLE_DATA FROM $T";
constexpr std::string_view kCountAll = "SELECT count(*) FROM $T";
// The share of the file that must be in the page cache for CountRows to
// count (page_cache.h says why).
constexpr double kCachedEnoughToCount = 0.9;
constexpr std::string_view kSelectOne = "SELECT BUNDLE_DATA FROM $T WHERE NODE_ID = ?1";
// An upsert rather than INSERT OR REPLACE, which would delete and re-insert
// the row (new rowid) and would also drop rows clashing on any other unique
// index.
constexpr std::string_view kUpsert =
    "INSERT INTO $T (NODE_ID, BUNDLE_DATA) VALUES (?1, ?2) "
    "ON CONFLICT (NODE_ID) DO UPDATE SET BUNDLE_DATA = excluded.BUNDLE_DATA";
constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS $T (NODE_ID BLOB PRIMARY KEY, BUNDLE_DATA BLOB NOT NULL)";

// Replaces $T by the quoted table name. Quoting keeps prefixes that start
// with a digit legal; ValidatePrefix keeps the quotes unbreakable.
std::string Substitute(std::string_view sql_template, std::string_view prefix) {
  size_t pos = sql_template.find("$T");
  std::string sql(sql_template.substr(0, pos));
  sql += '"' + BundleTableName(prefix) + '"';
  sql += sql_template.substr(pos + 2);
  return sql;
}

bool EndsWithBundleSuffix(std::string_view name) {
  if (name.size() < kBundleTableSuffix.size()) return false;
  std::string_view tail = name.substr(name.size() - kBundleTableSuffix.size());
  return std::equal(tail.begin(), tail.end(), kBundleTableSuffix.begin(), [](char a, char b) {
    return std::toupper(static_cast<unsigned char>(a)) == b;
  });
}

std::string HexString(const void* bytes, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto* p = static_cast<const unsigned char*>(bytes);
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out += kHex[p[i] >> 4];
    out += kHex[p[i] & 0xF];
  }
  return out;
}

// The Corruption for a row whose NODE_ID column is not a 16-byte blob.
Status BadKey(sqlite3_stmt* stmt, const std::string& table_context) {
  int type = sqlite3_column_type(stmt, 0);
  if (type == SQLITE_NULL) return Status::Corruption(table_context + ": a row has a NULL NODE_ID");
  const void* key = sqlite3_column_blob(stmt, 0);
  size_t size = static_cast<size_t>(sqlite3_column_bytes(stmt, 0));
  std::string what = type == SQLITE_BLOB ? "a " + std::to_string(size) + "-byte" : "a non-blob";
  return Status::Corruption(table_context + ": row key " + HexString(key, size) + " is " + what +
                            " NODE_ID, not a 16-byte node id");
}

}  // namespace

class SqliteWriteTransaction final : public WriteTransaction {
 public:
  explicit SqliteWriteTransaction(SqliteStore* store) : store_(store) {}
  ~SqliteWriteTransaction() override {
    if (state_ == State::kOpen) static_cast<void>(Rollback());
  }

  Status CreateTable(std::string_view prefix) override {
    CHECKER_RETURN_IF_ERROR(CheckOpen());
    return Checked(store_->CreateTable(prefix));
  }
  Result<std::optional<Bytes>> Get(std::string_view prefix, const NodeId& id) override {
    CHECKER_RETURN_IF_ERROR(CheckOpen());
    return store_->Get(prefix, id);
  }
  Status Put(std::string_view prefix, const NodeId& id, ByteView bytes) override {
    CHECKER_RETURN_IF_ERROR(CheckOpen());
    return Checked(store_->Put(prefix, id, bytes));
  }
  Status Commit() override;
  Status Rollback() override;

 private:
  enum class State { kOpen, kCommitted, kRolledBack };

  const std::string& path() const { return store_->conn_->path(); }
  bool SqliteRolledBack() const { return sqlite3_get_autocommit(store_->conn_->db()) != 0; }
  Status CheckOpen();
  // Notes when an error made SQLite roll the transaction back by itself.
  Status Checked(Status status);
  void Finish(State state) {
    state_ = state;
    store_->writing_ = false;
    // A rollback may have dropped tables that cached statements refer to.
    if (state == State::kRolledBack) {
      store_->get_statements_.clear();
      store_->put_statements_.clear();
    }
  }

  SqliteStore* store_;
  State state_ = State::kOpen;
};

Status SqliteWriteTransaction::CheckOpen() {
  if (state_ != State::kOpen) {
    return Status::InvalidArgument("the write transaction on " + path() + " is already finished");
  }
  return Checked(Status::Ok());
}

Status SqliteWriteTransaction::Checked(Status status) {
  if (state_ == State::kOpen && SqliteRolledBack()) {
    Finish(State::kRolledBack);
    std::string note = "the write transaction on " + path() + " was rolled back by SQLite";
    return status.ok() ? Status::IOError(note) : status.WithContext(note);
  }
  return status;
}

Status SqliteWriteTransaction::Commit() {
  CHECKER_RETURN_IF_ERROR(CheckOpen());
  Status status = store_->conn_->Exec("COMMIT", "cannot commit to " + path());
  if (status.ok()) {
    Finish(State::kCommitted);
    return status;
  }
  return Checked(status);
}

Status SqliteWriteTransaction::Rollback() {
  if (state_ == State::kRolledBack) return Status::Ok();
  if (state_ == State::kCommitted) {
    return Status::InvalidArgument("the write transaction on " + path() + " is already committed");
  }
  Status status;
  if (!SqliteRolledBack()) {
    status = store_->conn_->Exec("ROLLBACK", "cannot roll back the transaction on " + path());
  }
  Finish(State::kRolledBack);
  return status;
}

class SqliteReadSnapshot final : public ReadSnapshot {
 public:
  explicit SqliteReadSnapshot(SqliteStore* store) : store_(store) {}
  ~SqliteReadSnapshot() override { static_cast<void>(End()); }

  Status End() override {
    if (!open_) return Status::Ok();
    open_ = false;
    store_->snapshot_ = false;
    // After an error SQLite may have ended the transaction itself.
    if (sqlite3_get_autocommit(store_->conn_->db()) != 0) return Status::Ok();
    const std::string& path = store_->conn_->path();
    return store_->conn_->Exec("ROLLBACK", "cannot end the read snapshot on " + path);
  }

 private:
  SqliteStore* store_;
  bool open_ = true;
};

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, OpenMode mode,
                                                       const SqliteOptions& options) {
  auto conn = SqliteConnection::Open(path, mode, options);
  if (!conn.ok()) return conn.status();
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(conn).value(), mode));
}

std::string SqliteStore::TableContext(std::string_view prefix) const {
  return "table " + BundleTableName(prefix) + " in " + conn_->path();
}

Result<std::vector<std::string>> SqliteStore::ListBundleTables() {
  auto stmt = conn_->Prepare("SELECT name FROM sqlite_master WHERE type = 'table'", "");
  if (!stmt.ok()) return stmt.status();
  std::vector<std::string> prefixes;
  int rc;
  while ((rc = sqlite3_step(stmt->get())) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt->get(), 0));
    std::string_view name = text == nullptr ? "" : text;
    if (EndsWithBundleSuffix(name)) {
      prefixes.emplace_back(name.substr(0, name.size() - kBundleTableSuffix.size()));
    }
  }
  if (rc != SQLITE_DONE) return conn_->Error(rc, "listing the tables of " + conn_->path());
  std::sort(prefixes.begin(), prefixes.end());
  return prefixes;
}

Result<SqliteStatement> SqliteStore::PrepareOnTable(std::string_view prefix,
                                                    std::string_view sql_template) {
  CHECKER_RETURN_IF_ERROR(ValidatePrefix(prefix));
  auto exists = conn_->Prepare(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1 COLLATE NOCASE", "");
  if (!exists.ok()) return exists.status();
  std::string table = BundleTableName(prefix);
  sqlite3_bind_text(exists->get(), 1, table.data(), static_cast<int>(table.size()), SQLITE_STATIC);
  int rc = sqlite3_step(exists->get());
  if (rc == SQLITE_DONE) {
    auto existing = ListBundleTables();
    if (!existing.ok()) return existing.status();
    return TableNotFound(prefix, conn_->path(), *existing);
  }
  if (rc != SQLITE_ROW) return conn_->Error(rc, TableContext(prefix));

  std::string sql = Substitute(sql_template, prefix);
  sqlite3_stmt* raw = nullptr;
  rc = sqlite3_prepare_v2(conn_->db(), sql.c_str(), -1, &raw, nullptr);
  SqliteStatement stmt(raw);
  if (rc == SQLITE_ERROR) {
    return Status::Corruption(TableContext(prefix) + " does not have Jackrabbit's bundle layout (" +
                              sqlite3_errmsg(conn_->db()) + ")");
  }
  if (rc != SQLITE_OK) return conn_->Error(rc, TableContext(prefix));
  return stmt;
}

Result<sqlite3_stmt*> SqliteStore::CachedOnTable(StatementCache& cache, std::string_view prefix,
                                                 std::string_view sql_template) {
  auto it = cache.find(prefix);
  if (it == cache.end()) {
    auto stmt = PrepareOnTable(prefix, sql_template);
    if (!stmt.ok()) return stmt.status();
    it = cache.emplace(std::string(prefix), std::move(stmt).value()).first;
  }
  return it->second.get();
}

Status SqliteStore::Scan(std::string_view prefix, const ScanCallback& on_batch) {
  auto prepared = PrepareOnTable(prefix, kSelectAll);
  if (!prepared.ok()) return prepared.status();
  sqlite3_stmt* stmt = prepared->get();
  RowBatch batch(kBatchRows, kBatchBytes);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    // The type must be read before the value: reading converts it.
    if (sqlite3_column_type(stmt, 0) != SQLITE_BLOB ||
        sqlite3_column_bytes(stmt, 0) != static_cast<int>(NodeId::kBytes)) {
      return BadKey(stmt, TableContext(prefix));
    }
    NodeId id = NodeId::FromBytes(static_cast<const uint8_t*>(sqlite3_column_blob(stmt, 0)));
    const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt, 1));
    size_t size = static_cast<size_t>(sqlite3_column_bytes(stmt, 1));
    if (!batch.Fits(size) && !batch.empty()) {
      CHECKER_RETURN_IF_ERROR(on_batch(batch.rows()));
      batch.Clear();
    }
    batch.Add(id, data, size);
  }
  if (rc != SQLITE_DONE) return conn_->Error(rc, "scanning " + TableContext(prefix));
  if (!batch.empty()) return on_batch(batch.rows());
  return Status::Ok();
}

std::optional<uint64_t> SqliteStore::CountRows(std::string_view prefix) {
  std::optional<double> cached = CachedFraction(conn_->path());
  if (!cached || *cached < kCachedEnoughToCount) return std::nullopt;
  auto stmt = PrepareOnTable(prefix, kCountAll);
  if (!stmt.ok() || sqlite3_step(stmt->get()) != SQLITE_ROW) return std::nullopt;
  sqlite3_int64 count = sqlite3_column_int64(stmt->get(), 0);
  if (count < 0) return std::nullopt;
  return static_cast<uint64_t>(count);
}

Result<std::optional<Bytes>> SqliteStore::Get(std::string_view prefix, const NodeId& id) {
  // Outside its transaction the read would run in autocommit mode and see a
  // newer state than the snapshot promised.
  if (snapshot_ && sqlite3_get_autocommit(conn_->db()) != 0) {
    return Status::IOError("the read snapshot on " + conn_->path() +
                           " was ended by SQLite after an error");
  }
  auto cached = CachedOnTable(get_statements_, prefix, kSelectOne);
  if (!cached.ok()) return cached.status();
  sqlite3_stmt* stmt = *cached;
  auto key = id.ToBytes();
  StatementResetter resetter(stmt);
  sqlite3_bind_blob(stmt, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_DONE) return std::optional<Bytes>();
  if (rc != SQLITE_ROW) {
    return conn_->Error(rc, "reading " + id.ToString() + " from " + TableContext(prefix));
  }
  const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt, 0));
  size_t size = static_cast<size_t>(sqlite3_column_bytes(stmt, 0));
  return std::optional<Bytes>(Bytes(data, data + size));
}

Result<std::unique_ptr<ReadSnapshot>> SqliteStore::BeginReadSnapshot() {
  if (writing_) {
    return Status::InvalidArgument("a write transaction is open on " + conn_->path() +
                                   "; a read snapshot cannot begin inside it");
  }
  if (snapshot_) {
    return Status::InvalidArgument("a read snapshot is already open on " + conn_->path());
  }
  // Deferred: no lock until the first read, which fixes the snapshot.
  CHECKER_RETURN_IF_ERROR(conn_->Exec("BEGIN", "cannot begin a read snapshot on " + conn_->path()));
  snapshot_ = true;
  return std::unique_ptr<ReadSnapshot>(new SqliteReadSnapshot(this));
}

Result<std::unique_ptr<WriteTransaction>> SqliteStore::BeginWrite() {
  if (mode_ == OpenMode::kReadOnly) {
    return Status::InvalidArgument(conn_->path() +
                                   " was opened read-only; writing needs read-write mode");
  }
  if (writing_) {
    return Status::InvalidArgument("a write transaction is already open on " + conn_->path());
  }
  if (snapshot_) {
    return Status::InvalidArgument("a read snapshot is open on " + conn_->path() +
                                   "; end it before writing");
  }
  CHECKER_RETURN_IF_ERROR(conn_->BeginImmediate());
  writing_ = true;
  return std::unique_ptr<WriteTransaction>(new SqliteWriteTransaction(this));
}

Status SqliteStore::CreateTable(std::string_view prefix) {
  CHECKER_RETURN_IF_ERROR(ValidatePrefix(prefix));
  std::string sql = Substitute(kCreateTable, prefix);
  return conn_->Exec(sql.c_str(), "cannot create " + TableContext(prefix));
}

Status SqliteStore::Put(std::string_view prefix, const NodeId& id, ByteView bytes) {
  auto cached = CachedOnTable(put_statements_, prefix, kUpsert);
  if (!cached.ok()) return cached.status();
  sqlite3_stmt* stmt = *cached;
  std::string context = "cannot write " + id.ToString() + " to " + TableContext(prefix);
  auto key = id.ToBytes();
  StatementResetter resetter(stmt);
  sqlite3_bind_blob(stmt, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  // A null pointer would bind NULL, not an empty blob: the 0-byte bundle
  // needs a zeroblob.
  int rc = bytes.empty() ? sqlite3_bind_zeroblob(stmt, 2, 0)
                         : sqlite3_bind_blob64(stmt, 2, bytes.data(), bytes.size(), SQLITE_STATIC);
  if (rc != SQLITE_OK) return conn_->Error(rc, context);
  rc = sqlite3_step(stmt);
  if (rc != SQLITE_DONE) return conn_->Error(rc, context);
  return Status::Ok();
}

}  // namespace checker
