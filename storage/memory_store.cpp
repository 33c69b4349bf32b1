// Tables are vectors of (id, bytes) in insertion order plus a hash index, so
// Scan has a stable order that is not key order and Get is O(1).
//
// A MemoryWriteTransaction keeps its own Tables of staged rows (a table that
// it created is present there even when empty) and merges them into the
// store at Commit, after the last point where an injected failure can fire.
#include "storage/memory_store.h"

#include <algorithm>

#include "storage/table_name.h"

namespace checker {
namespace {

constexpr std::string_view kDescription = "memory:";

}  // namespace

const Bytes* MemoryStore::Table::Find(const NodeId& id) const {
  auto it = index.find(id);
  return it == index.end() ? nullptr : &rows[it->second].second;
}

void MemoryStore::Table::Put(const NodeId& id, Bytes bytes) {
  auto [it, inserted] = index.try_emplace(id, rows.size());
  if (inserted) {
    rows.emplace_back(id, std::move(bytes));
  } else {
    rows[it->second].second = std::move(bytes);
  }
}

class MemoryReadSnapshot final : public ReadSnapshot {
 public:
  explicit MemoryReadSnapshot(MemoryStore* store) : store_(store) {}
  ~MemoryReadSnapshot() override { static_cast<void>(End()); }

  Status End() override {
    if (open_) store_->snapshot_ = false;
    open_ = false;
    return Status::Ok();
  }

 private:
  MemoryStore* store_;
  bool open_ = true;
};

class MemoryWriteTransaction final : public WriteTransaction {
 public:
  explicit MemoryWriteTransaction(MemoryStore* store) : store_(store) {}
  ~MemoryWriteTransaction() override {
    if (state_ == State::kOpen) static_cast<void>(Rollback());
  }

  Status CreateTable(std::string_view prefix) override;
  Result<std::optional<Bytes>> Get(std::string_view prefix, const NodeId& id) override;
  Status Put(std::string_view prefix, const NodeId& id, ByteView bytes) override;
  Status Commit() override;
  Status Rollback() override;

 private:
  enum class State { kOpen, kCommitted, kRolledBack };

  Status CheckOpen() const {
    if (state_ == State::kOpen) return Status::Ok();
    return Status::InvalidArgument("the write transaction on memory: is already finished");
  }
  void Finish(State state) {
    state_ = state;
    staged_.clear();
    store_->writing_ = false;
  }

  MemoryStore* store_;
  MemoryStore::Tables staged_;
  State state_ = State::kOpen;
};

Status MemoryWriteTransaction::CreateTable(std::string_view prefix) {
  CHECKER_RETURN_IF_ERROR(CheckOpen());
  CHECKER_RETURN_IF_ERROR(ValidatePrefix(prefix));
  if (staged_.find(prefix) == staged_.end())
    staged_.emplace(std::string(prefix), MemoryStore::Table());
  return Status::Ok();
}

Result<std::optional<Bytes>> MemoryWriteTransaction::Get(std::string_view prefix,
                                                         const NodeId& id) {
  CHECKER_RETURN_IF_ERROR(CheckOpen());
  auto staged = staged_.find(prefix);
  if (staged != staged_.end()) {
    if (const Bytes* bytes = staged->second.Find(id)) {
      ++store_->reads_.gets;
      return std::optional<Bytes>(*bytes);
    }
    // A table created by this transaction holds only staged rows.
    if (store_->tables_.find(prefix) == store_->tables_.end()) {
      ++store_->reads_.gets;
      return std::optional<Bytes>();
    }
  }
  return store_->Get(prefix, id);
}

Status MemoryWriteTransaction::Put(std::string_view prefix, const NodeId& id, ByteView bytes) {
  CHECKER_RETURN_IF_ERROR(CheckOpen());
  auto staged = staged_.find(prefix);
  if (staged == staged_.end()) {
    auto table = store_->FindTable(prefix);
    if (!table.ok()) return table.status();
    staged = staged_.emplace(std::string(prefix), MemoryStore::Table()).first;
  }
  CHECKER_RETURN_IF_ERROR(store_->CountPut());
  staged->second.Put(id, Bytes(bytes.begin(), bytes.end()));
  return Status::Ok();
}

Status MemoryWriteTransaction::Commit() {
  CHECKER_RETURN_IF_ERROR(CheckOpen());
  CHECKER_RETURN_IF_ERROR(store_->CheckCommit());
  for (auto& [prefix, staged] : staged_) {
    MemoryStore::Table& table = store_->tables_[prefix];
    for (auto& [id, bytes] : staged.rows) table.Put(id, std::move(bytes));
  }
  Finish(State::kCommitted);
  return Status::Ok();
}

Status MemoryWriteTransaction::Rollback() {
  if (state_ == State::kCommitted) {
    return Status::InvalidArgument("the write transaction on memory: is already committed");
  }
  Finish(State::kRolledBack);
  return Status::Ok();
}

MemoryStore::Contents MemoryStore::Dump() const {
  Contents contents;
  for (const auto& [prefix, table] : tables_) {
    auto& rows = contents[prefix];
    for (const auto& [id, bytes] : table.rows) rows.emplace(id, bytes);
  }
  return contents;
}

Result<std::vector<std::string>> MemoryStore::ListBundleTables() {
  std::vector<std::string> prefixes;
  for (const auto& entry : tables_) prefixes.push_back(entry.first);
  return prefixes;
}

Result<const MemoryStore::Table*> MemoryStore::FindTable(std::string_view prefix) const {
  CHECKER_RETURN_IF_ERROR(ValidatePrefix(prefix));
  auto it = tables_.find(prefix);
  if (it != tables_.end()) return &it->second;
  std::vector<std::string> existing;
  for (const auto& entry : tables_) existing.push_back(entry.first);
  return TableNotFound(prefix, kDescription, existing);
}

Status MemoryStore::Scan(std::string_view prefix, const ScanCallback& on_batch) {
  auto table = FindTable(prefix);
  if (!table.ok()) return table.status();
  const auto& rows = (*table)->rows;
  std::vector<Row> batch;
  batch.reserve(std::min(batch_size_, rows.size()));
  for (size_t start = 0; start < rows.size(); start += batch_size_) {
    size_t end = std::min(rows.size(), start + batch_size_);
    batch.clear();
    for (size_t i = start; i < end; ++i) batch.push_back(Row{rows[i].first, rows[i].second});
    reads_.rows_scanned += batch.size();
    CHECKER_RETURN_IF_ERROR(on_batch(batch));
  }
  return Status::Ok();
}

std::optional<uint64_t> MemoryStore::CountRows(std::string_view prefix) {
  auto table = FindTable(prefix);
  if (!table.ok()) return std::nullopt;
  return (*table)->rows.size();
}

Result<std::optional<Bytes>> MemoryStore::Get(std::string_view prefix, const NodeId& id) {
  auto table = FindTable(prefix);
  if (!table.ok()) return table.status();
  ++reads_.gets;
  const Bytes* bytes = (*table)->Find(id);
  if (bytes == nullptr) return std::optional<Bytes>();
  return std::optional<Bytes>(*bytes);
}

Result<std::unique_ptr<ReadSnapshot>> MemoryStore::BeginReadSnapshot() {
  if (writing_) {
    return Status::InvalidArgument(
        "a write transaction is open on memory:; a read snapshot cannot begin inside it");
  }
  if (snapshot_) return Status::InvalidArgument("a read snapshot is already open on memory:");
  snapshot_ = true;
  return std::unique_ptr<ReadSnapshot>(new MemoryReadSnapshot(this));
}

Result<std::unique_ptr<WriteTransaction>> MemoryStore::BeginWrite() {
  if (busy_) return Status::Busy("memory: is locked by another process (simulated)");
  if (writing_) return Status::InvalidArgument("a write transaction is already open on memory:");
  if (snapshot_) {
    return Status::InvalidArgument("a read snapshot is open on memory:; end it before writing");
  }
  writing_ = true;
  return std::unique_ptr<WriteTransaction>(new MemoryWriteTransaction(this));
}

Status MemoryStore::CountPut() {
  if (!puts_before_failure_) return Status::Ok();
  if (*puts_before_failure_ == 0) {
    puts_before_failure_.reset();
    return Status::IOError("memory: injected write failure (put)");
  }
  --*puts_before_failure_;
  return Status::Ok();
}

Status MemoryStore::CheckCommit() {
  if (!puts_before_failure_ || *puts_before_failure_ != 0) return Status::Ok();
  puts_before_failure_.reset();
  return Status::IOError("memory: injected write failure (commit)");
}

}  // namespace checker
