// The BundleStore contract, run against every backend: what the checker may
// rely on whichever store it is given.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "storage/bundle_store.h"
#include "tests/storage/store_test_util.h"
#include "tests/support/temp_dir.h"

namespace checker::storage_test {

using testing::TempDir;
namespace {

struct SqliteBackend {
  static std::string Url(const TempDir& dir) { return "sqlite:" + dir.File("store.db"); }
};
struct MemoryBackend {
  static std::string Url(const TempDir&) { return "memory:"; }
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

 private:
  TempDir dir_;
  std::unique_ptr<BundleStore> store_;
};

std::vector<std::pair<NodeId, Bytes>> TestRows(size_t count, size_t size) {
  std::vector<std::pair<NodeId, Bytes>> rows;
  for (size_t i = 0; i < count; ++i) rows.emplace_back(TestId(i), TestBytes(i, size));
  return rows;
}

#define STORE_TEST(name) TEST_CASE_TEMPLATE(name, T, SqliteBackend, MemoryBackend)

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

STORE_TEST("an empty table scans to nothing") {
  Fixture<T> f;
  ScanResult scan = ScanAll(f.store(), "DEFAULT_");
  CHECK(scan.order.empty());
}

STORE_TEST("a missing table is NotFound, naming the tables that exist") {
  Fixture<T> f;
  Status status = f.store().Scan("NOPE_", [](auto) { return Status::Ok(); });
  CHECK(status.IsNotFound());
  CHECK(status.message().find("table NOPE_BUNDLE not found in ") == 0);
  CHECK(status.message().find("(bundle tables: DEFAULT_BUNDLE)") != std::string::npos);
  CHECK(f.store().Get("NOPE_", TestId(1)).status().IsNotFound());
  auto txn = f.store().BeginWrite();
  REQUIRE(txn.ok());
  CHECK((*txn)->Put("NOPE_", TestId(1), Bytes{1}).IsNotFound());
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

}  // namespace
}  // namespace checker::storage_test
