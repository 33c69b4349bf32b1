// The backend conformance suite: the BundleStore contract, run against every
// backend (memory, sqlite, lmdb). What the checker may rely on whichever
// store it is given; each backend's extras are in its own test file.
//
// Where a backend cannot do something the way another does, its Backend
// struct below does it its own way and says so: how a write is made to fail
// halfway through a transaction, how "another process" commits or holds the
// write lock.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "storage/bundle_store.h"
#include "storage/lmdb_store.h"
#include "storage/memory_store.h"
#include "storage/sqlite_store.h"
#include "tests/storage/child_process.h"
#include "tests/storage/store_test_util.h"
#include "tests/support/temp_dir.h"

namespace checker::storage_test {

using testing::TempDir;
namespace {

// What happens when another writer commits while a scan is running.
enum class ConcurrentCommit {
  kNotApplicable,  // no other writer can exist
  kCommitted,      // the writer commits; the running scan does not see it
  kBusy,           // the writer cannot commit until the scan ends
};

std::vector<std::pair<NodeId, Bytes>> TestRows(size_t count, size_t size, size_t first = 0) {
  std::vector<std::pair<NodeId, Bytes>> rows;
  for (size_t i = first; i < first + count; ++i) rows.emplace_back(TestId(i), TestBytes(i, size));
  return rows;
}

template <typename Store>
std::unique_ptr<BundleStore> Require(Result<std::unique_ptr<Store>> opened) {
  REQUIRE_MESSAGE(opened.ok(), opened.status().message());
  return std::move(opened).value();
}

// Puts `rows` into DEFAULT_BUNDLE with one transaction of its own.
Status CommitRows(BundleStore& store, const std::vector<std::pair<NodeId, Bytes>>& rows) {
  auto txn = store.BeginWrite();
  if (!txn.ok()) return txn.status();
  for (const auto& [id, bytes] : rows) CHECKER_RETURN_IF_ERROR((*txn)->Put("DEFAULT_", id, bytes));
  return (*txn)->Commit();
}

struct MemoryBackend {
  static std::string Url(const TempDir&) { return "memory:"; }
  // Injected: the 5th put fails with IOError (MemoryStore::FailWriteAt).
  static std::unique_ptr<BundleStore> OpenWithFailingWrites(const TempDir&) {
    auto store = std::make_unique<MemoryStore>();
    PutAll(*store, "DEFAULT_", TestRows(3, 8));
    store->FailWriteAt(5);
    return store;
  }
  // A memory store lives in one process, and its scan rows point into it:
  // committing during a scan is outside its contract.
  static constexpr ConcurrentCommit kConcurrentCommit = ConcurrentCommit::kNotApplicable;
  static ConcurrentCommit CommitElsewhere(const TempDir&,
                                          const std::vector<std::pair<NodeId, Bytes>>&) {
    return ConcurrentCommit::kNotApplicable;
  }
  // Simulated (MemoryStore::SetBusy): there is no other process to hold it.
  static void WhileAnotherWriterHolds(const TempDir&, BundleStore& store,
                                      const std::function<void()>& body) {
    auto& memory = static_cast<MemoryStore&>(store);
    memory.SetBusy(true);
    body();
    memory.SetBusy(false);
  }
};

struct SqliteBackend {
  static std::string Path(const TempDir& dir) { return dir.File("store.db"); }
  static std::string Url(const TempDir& dir) { return "sqlite:" + Path(dir); }
  // A real engine error: a trigger aborts the insert of a 6th row with
  // RAISE(ABORT), which fails that statement and leaves the transaction
  // open, as an I/O error on one statement would.
  static std::unique_ptr<BundleStore> OpenWithFailingWrites(const TempDir& dir) {
    auto store = Require(SqliteStore::Open(Path(dir), OpenMode::kCreate));
    PutAll(*store, "DEFAULT_", TestRows(3, 8));
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(Path(dir).c_str(), &db) == SQLITE_OK);
    int rc = sqlite3_exec(db,
                          "CREATE TRIGGER injected_failure BEFORE INSERT ON DEFAULT_BUNDLE "
                          "WHEN (SELECT count(*) FROM DEFAULT_BUNDLE) >= 8 "
                          "BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
                          nullptr, nullptr, nullptr);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
    return store;
  }
  // In SQLite's default rollback-journal mode a reader holds a SHARED lock
  // for the length of its read transaction (the scan's statement) and a
  // commit needs the EXCLUSIVE lock: the other writer (a second connection
  // with a short busy timeout) can begin and put, but its commit is Busy.
  static constexpr ConcurrentCommit kConcurrentCommit = ConcurrentCommit::kBusy;
  static ConcurrentCommit CommitElsewhere(const TempDir& dir,
                                          const std::vector<std::pair<NodeId, Bytes>>& rows) {
    auto other =
        Require(SqliteStore::Open(Path(dir), OpenMode::kReadWrite, {.read_busy_timeout_ms = 50}));
    Status status = CommitRows(*other, rows);
    if (status.ok()) return ConcurrentCommit::kCommitted;
    REQUIRE_MESSAGE(status.IsBusy(), status.message());
    return ConcurrentCommit::kBusy;
  }
  // Whether a reader on another connection (with a short busy timeout)
  // finds `id`; Busy if a lock keeps it out.
  static Result<bool> GetElsewhere(const TempDir& dir, const NodeId& id) {
    auto other =
        Require(SqliteStore::Open(Path(dir), OpenMode::kReadOnly, {.read_busy_timeout_ms = 50}));
    auto got = other->Get("DEFAULT_", id);
    if (!got.ok()) return got.status();
    return got->has_value();
  }
  // Another connection is to SQLite's locks what another process is.
  static void WhileAnotherWriterHolds(const TempDir& dir, BundleStore&,
                                      const std::function<void()>& body) {
    auto other = Require(SqliteStore::Open(Path(dir), OpenMode::kReadWrite));
    auto txn = other->BeginWrite();
    REQUIRE(txn.ok());
    body();
  }
};

struct LmdbBackend {
  static std::string Path(const TempDir& dir) { return dir.File("store.lmdb"); }
  static std::string Url(const TempDir& dir) { return "lmdb:" + Path(dir); }
  // A real engine error: an environment made with a 2 MiB map, so that puts
  // of 64 KiB bundles fail with MDB_MAP_FULL after a few dozen; LMDB then
  // accepts nothing but an abort.
  static std::unique_ptr<BundleStore> OpenWithFailingWrites(const TempDir& dir) {
    auto store = Require(LmdbStore::Open(Path(dir), OpenMode::kCreate, {.map_size = 2 << 20}));
    PutAll(*store, "DEFAULT_", TestRows(3, 8));
    return store;
  }
  // A read transaction is a snapshot: the other writer (another process:
  // LMDB allows one environment per process) commits, the scan goes on
  // with the rows as they were when it began.
  static constexpr ConcurrentCommit kConcurrentCommit = ConcurrentCommit::kCommitted;
  static ConcurrentCommit CommitElsewhere(const TempDir& dir,
                                          const std::vector<std::pair<NodeId, Bytes>>& rows) {
    ChildProcess child([&](ChildProcess&) {
      auto other = LmdbStore::Open(Path(dir), OpenMode::kReadWrite);
      if (!other.ok()) return 1;
      Status status = CommitRows(**other, rows);
      return status.ok() ? 0 : status.IsBusy() ? 2 : 1;
    });
    int exit_code = child.Finish();
    REQUIRE(exit_code != 1);
    return exit_code == 0 ? ConcurrentCommit::kCommitted : ConcurrentCommit::kBusy;
  }
  static Result<bool> GetElsewhere(const TempDir& dir, const NodeId& id) {
    ChildProcess child([&](ChildProcess&) {
      auto other = LmdbStore::Open(Path(dir), OpenMode::kReadOnly);
      if (!other.ok()) return 1;
      auto got = (*other)->Get("DEFAULT_", id);
      if (!got.ok()) return got.status().IsBusy() ? 3 : 1;
      return got->has_value() ? 0 : 2;
    });
    int exit_code = child.Finish();
    REQUIRE(exit_code != 1);
    if (exit_code == 3) return Status::Busy("the other reader was Busy");
    return exit_code == 0;
  }
  static void WhileAnotherWriterHolds(const TempDir& dir, BundleStore&,
                                      const std::function<void()>& body) {
    ChildProcess child([&](ChildProcess& self) {
      auto other = LmdbStore::Open(Path(dir), OpenMode::kReadWrite);
      if (!other.ok()) return 1;
      auto txn = (*other)->BeginWrite();
      if (!txn.ok()) return 1;
      self.Hold();
      return 0;
    });
    REQUIRE(child.WaitUntilHolding());
    body();
    CHECK(child.Finish() == 0);
  }
};

// A fresh, empty store of backend T, with a DEFAULT_BUNDLE table.
template <typename T>
class Fixture {
 public:
  Fixture() {
    auto opened = OpenStore(T::Url(dir_), OpenMode::kCreate);
    REQUIRE_MESSAGE(opened.ok(), opened.status().message());
    store_ = std::move(opened).value();
    PutAll(*store_, "DEFAULT_", {});
  }
  BundleStore& store() { return *store_; }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
  std::unique_ptr<BundleStore> store_;
};

#define STORE_TEST(name) TEST_CASE_TEMPLATE(name, T, MemoryBackend, SqliteBackend, LmdbBackend)

STORE_TEST("scan returns every row exactly once, in batches") {
  Fixture<T> f;
  auto rows = TestRows(3000, 40);
  PutAll(f.store(), "DEFAULT_", rows);
  ScanResult scan = ScanAll(f.store(), "DEFAULT_");
  CHECK(scan.duplicates == 0);
  CHECK(scan.order.size() == rows.size());
  CHECK(scan.rows == std::map<NodeId, Bytes>(rows.begin(), rows.end()));
  CHECK(scan.batch_sizes.size() > 1);
}

STORE_TEST("an empty workspace scans to nothing and finds nothing") {
  Fixture<T> f;
  ScanResult scan = ScanAll(f.store(), "DEFAULT_");
  CHECK(scan.order.empty());
  CHECK(scan.batch_sizes.empty());
  auto got = f.store().Get("DEFAULT_", TestId(1));
  REQUIRE(got.ok());
  CHECK(!got->has_value());
  CHECK(f.store().CountRows("DEFAULT_") == std::optional<uint64_t>(0));
  CHECK(*f.store().ListBundleTables() == std::vector<std::string>{"DEFAULT_"});
}

STORE_TEST("an unknown workspace (missing table) is NotFound, naming the tables that exist") {
  Fixture<T> f;
  Status status = f.store().Scan("NOPE_", [](auto) { return Status::Ok(); });
  CHECK(status.IsNotFound());
  CHECK(status.message().find("table NOPE_BUNDLE not found in ") == 0);
  CHECK(status.message().find("(bundle tables: DEFAULT_BUNDLE)") != std::string::npos);
  CHECK(f.store().Get("NOPE_", TestId(1)).status().IsNotFound());
  CHECK(!f.store().CountRows("NOPE_").has_value());
  auto txn = f.store().BeginWrite();
  REQUIRE(txn.ok());
  CHECK((*txn)->Put("NOPE_", TestId(1), Bytes{1}).IsNotFound());
  CHECK((*txn)->Get("NOPE_", TestId(1)).status().IsNotFound());
}

STORE_TEST("a prefix that could not come from Jackrabbit is InvalidArgument") {
  Fixture<T> f;
  for (std::string_view prefix : {"DEFAULT\"", "A B_", "X;DROP TABLE DEFAULT_BUNDLE;--"}) {
    CAPTURE(prefix);
    CHECK(f.store().Scan(prefix, [](auto) { return Status::Ok(); }).IsInvalidArgument());
    CHECK(f.store().Get(prefix, TestId(1)).status().IsInvalidArgument());
    auto txn = f.store().BeginWrite();
    REQUIRE(txn.ok());
    CHECK((*txn)->CreateTable(prefix).IsInvalidArgument());
    CHECK((*txn)->Put(prefix, TestId(1), Bytes{1}).IsInvalidArgument());
  }
}

STORE_TEST("list bundle tables returns the prefixes, sorted") {
  Fixture<T> f;
  PutAll(f.store(), "VERSION_", {});
  PutAll(f.store(), "", {});
  PutAll(f.store(), "ARCHIVE_", {});
  auto tables = f.store().ListBundleTables();
  REQUIRE(tables.ok());
  CHECK(*tables == std::vector<std::string>{"", "ARCHIVE_", "DEFAULT_", "VERSION_"});
}

STORE_TEST("get finds present rows and reports absent ones as nullopt") {
  Fixture<T> f;
  PutAll(f.store(), "DEFAULT_", TestRows(10, 20));
  auto present = f.store().Get("DEFAULT_", TestId(3));
  REQUIRE(present.ok());
  REQUIRE(present->has_value());
  CHECK(**present == TestBytes(3, 20));
  auto absent = f.store().Get("DEFAULT_", TestId(10));
  REQUIRE(absent.ok());
  CHECK(!absent->has_value());
}

STORE_TEST("0-byte and 1 MiB bundles round-trip") {
  Fixture<T> f;
  Bytes big = TestBytes(7, size_t{1} << 20);
  PutAll(f.store(), "DEFAULT_", {{TestId(0), Bytes()}, {TestId(1), big}, {TestId(2), Bytes{9}}});
  auto empty = f.store().Get("DEFAULT_", TestId(0));
  REQUIRE(empty.ok());
  REQUIRE(empty->has_value());
  CHECK((*empty)->empty());
  auto got_big = f.store().Get("DEFAULT_", TestId(1));
  REQUIRE(got_big.ok());
  CHECK(**got_big == big);
  ScanResult scan = ScanAll(f.store(), "DEFAULT_");
  CHECK(scan.rows.size() == 3);
  CHECK(scan.rows[TestId(0)].empty());
  CHECK(scan.rows[TestId(1)] == big);
  CHECK(scan.rows[TestId(2)] == Bytes{9});
}

STORE_TEST("a failing callback stops the scan and becomes its result") {
  Fixture<T> f;
  PutAll(f.store(), "DEFAULT_", TestRows(3000, 10));
  int calls = 0;
  Status status = f.store().Scan("DEFAULT_", [&](auto) {
    ++calls;
    return Status::Interrupted("stop");
  });
  CHECK(status.IsInterrupted());
  CHECK(status.message() == "stop");
  CHECK(calls == 1);
}

STORE_TEST("commit makes all writes visible and put replaces") {
  Fixture<T> f;
  PutAll(f.store(), "DEFAULT_", TestRows(5, 8));
  PutAll(f.store(), "DEFAULT_", {{TestId(2), Bytes{1, 2}}, {TestId(7), Bytes{3}}});
  ScanResult scan = ScanAll(f.store(), "DEFAULT_");
  CHECK(scan.order.size() == 6);
  CHECK(scan.duplicates == 0);
  CHECK(scan.rows[TestId(2)] == Bytes{1, 2});
  CHECK(scan.rows[TestId(7)] == Bytes{3});
  CHECK(scan.rows[TestId(4)] == TestBytes(4, 8));
}

STORE_TEST("a transaction sees its own writes and others see them after commit") {
  Fixture<T> f;
  auto txn = f.store().BeginWrite();
  REQUIRE(txn.ok());
  REQUIRE((*txn)->CreateTable("NEW_").ok());
  REQUIRE((*txn)->Put("NEW_", TestId(1), Bytes{5}).ok());
  REQUIRE((*txn)->Put("DEFAULT_", TestId(1), Bytes{6}).ok());
  auto own = (*txn)->Get("NEW_", TestId(1));
  REQUIRE(own.ok());
  CHECK(*own == std::optional<Bytes>(Bytes{5}));
  auto other = (*txn)->Get("NEW_", TestId(2));
  REQUIRE(other.ok());
  CHECK(!other->has_value());
  REQUIRE((*txn)->Commit().ok());
  CHECK(*f.store().Get("NEW_", TestId(1)) == std::optional<Bytes>(Bytes{5}));
  CHECK(*f.store().Get("DEFAULT_", TestId(1)) == std::optional<Bytes>(Bytes{6}));
}

STORE_TEST("rollback and destruction discard every write") {
  Fixture<T> f;
  PutAll(f.store(), "DEFAULT_", TestRows(3, 8));
  ScanResult before = ScanAll(f.store(), "DEFAULT_");
  SUBCASE("rollback") {
    auto txn = f.store().BeginWrite();
    REQUIRE(txn.ok());
    REQUIRE((*txn)->Put("DEFAULT_", TestId(0), Bytes{1}).ok());
    REQUIRE((*txn)->Put("DEFAULT_", TestId(9), Bytes{2}).ok());
    REQUIRE((*txn)->CreateTable("NEW_").ok());
    REQUIRE((*txn)->Put("NEW_", TestId(1), Bytes{3}).ok());
    REQUIRE((*txn)->Get("NEW_", TestId(1)).ok());
    REQUIRE((*txn)->Rollback().ok());
    CHECK((*txn)->Rollback().ok());  // idempotent
    CHECK((*txn)->Put("DEFAULT_", TestId(0), Bytes{1}).IsInvalidArgument());
    CHECK((*txn)->Commit().IsInvalidArgument());
  }
  SUBCASE("destructor") {
    auto txn = f.store().BeginWrite();
    REQUIRE(txn.ok());
    REQUIRE((*txn)->Put("DEFAULT_", TestId(0), Bytes{1}).ok());
    REQUIRE((*txn)->CreateTable("NEW_").ok());
  }
  CHECK(ScanAll(f.store(), "DEFAULT_").rows == before.rows);
  CHECK(*f.store().ListBundleTables() == std::vector<std::string>{"DEFAULT_"});
  CHECK(f.store().Get("NEW_", TestId(1)).status().IsNotFound());
  auto again = f.store().BeginWrite();  // the store is free again
  REQUIRE(again.ok());
  CHECK((*again)->Put("NEW_", TestId(1), Bytes{3}).IsNotFound());
}

STORE_TEST("one write transaction at a time and a committed one is finished") {
  Fixture<T> f;
  auto first = f.store().BeginWrite();
  REQUIRE(first.ok());
  CHECK(f.store().BeginWrite().status().IsInvalidArgument());
  REQUIRE((*first)->Commit().ok());
  CHECK((*first)->Commit().IsInvalidArgument());
  CHECK((*first)->Rollback().IsInvalidArgument());
  CHECK((*first)->Get("DEFAULT_", TestId(1)).status().IsInvalidArgument());
  CHECK(f.store().BeginWrite().ok());
}

STORE_TEST("every row is scanned once after writes in random order over several transactions") {
  Fixture<T> f;
  auto rows = TestRows(20000, 30);
  std::shuffle(rows.begin(), rows.end(), std::mt19937(42));
  for (size_t start = 0; start < rows.size(); start += 5000) {
    PutAll(f.store(), "DEFAULT_", {rows.begin() + start, rows.begin() + start + 5000});
  }
  std::vector<std::pair<NodeId, Bytes>> replaced(rows.begin(), rows.begin() + 1000);
  for (auto& [id, bytes] : replaced) bytes = Bytes{7, 7};
  PutAll(f.store(), "DEFAULT_", replaced);
  std::map<NodeId, Bytes> expected(rows.begin(), rows.end());
  for (const auto& [id, bytes] : replaced) expected[id] = bytes;

  ScanResult scan = ScanAll(f.store(), "DEFAULT_");
  CHECK(scan.duplicates == 0);
  CHECK(scan.order.size() == rows.size());
  CHECK(scan.rows == expected);
  CHECK(f.store().CountRows("DEFAULT_") == std::optional<uint64_t>(rows.size()));
}

STORE_TEST("point lookups find every present row and none of the absent ones") {
  Fixture<T> f;
  auto rows = TestRows(2000, 25);
  PutAll(f.store(), "DEFAULT_", rows);
  for (const auto& [id, bytes] : rows) {
    auto got = f.store().Get("DEFAULT_", id);
    REQUIRE(got.ok());
    CHECK(*got == std::optional<Bytes>(bytes));
  }
  for (uint64_t n = 2000; n < 2100; ++n) {
    auto got = f.store().Get("DEFAULT_", TestId(n));
    REQUIRE(got.ok());
    CHECK(!got->has_value());
  }
  auto txn = f.store().BeginWrite();
  REQUIRE(txn.ok());
  CHECK(*(*txn)->Get("DEFAULT_", TestId(5)) == std::optional<Bytes>(TestBytes(5, 25)));
  CHECK(!(*txn)->Get("DEFAULT_", TestId(2005))->has_value());
}

STORE_TEST("a write that fails halfway through a transaction leaves nothing behind") {
  TempDir dir;
  std::unique_ptr<BundleStore> store = T::OpenWithFailingWrites(dir);
  ScanResult before = ScanAll(*store, "DEFAULT_");
  Status failure;
  size_t puts_before_failure = 0;
  {
    auto txn = store->BeginWrite();
    REQUIRE(txn.ok());
    REQUIRE((*txn)->CreateTable("NEW_").ok());
    REQUIRE((*txn)->Put("NEW_", TestId(500), Bytes{1}).ok());
    Bytes big = TestBytes(1, size_t{64} << 10);
    for (uint64_t n = 100; n < 300; ++n) {
      failure = (*txn)->Put("DEFAULT_", TestId(n), big);
      if (!failure.ok()) break;
      ++puts_before_failure;
    }
    // What the checker does on an error: roll back, or return and let the
    // transaction's destructor do it.
    SUBCASE("rolled back") { CHECK((*txn)->Rollback().ok()); }
    SUBCASE("abandoned") {}
  }
  CAPTURE(failure.message());
  CHECK(!failure.ok());
  CHECK(puts_before_failure >= 3);  // halfway: earlier puts had succeeded
  CHECK(ScanAll(*store, "DEFAULT_").rows == before.rows);
  CHECK(*store->ListBundleTables() == std::vector<std::string>{"DEFAULT_"});
  CHECK(store->Get("NEW_", TestId(500)).status().IsNotFound());
  PutAll(*store, "DEFAULT_", {{TestId(99), Bytes{9}}});  // and it takes writes again
  CHECK(ScanAll(*store, "DEFAULT_").rows.size() == before.rows.size() + 1);
}

STORE_TEST("a scan does not see a commit made while it runs") {
  if constexpr (T::kConcurrentCommit == ConcurrentCommit::kNotApplicable) {
    MESSAGE("not applicable: a memory store has no other writer during a scan");
  } else {
    Fixture<T> f;
    auto rows = TestRows(3000, 40);
    PutAll(f.store(), "DEFAULT_", rows);
    // Ids spread over the whole key space, so some sort after any point
    // where the scan may be when they are committed.
    auto late = TestRows(500, 40, 10000);
    std::optional<ConcurrentCommit> outcome;
    std::map<NodeId, Bytes> seen;
    Status status = f.store().Scan("DEFAULT_", [&](std::span<const Row> batch) {
      if (!outcome) outcome = T::CommitElsewhere(f.dir(), late);
      for (const Row& row : batch) seen.emplace(row.id, Bytes(row.bytes.begin(), row.bytes.end()));
      return Status::Ok();
    });
    REQUIRE_MESSAGE(status.ok(), status.message());
    CHECK(outcome == T::kConcurrentCommit);
    CHECK(seen == std::map<NodeId, Bytes>(rows.begin(), rows.end()));
    size_t committed = T::kConcurrentCommit == ConcurrentCommit::kCommitted ? late.size() : 0;
    CHECK(ScanAll(f.store(), "DEFAULT_").rows.size() == rows.size() + committed);
  }
}

STORE_TEST("begin write is Busy at once while another writer holds the store") {
  Fixture<T> f;
  PutAll(f.store(), "DEFAULT_", TestRows(3, 8));
  T::WhileAnotherWriterHolds(f.dir(), f.store(), [&] {
    auto start = std::chrono::steady_clock::now();
    auto txn = f.store().BeginWrite();
    auto waited = std::chrono::steady_clock::now() - start;
    CHECK(txn.status().IsBusy());
    CHECK(txn.status().message().find("is locked by another process") != std::string::npos);
    CHECK(waited < std::chrono::milliseconds(500));
    CHECK(ScanAll(f.store(), "DEFAULT_").rows.size() == 3);  // readers still read
  });
  CHECK(f.store().BeginWrite().ok());
}

STORE_TEST("gets in a read snapshot find what gets outside it find") {
  Fixture<T> f;
  auto rows = TestRows(500, 30);
  PutAll(f.store(), "DEFAULT_", rows);
  PutAll(f.store(), "VERSION_", {{TestId(0), Bytes{4}}});
  auto snapshot = f.store().BeginReadSnapshot();
  REQUIRE_MESSAGE(snapshot.ok(), snapshot.status().message());
  for (const auto& [id, bytes] : rows) {
    auto got = f.store().Get("DEFAULT_", id);
    REQUIRE_MESSAGE(got.ok(), got.status().message());
    CHECK(*got == std::optional<Bytes>(bytes));
  }
  for (uint64_t n = 500; n < 550; ++n) {
    auto got = f.store().Get("DEFAULT_", TestId(n));
    REQUIRE(got.ok());
    CHECK(!got->has_value());
  }
  CHECK(*f.store().Get("VERSION_", TestId(0)) == std::optional<Bytes>(Bytes{4}));
  CHECK(f.store().Get("NOPE_", TestId(1)).status().IsNotFound());
  CHECK(f.store().Get("A B_", TestId(1)).status().IsInvalidArgument());
  // The errors leave the snapshot usable.
  CHECK(*f.store().Get("DEFAULT_", TestId(7)) == std::optional<Bytes>(TestBytes(7, 30)));
  CHECK((*snapshot)->End().ok());
  CHECK((*snapshot)->End().ok());  // idempotent
  CHECK(*f.store().Get("DEFAULT_", TestId(8)) == std::optional<Bytes>(TestBytes(8, 30)));
}

STORE_TEST("a read snapshot does not see a commit made while it is open") {
  if constexpr (T::kConcurrentCommit == ConcurrentCommit::kNotApplicable) {
    MESSAGE("not applicable: a memory store has no other writer");
  } else {
    Fixture<T> f;
    auto rows = TestRows(100, 20);
    PutAll(f.store(), "DEFAULT_", rows);
    std::vector<std::pair<NodeId, Bytes>> late = TestRows(50, 20, 1000);
    for (uint64_t n = 0; n < 10; ++n) late.emplace_back(TestId(n), Bytes{9});  // replaced rows
    auto snapshot = f.store().BeginReadSnapshot();
    REQUIRE_MESSAGE(snapshot.ok(), snapshot.status().message());
    REQUIRE(f.store().Get("DEFAULT_", TestId(50))->has_value());  // fixes the snapshot
    CHECK(T::CommitElsewhere(f.dir(), late) == T::kConcurrentCommit);
    for (const auto& [id, bytes] : late) {
      auto got = f.store().Get("DEFAULT_", id);
      REQUIRE_MESSAGE(got.ok(), got.status().message());
      auto old =
          std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.first == id; });
      CHECK(*got == (old == rows.end() ? std::nullopt : std::optional<Bytes>(old->second)));
    }
    REQUIRE((*snapshot)->End().ok());
    // The newest state again.
    const bool committed = T::kConcurrentCommit == ConcurrentCommit::kCommitted;
    CHECK(f.store().Get("DEFAULT_", TestId(1000))->has_value() == committed);
    CHECK(*f.store().Get("DEFAULT_", TestId(0)) ==
          std::optional<Bytes>(committed ? Bytes{9} : TestBytes(0, 20)));
  }
}

STORE_TEST("a read snapshot does not keep other readers out") {
  if constexpr (T::kConcurrentCommit == ConcurrentCommit::kNotApplicable) {
    MESSAGE("not applicable: a memory store has no other reader");
  } else {
    Fixture<T> f;
    PutAll(f.store(), "DEFAULT_", TestRows(10, 20));
    auto snapshot = f.store().BeginReadSnapshot();
    REQUIRE_MESSAGE(snapshot.ok(), snapshot.status().message());
    REQUIRE(f.store().Get("DEFAULT_", TestId(3))->has_value());  // holds the snapshot now
    Result<bool> found = T::GetElsewhere(f.dir(), TestId(4));
    REQUIRE_MESSAGE(found.ok(), found.status().message());
    CHECK(*found);
  }
}

STORE_TEST("one read snapshot at a time, and no write transaction while one is open") {
  Fixture<T> f;
  PutAll(f.store(), "DEFAULT_", TestRows(3, 8));
  auto first = f.store().BeginReadSnapshot();
  REQUIRE_MESSAGE(first.ok(), first.status().message());
  REQUIRE(f.store().Get("DEFAULT_", TestId(1)).ok());
  auto second = f.store().BeginReadSnapshot();
  CHECK(second.status().IsInvalidArgument());
  CHECK(second.status().message().find("a read snapshot is already open on ") == 0);
  auto txn = f.store().BeginWrite();
  CHECK(txn.status().IsInvalidArgument());
  CHECK(txn.status().message().find("end it before writing") != std::string::npos);
  REQUIRE((*first)->End().ok());

  SUBCASE("a write transaction after the snapshot ended, and none begun inside it") {
    auto writing = f.store().BeginWrite();
    REQUIRE_MESSAGE(writing.ok(), writing.status().message());
    auto inside = f.store().BeginReadSnapshot();
    CHECK(inside.status().IsInvalidArgument());
    CHECK(inside.status().message().find("cannot begin inside it") != std::string::npos);
    REQUIRE((*writing)->Put("DEFAULT_", TestId(1), Bytes{5}).ok());
    REQUIRE((*writing)->Commit().ok());
    auto after = f.store().BeginReadSnapshot();
    REQUIRE(after.ok());
    CHECK(*f.store().Get("DEFAULT_", TestId(1)) == std::optional<Bytes>(Bytes{5}));
  }
  SUBCASE("ending a finished snapshot again leaves the next one open") {
    auto next = f.store().BeginReadSnapshot();
    REQUIRE_MESSAGE(next.ok(), next.status().message());
    CHECK((*first)->End().ok());
    first->reset();  // its destructor does not end `next` either
    CHECK(f.store().BeginWrite().status().IsInvalidArgument());
    next->reset();  // the destructor ends it
    CHECK(f.store().BeginWrite().ok());
  }
}

STORE_TEST("a read snapshot works on a store opened read-only") {
  if constexpr (T::kConcurrentCommit == ConcurrentCommit::kNotApplicable) {
    MESSAGE("not applicable: a memory store cannot be opened again");
  } else {
    TempDir dir;
    {
      auto created = OpenStore(T::Url(dir), OpenMode::kCreate);
      REQUIRE(created.ok());
      PutAll(**created, "DEFAULT_", TestRows(5, 8));
    }
    auto store = OpenStore(T::Url(dir), OpenMode::kReadOnly);
    REQUIRE_MESSAGE(store.ok(), store.status().message());
    auto snapshot = (*store)->BeginReadSnapshot();
    REQUIRE_MESSAGE(snapshot.ok(), snapshot.status().message());
    CHECK(*(*store)->Get("DEFAULT_", TestId(2)) == std::optional<Bytes>(TestBytes(2, 8)));
    CHECK(!(*store)->Get("DEFAULT_", TestId(9))->has_value());
    CHECK((*snapshot)->End().ok());
  }
}

}  // namespace
}  // namespace checker::storage_test
