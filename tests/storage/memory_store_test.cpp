// MemoryStore beyond the shared contract: its scan order, batch size, read
// counters and fault injection.
#include "storage/memory_store.h"

#include <doctest/doctest.h>

#include "tests/storage/store_test_util.h"

namespace checker::storage_test {
namespace {

TEST_CASE("memory: scan follows insertion order and replacing keeps the place") {
  MemoryStore store;
  PutAll(store, "DEFAULT_", {{NodeId{0, 3}, Bytes{3}}, {NodeId{0, 1}, Bytes{1}}});
  PutAll(store, "DEFAULT_", {{NodeId{0, 2}, Bytes{2}}, {NodeId{0, 3}, Bytes{33}}});
  ScanResult scan = ScanAll(store, "DEFAULT_");
  CHECK(scan.order == std::vector<NodeId>{NodeId{0, 3}, NodeId{0, 1}, NodeId{0, 2}});
  CHECK(scan.rows[NodeId{0, 3}] == Bytes{33});
}

TEST_CASE("memory: batch size is configurable") {
  MemoryStore store(3);
  std::vector<std::pair<NodeId, Bytes>> rows;
  for (uint64_t i = 0; i < 10; ++i) rows.emplace_back(TestId(i), TestBytes(i, 4));
  PutAll(store, "DEFAULT_", rows);
  CHECK(ScanAll(store, "DEFAULT_").batch_sizes == std::vector<size_t>{3, 3, 3, 1});
  store.SetBatchSize(10);
  CHECK(ScanAll(store, "DEFAULT_").batch_sizes == std::vector<size_t>{10});
  CHECK(store.CountRows("DEFAULT_") == std::optional<uint64_t>(10));
  CHECK(!store.CountRows("NOPE_").has_value());
}

TEST_CASE("memory: reads are counted until reset") {
  MemoryStore store;
  PutAll(store, "DEFAULT_", {{TestId(1), Bytes{1}}, {TestId(2), Bytes{2}}});
  CHECK(store.reads().gets == 0);
  CHECK(store.reads().rows_scanned == 0);
  ScanAll(store, "DEFAULT_");
  CHECK(store.Get("DEFAULT_", TestId(1)).ok());
  CHECK(store.Get("DEFAULT_", TestId(9)).ok());
  auto txn = store.BeginWrite();
  REQUIRE(txn.ok());
  REQUIRE((*txn)->Put("DEFAULT_", TestId(3), Bytes{3}).ok());
  CHECK((*txn)->Get("DEFAULT_", TestId(3)).ok());
  CHECK((*txn)->Get("DEFAULT_", TestId(1)).ok());
  CHECK(store.reads().gets == 4);
  CHECK(store.reads().rows_scanned == 2);
  store.ResetReadCounts();
  CHECK(store.reads().gets == 0);
  CHECK(store.reads().rows_scanned == 0);
}

TEST_CASE("memory: SetBusy makes BeginWrite Busy") {
  MemoryStore store;
  store.SetBusy(true);
  auto txn = store.BeginWrite();
  CHECK(txn.status().IsBusy());
  CHECK(txn.status().message() == "memory: is locked by another process (simulated)");
  store.SetBusy(false);
  CHECK(store.BeginWrite().ok());
}

// A repair-like transaction: creates a table, replaces two rows, adds two.
// Stops at the first error and rolls back, as the checker's repair does.
Status Repair(MemoryStore& store) {
  auto txn = store.BeginWrite();
  if (!txn.ok()) return txn.status();
  CHECKER_RETURN_IF_ERROR((*txn)->CreateTable("LOST_"));
  CHECKER_RETURN_IF_ERROR((*txn)->Put("DEFAULT_", TestId(0), Bytes{100}));
  CHECKER_RETURN_IF_ERROR((*txn)->Put("DEFAULT_", TestId(7), Bytes{107}));
  CHECKER_RETURN_IF_ERROR((*txn)->Put("LOST_", TestId(8), Bytes{108}));
  CHECKER_RETURN_IF_ERROR((*txn)->Put("DEFAULT_", TestId(2), Bytes{102}));
  return (*txn)->Commit();  // the destructor rolls back on any early return
}

TEST_CASE("memory: an injected failure at any write position changes nothing") {
  MemoryStore store;
  PutAll(store, "DEFAULT_", {{TestId(0), Bytes{0}}, {TestId(1), Bytes{1}}, {TestId(2), Bytes{2}}});
  const MemoryStore::Contents before = store.Dump();
  constexpr uint64_t kPuts = 4;
  for (uint64_t n = 0; n <= kPuts; ++n) {
    CAPTURE(n);
    store.FailWriteAt(n);
    Status status = Repair(store);
    CHECK(status.code() == Status::Code::kIOError);
    CHECK(status.message() == (n < kPuts ? "memory: injected write failure (put)"
                                         : "memory: injected write failure "
                                           "(commit)"));
    CHECK(store.Dump() == before);
  }
  REQUIRE(Repair(store).ok());  // each failure fired once
  MemoryStore::Contents after = store.Dump();
  CHECK(after["DEFAULT_"].size() == 4);
  CHECK(after["DEFAULT_"][TestId(0)] == Bytes{100});
  CHECK(after["LOST_"] == std::map<NodeId, Bytes>{{TestId(8), Bytes{108}}});
}

TEST_CASE("memory: the failure position counts Puts across transactions") {
  MemoryStore store;
  PutAll(store, "DEFAULT_", {});
  store.FailWriteAt(2);
  PutAll(store, "DEFAULT_", {{TestId(0), Bytes{0}}});
  auto txn = store.BeginWrite();
  REQUIRE(txn.ok());
  CHECK((*txn)->Put("DEFAULT_", TestId(1), Bytes{1}).ok());
  CHECK((*txn)->Put("DEFAULT_", TestId(2), Bytes{2}).code() == Status::Code::kIOError);
  CHECK((*txn)->Put("DEFAULT_", TestId(3), Bytes{3}).ok());
  REQUIRE((*txn)->Commit().ok());
  CHECK(store.Dump()["DEFAULT_"].size() == 3);  // all but the failed Put

  store.FailWriteAt(0);
  store.ClearWriteFailure();
  PutAll(store, "DEFAULT_", {{TestId(4), Bytes{4}}});
}

TEST_CASE("memory: a table created in a transaction exists only after commit") {
  MemoryStore store;
  auto txn = store.BeginWrite();
  REQUIRE(txn.ok());
  REQUIRE((*txn)->CreateTable("NEW_").ok());
  auto inside = (*txn)->Get("NEW_", TestId(1));
  REQUIRE(inside.ok());
  CHECK(!inside->has_value());
  CHECK(store.Get("NEW_", TestId(1)).status().IsNotFound());
  CHECK(store.ListBundleTables()->empty());
  REQUIRE((*txn)->Commit().ok());
  CHECK(*store.ListBundleTables() == std::vector<std::string>{"NEW_"});
  CHECK(store.Dump() == MemoryStore::Contents{{"NEW_", {}}});
}

}  // namespace
}  // namespace checker::storage_test
