// Each read (Scan, Get, CountRows, ListBundleTables) runs in a read
// transaction of its own. Scan walks a cursor over the table's named
// database and hands out rows that point straight into the memory map: they
// stay valid as long as the read transaction, which outlives every callback,
// so batches need no copy. Writes go through one LMDB write transaction,
// begun after the checker writer lock is taken. A read snapshot keeps one
// read transaction for the store's Gets until it ends.
//
// Named-database handles are opened once and kept (LMDB's handles are
// per-environment, not per-transaction), under two LMDB rules:
// - a handle opened in a transaction that aborts is closed, so a read opens
//   one in a short transaction of its own and commits it, and a handle
//   opened by a write transaction is kept only once that commits;
// - while a transaction of the process that opened handles is open, no other
//   may open any. So BeginWrite first opens a handle for every table that
//   exists, in a read transaction of its own, and while the write
//   transaction is open, reads never open handles: every table that exists
//   in a committed state has one already (the only exception, a table that
//   another process created in between, is reported and not opened).
// A read snapshot follows the same scheme, for a third rule: a transaction
// can use only the handles that were open when it began.
#include "storage/lmdb_store.h"

#include <algorithm>
#include <utility>

#include "storage/table_name.h"

namespace checker {
namespace {

constexpr size_t kBatchRows = 1024;

// Closes a cursor when it goes out of scope (before its transaction ends).
class CursorCloser {
 public:
  explicit CursorCloser(MDB_cursor* cursor) : cursor_(cursor) {}
  CursorCloser(const CursorCloser&) = delete;
  CursorCloser& operator=(const CursorCloser&) = delete;
  ~CursorCloser() { mdb_cursor_close(cursor_); }

 private:
  MDB_cursor* cursor_;
};

std::string_view AsText(const MDB_val& value) {
  return std::string_view(static_cast<const char*>(value.mv_data), value.mv_size);
}

ByteView AsBytes(const MDB_val& value) {
  return ByteView(static_cast<const uint8_t*>(value.mv_data), value.mv_size);
}

// Point lookup in `txn`: sets *row (nullopt if absent); returns LMDB's
// result code, MDB_SUCCESS also for an absent row.
int GetRow(MDB_txn* txn, MDB_dbi dbi, const NodeId& id, std::optional<Bytes>* row) {
  auto key_bytes = id.ToBytes();
  MDB_val key{key_bytes.size(), key_bytes.data()};
  MDB_val value;
  int rc = mdb_get(txn, dbi, &key, &value);
  if (rc == MDB_NOTFOUND) {
    row->reset();
    return MDB_SUCCESS;
  }
  if (rc == MDB_SUCCESS) {
    ByteView bytes = AsBytes(value);
    row->emplace(bytes.begin(), bytes.end());
  }
  return rc;
}

std::string HexString(const MDB_val& value) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t byte : AsBytes(value)) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0xF];
  }
  return out;
}

// The prefix of a table name "<prefix>BUNDLE", if it is one.
std::optional<std::string_view> BundlePrefix(std::string_view name) {
  if (!name.ends_with(kBundleTableSuffix)) return std::nullopt;
  std::string_view prefix = name.substr(0, name.size() - kBundleTableSuffix.size());
  if (!ValidatePrefix(prefix).ok()) return std::nullopt;
  return prefix;
}

}  // namespace

class LmdbWriteTransaction final : public WriteTransaction {
 public:
  LmdbWriteTransaction(LmdbStore* store, MDB_txn* txn) : store_(store), txn_(txn) {}
  ~LmdbWriteTransaction() override {
    if (state_ == State::kOpen) static_cast<void>(Rollback());
  }

  Status CreateTable(std::string_view prefix) override {
    CHECKER_RETURN_IF_ERROR(CheckUsable());
    return Handle(prefix, /*create=*/true).status();
  }
  Result<std::optional<Bytes>> Get(std::string_view prefix, const NodeId& id) override;
  Status Put(std::string_view prefix, const NodeId& id, ByteView bytes) override;
  Status Commit() override;
  Status Rollback() override;

 private:
  enum class State { kOpen, kCommitted, kRolledBack };

  const std::string& dir() const { return store_->env_->dir(); }
  Status CheckUsable() const;
  // The handle of <prefix>BUNDLE, opened in this transaction if the store
  // has none yet.
  Result<MDB_dbi> Handle(std::string_view prefix, bool create);
  // Marks the transaction failed: LMDB accepts nothing but an abort after a
  // failed write.
  Status Fail(int rc, const std::string& context);
  void Finish(State state);

  LmdbStore* store_;
  MDB_txn* txn_;
  LmdbStore::Handles opened_;  // handles this transaction opened
  State state_ = State::kOpen;
  bool failed_ = false;
};

Status LmdbWriteTransaction::CheckUsable() const {
  if (state_ != State::kOpen) {
    return Status::InvalidArgument("the write transaction on " + dir() + " is already finished");
  }
  if (failed_) {
    return Status::IOError("the write transaction on " + dir() +
                           " has failed and can only be rolled back");
  }
  return Status::Ok();
}

Result<MDB_dbi> LmdbWriteTransaction::Handle(std::string_view prefix, bool create) {
  CHECKER_RETURN_IF_ERROR(ValidatePrefix(prefix));
  if (auto it = store_->tables_.find(prefix); it != store_->tables_.end()) return it->second;
  if (auto it = opened_.find(prefix); it != opened_.end()) return it->second;
  Result<MDB_dbi> dbi = store_->OpenTable(txn_, prefix, create);
  if (dbi.ok()) opened_.emplace(std::string(prefix), *dbi);
  return dbi;
}

Status LmdbWriteTransaction::Fail(int rc, const std::string& context) {
  failed_ = true;
  return store_->env_->Error(rc, context);
}

Result<std::optional<Bytes>> LmdbWriteTransaction::Get(std::string_view prefix, const NodeId& id) {
  CHECKER_RETURN_IF_ERROR(CheckUsable());
  Result<MDB_dbi> dbi = Handle(prefix, /*create=*/false);
  if (!dbi.ok()) return dbi.status();
  std::optional<Bytes> row;
  int rc = GetRow(txn_, *dbi, id, &row);
  if (rc != MDB_SUCCESS) {
    return Fail(rc, "reading " + id.ToString() + " from " + store_->TableContext(prefix));
  }
  return row;
}

Status LmdbWriteTransaction::Put(std::string_view prefix, const NodeId& id, ByteView bytes) {
  CHECKER_RETURN_IF_ERROR(CheckUsable());
  Result<MDB_dbi> dbi = Handle(prefix, /*create=*/false);
  if (!dbi.ok()) return dbi.status();
  auto key_bytes = id.ToBytes();
  MDB_val key{key_bytes.size(), key_bytes.data()};
  // LMDB copies the value in; it never writes through this pointer.
  MDB_val value{bytes.size(), const_cast<uint8_t*>(bytes.data())};
  int rc = mdb_put(txn_, *dbi, &key, &value, 0);
  if (rc != MDB_SUCCESS) {
    return Fail(rc, "cannot write " + id.ToString() + " to " + store_->TableContext(prefix));
  }
  return Status::Ok();
}

Status LmdbWriteTransaction::Commit() {
  CHECKER_RETURN_IF_ERROR(CheckUsable());
  // Whatever the outcome, LMDB frees the transaction.
  int rc = mdb_txn_commit(std::exchange(txn_, nullptr));
  if (rc != MDB_SUCCESS) {
    Finish(State::kRolledBack);
    return store_->env_->Error(rc,
                               "cannot commit to " + dir() + " (the transaction was rolled back)");
  }
  for (auto& [prefix, dbi] : opened_) store_->tables_.insert_or_assign(prefix, dbi);
  Finish(State::kCommitted);
  return Status::Ok();
}

Status LmdbWriteTransaction::Rollback() {
  if (state_ == State::kRolledBack) return Status::Ok();
  if (state_ == State::kCommitted) {
    return Status::InvalidArgument("the write transaction on " + dir() + " is already committed");
  }
  mdb_txn_abort(std::exchange(txn_, nullptr));
  Finish(State::kRolledBack);
  return Status::Ok();
}

void LmdbWriteTransaction::Finish(State state) {
  state_ = state;
  opened_.clear();
  store_->writing_ = false;
  store_->env_->UnlockWriter();
}

class LmdbReadSnapshot final : public ReadSnapshot {
 public:
  explicit LmdbReadSnapshot(LmdbStore* store) : store_(store) {}
  ~LmdbReadSnapshot() override { static_cast<void>(End()); }

  // Aborting a read transaction cannot fail.
  Status End() override {
    if (open_) store_->snapshot_ = LmdbReadTxn();
    open_ = false;
    return Status::Ok();
  }

 private:
  LmdbStore* store_;
  bool open_ = true;
};

Result<std::unique_ptr<LmdbStore>> LmdbStore::Open(const std::string& dir, OpenMode mode,
                                                   const LmdbOptions& options) {
  auto env = LmdbEnvironment::Open(dir, mode, options);
  if (!env.ok()) return env.status();
  return std::unique_ptr<LmdbStore>(new LmdbStore(std::move(env).value(), mode));
}

std::string LmdbStore::TableContext(std::string_view prefix) const {
  return "table " + BundleTableName(prefix) + " in " + env_->dir();
}

Result<std::vector<std::string>> LmdbStore::ListTables(MDB_txn* txn) {
  const std::string context = "listing the tables of " + env_->dir();
  MDB_dbi main_dbi;
  int rc = mdb_dbi_open(txn, nullptr, 0, &main_dbi);
  MDB_cursor* cursor = nullptr;
  if (rc == MDB_SUCCESS) rc = mdb_cursor_open(txn, main_dbi, &cursor);
  if (rc != MDB_SUCCESS) return env_->Error(rc, context);
  CursorCloser closer(cursor);
  std::vector<std::string> prefixes;
  MDB_val key, value;
  for (rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST); rc == MDB_SUCCESS;
       rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)) {
    if (auto prefix = BundlePrefix(AsText(key))) prefixes.emplace_back(*prefix);
  }
  if (rc != MDB_NOTFOUND) return env_->Error(rc, context);
  std::sort(prefixes.begin(), prefixes.end());
  return prefixes;
}

Result<std::vector<std::string>> LmdbStore::ListBundleTables() {
  Result<LmdbReadTxn> txn = env_->BeginRead();
  if (!txn.ok()) return txn.status();
  return ListTables(txn->get());
}

Result<MDB_dbi> LmdbStore::OpenTable(MDB_txn* txn, std::string_view prefix, bool create) {
  CHECKER_RETURN_IF_ERROR(ValidatePrefix(prefix));
  const std::string name = BundleTableName(prefix);
  MDB_dbi dbi;
  int rc = mdb_dbi_open(txn, name.c_str(), create ? MDB_CREATE : 0, &dbi);
  if (rc == MDB_NOTFOUND) {
    auto existing = ListTables(txn);
    if (!existing.ok()) return existing.status();
    return TableNotFound(prefix, env_->dir(), *existing);
  }
  if (rc == MDB_INCOMPATIBLE) {
    return Status::Corruption(TableContext(prefix) +
                              " is not a table: the environment's main database holds a plain "
                              "entry of that name");
  }
  if (rc != MDB_SUCCESS) return env_->Error(rc, "cannot open " + TableContext(prefix));
  unsigned flags = 0;
  rc = mdb_dbi_flags(txn, dbi, &flags);
  if (rc != MDB_SUCCESS) return env_->Error(rc, "cannot open " + TableContext(prefix));
  if (flags != 0) {
    return Status::Corruption(TableContext(prefix) +
                              " is not a bundle table: it has LMDB database flags " +
                              std::to_string(flags) + " (checker creates tables without flags)");
  }
  return dbi;
}

void LmdbStore::Remember(std::string_view prefix, const Result<MDB_dbi>& opened) {
  if (opened.ok() || opened.status().code() == Status::Code::kCorruption) {
    tables_.emplace(std::string(prefix), opened);
  }
}

Status LmdbStore::OpenAllTables() {
  Result<LmdbReadTxn> txn = env_->BeginRead();
  if (!txn.ok()) return txn.status();
  auto prefixes = ListTables(txn->get());
  if (!prefixes.ok()) return prefixes.status();
  for (const std::string& prefix : *prefixes) {
    if (tables_.find(prefix) != tables_.end()) continue;
    Result<MDB_dbi> dbi = OpenTable(txn->get(), prefix, /*create=*/false);
    if (!dbi.ok() && dbi.status().code() != Status::Code::kCorruption) return dbi.status();
    Remember(prefix, dbi);
  }
  int rc = txn->Commit();
  if (rc != MDB_SUCCESS) return env_->Error(rc, "cannot open the tables of " + env_->dir());
  return Status::Ok();
}

Result<MDB_dbi> LmdbStore::ReadHandle(std::string_view prefix) {
  CHECKER_RETURN_IF_ERROR(ValidatePrefix(prefix));
  if (auto it = tables_.find(prefix); it != tables_.end()) return it->second;
  if (snapshot_.get() != nullptr) return NoHandleWhile(snapshot_.get(), prefix, "reading");
  Result<LmdbReadTxn> txn = env_->BeginRead();
  if (!txn.ok()) return txn.status();
  if (writing_) return NoHandleWhile(txn->get(), prefix, "writing");
  Result<MDB_dbi> dbi = OpenTable(txn->get(), prefix, /*create=*/false);
  if (dbi.ok()) {
    int rc = txn->Commit();
    if (rc != MDB_SUCCESS) return env_->Error(rc, "cannot open " + TableContext(prefix));
  }
  Remember(prefix, dbi);
  return dbi;
}

Status LmdbStore::NoHandleWhile(MDB_txn* txn, std::string_view prefix, std::string_view doing) {
  auto existing = ListTables(txn);
  if (!existing.ok()) return existing.status();
  if (std::find(existing->begin(), existing->end(), prefix) == existing->end()) {
    return TableNotFound(prefix, env_->dir(), *existing);
  }
  return Status::Busy(TableContext(prefix) + " was created by another process just as this one " +
                      "began " + std::string(doing) + ": run again");
}

Status LmdbStore::Scan(std::string_view prefix, const ScanCallback& on_batch) {
  Result<MDB_dbi> dbi = ReadHandle(prefix);
  if (!dbi.ok()) return dbi.status();
  Result<LmdbReadTxn> txn = env_->BeginRead();
  if (!txn.ok()) return txn.status();
  const std::string context = "scanning " + TableContext(prefix);
  MDB_cursor* cursor = nullptr;
  int rc = mdb_cursor_open(txn->get(), *dbi, &cursor);
  if (rc != MDB_SUCCESS) return env_->Error(rc, context);
  CursorCloser closer(cursor);
  std::vector<Row> batch;
  batch.reserve(kBatchRows);
  MDB_val key, value;
  for (rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST); rc == MDB_SUCCESS;
       rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)) {
    if (key.mv_size != NodeId::kBytes) {
      return Status::Corruption(TableContext(prefix) + ": row key " + HexString(key) + " is a " +
                                std::to_string(key.mv_size) + "-byte key, not a 16-byte node id");
    }
    batch.push_back(
        Row{NodeId::FromBytes(static_cast<const uint8_t*>(key.mv_data)), AsBytes(value)});
    if (batch.size() == kBatchRows) {
      CHECKER_RETURN_IF_ERROR(on_batch(batch));
      batch.clear();
    }
  }
  if (rc != MDB_NOTFOUND) return env_->Error(rc, context);
  if (!batch.empty()) return on_batch(batch);
  return Status::Ok();
}

std::optional<uint64_t> LmdbStore::CountRows(std::string_view prefix) {
  Result<MDB_dbi> dbi = ReadHandle(prefix);
  if (!dbi.ok()) return std::nullopt;
  Result<LmdbReadTxn> txn = env_->BeginRead();
  if (!txn.ok()) return std::nullopt;
  MDB_stat stat;
  if (mdb_stat(txn->get(), *dbi, &stat) != MDB_SUCCESS) return std::nullopt;
  return stat.ms_entries;
}

Result<std::optional<Bytes>> LmdbStore::Get(std::string_view prefix, const NodeId& id) {
  Result<MDB_dbi> dbi = ReadHandle(prefix);
  if (!dbi.ok()) return dbi.status();
  LmdbReadTxn own;
  MDB_txn* txn = snapshot_.get();
  if (txn == nullptr) {
    Result<LmdbReadTxn> begun = env_->BeginRead();
    if (!begun.ok()) return begun.status();
    own = std::move(begun).value();
    txn = own.get();
  }
  std::optional<Bytes> row;
  int rc = GetRow(txn, *dbi, id, &row);
  if (rc != MDB_SUCCESS) {
    return env_->Error(rc, "reading " + id.ToString() + " from " + TableContext(prefix));
  }
  return row;
}

Result<std::unique_ptr<ReadSnapshot>> LmdbStore::BeginReadSnapshot() {
  if (writing_) {
    return Status::InvalidArgument("a write transaction is open on " + env_->dir() +
                                   "; a read snapshot cannot begin inside it");
  }
  if (snapshot_.get() != nullptr) {
    return Status::InvalidArgument("a read snapshot is already open on " + env_->dir());
  }
  CHECKER_RETURN_IF_ERROR(OpenAllTables());
  Result<LmdbReadTxn> txn = env_->BeginRead();
  if (!txn.ok()) return txn.status();
  snapshot_ = std::move(txn).value();
  return std::unique_ptr<ReadSnapshot>(new LmdbReadSnapshot(this));
}

Result<std::unique_ptr<WriteTransaction>> LmdbStore::BeginWrite() {
  if (mode_ == OpenMode::kReadOnly) {
    return Status::InvalidArgument(env_->dir() +
                                   " was opened read-only; writing needs read-write mode");
  }
  if (writing_) {
    return Status::InvalidArgument("a write transaction is already open on " + env_->dir());
  }
  if (snapshot_.get() != nullptr) {
    return Status::InvalidArgument("a read snapshot is open on " + env_->dir() +
                                   "; end it before writing");
  }
  CHECKER_RETURN_IF_ERROR(env_->LockWriter());
  if (Status opened = OpenAllTables(); !opened.ok()) {
    env_->UnlockWriter();
    return opened;
  }
  MDB_txn* txn = nullptr;
  int rc = mdb_txn_begin(env_->env(), nullptr, 0, &txn);
  if (rc != MDB_SUCCESS) {
    env_->UnlockWriter();
    return env_->Error(rc, "cannot begin a write transaction on " + env_->dir());
  }
  writing_ = true;
  return std::unique_ptr<WriteTransaction>(new LmdbWriteTransaction(this, txn));
}

}  // namespace checker
