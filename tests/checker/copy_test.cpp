// CopyStore: any backend to any backend, byte for byte, refusing stores that
// are not empty, and proving the copy with a digest of both sides.
#include "checker/copy.h"

#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "checker/interrupt.h"
#include "storage/memory_store.h"
#include "tests/storage/store_test_util.h"
#include "tests/support/forwarding_store.h"
#include "tests/support/temp_dir.h"

namespace checker {
namespace {

using storage_test::PutAll;
using storage_test::ScanAll;
using storage_test::TestBytes;
using storage_test::TestId;
using Contents = std::map<std::string, std::map<NodeId, Bytes>>;

std::unique_ptr<BundleStore> Open(const std::string& url, OpenMode mode) {
  auto store = OpenStore(url, mode);
  REQUIRE_MESSAGE(store.ok(), store.status().message());
  return std::move(store).value();
}

// Every row of every bundle table.
Contents Dump(BundleStore& store) {
  Contents contents;
  auto tables = store.ListBundleTables();
  REQUIRE(tables.ok());
  for (const std::string& prefix : *tables) contents[prefix] = ScanAll(store, prefix).rows;
  return contents;
}

// A repository: DEFAULT_ with bundles of many sizes (0 bytes and 1 MiB
// among them), VERSION_, and an empty ARCHIVE_.
void FillRepository(BundleStore& store) {
  std::vector<std::pair<NodeId, Bytes>> rows;
  for (uint64_t i = 0; i < 1500; ++i) rows.emplace_back(TestId(i), TestBytes(i, i % 300));
  rows.emplace_back(TestId(5000), TestBytes(5000, size_t{1} << 20));
  PutAll(store, "DEFAULT_", rows);
  rows.clear();
  for (uint64_t i = 0; i < 400; ++i) rows.emplace_back(TestId(10000 + i), TestBytes(i, 120));
  PutAll(store, "VERSION_", rows);
  PutAll(store, "ARCHIVE_", {});
}

TEST_CASE("copy: sqlite to lmdb to sqlite gives byte-identical rows in every table") {
  testing::TempDir dir;
  const std::string first = "sqlite:" + dir.File("first.db");
  const std::string middle = "lmdb:" + dir.File("middle.lmdb");
  const std::string last = "sqlite:" + dir.File("last.db");
  FillRepository(*Open(first, OpenMode::kCreate));

  auto source = Open(first, OpenMode::kReadOnly);
  auto lmdb = Open(middle, OpenMode::kCreate);
  std::map<std::string, uint64_t> progress;
  auto there = CopyStore(*source, *lmdb, [&](std::string_view prefix, uint64_t rows) {
    progress[std::string(prefix)] = rows;
  });
  REQUIRE_MESSAGE(there.ok(), there.status().message());
  auto sqlite = Open(last, OpenMode::kCreate);
  auto back = CopyStore(*lmdb, *sqlite);
  REQUIRE_MESSAGE(back.ok(), back.status().message());

  Contents original = Dump(*source);
  REQUIRE(original.size() == 3);
  CHECK(Dump(*lmdb) == original);
  CHECK(Dump(*sqlite) == original);

  CHECK(there->rows == 1901);
  REQUIRE(there->tables.size() == 3);
  CHECK(there->tables[0].prefix == "ARCHIVE_");
  CHECK(there->tables[0].rows == 0);
  CHECK(there->tables[1].prefix == "DEFAULT_");
  CHECK(there->tables[1].rows == 1501);
  CHECK(there->tables[2].prefix == "VERSION_");
  CHECK(there->tables[2].rows == 400);
  CHECK(progress == std::map<std::string, uint64_t>{{"DEFAULT_", 1501}, {"VERSION_", 400}});
  CHECK(there->digest.size() == 32);
  CHECK(back->digest == there->digest);
  CHECK(back->rows == there->rows);
  CHECK(CopySummary(*there) ==
        "copied 1901 rows in 3 tables; xxh3 digest " + there->digest + " verified on both sides");
}

TEST_CASE("copy: a destination with rows is refused before anything is written") {
  testing::TempDir dir;
  auto source = Open("sqlite:" + dir.File("source.db"), OpenMode::kCreate);
  FillRepository(*source);
  for (const std::string& url :
       {"sqlite:" + dir.File("busy.db"), "lmdb:" + dir.File("busy.lmdb")}) {
    CAPTURE(url);
    auto destination = Open(url, OpenMode::kCreate);
    PutAll(*destination, "DEFAULT_", {});
    PutAll(*destination, "OTHER_", {{TestId(1), Bytes{1}}});
    Contents before = Dump(*destination);
    auto copied = CopyStore(*source, *destination);
    CHECK(copied.status().IsInvalidArgument());
    CHECK(copied.status().message() ==
          "cannot copy into " + destination->Describe() +
              ": its table OTHER_BUNDLE has rows (copy writes only into an empty store); nothing "
              "was written");
    CHECK(Dump(*destination) == before);
  }
}

TEST_CASE("copy: empty tables in the destination are fine") {
  MemoryStore source, destination;
  PutAll(source, "DEFAULT_", {{TestId(1), Bytes{1}}});
  PutAll(destination, "DEFAULT_", {});
  PutAll(destination, "OTHER_", {});
  auto copied = CopyStore(source, destination);
  REQUIRE_MESSAGE(copied.ok(), copied.status().message());
  CHECK(copied->rows == 1);
  CHECK(CopySummary(*copied) ==
        "copied 1 row in 1 table; xxh3 digest " + copied->digest + " verified on both sides");
  CHECK(destination.Dump() ==
        MemoryStore::Contents{{"DEFAULT_", {{TestId(1), Bytes{1}}}}, {"OTHER_", {}}});
}

TEST_CASE("copy: the digest depends on the rows and their tables, not on order or backend") {
  auto digest_of = [](const std::vector<std::pair<std::string, std::pair<NodeId, Bytes>>>& rows) {
    MemoryStore source, destination;
    for (const auto& [prefix, row] : rows) PutAll(source, prefix, {row});
    auto copied = CopyStore(source, destination);
    REQUIRE_MESSAGE(copied.ok(), copied.status().message());
    return copied->digest;
  };
  std::pair<NodeId, Bytes> a{TestId(1), Bytes{1, 2}}, b{TestId(2), Bytes{3}};
  std::string digest = digest_of({{"DEFAULT_", a}, {"DEFAULT_", b}});
  CHECK(digest_of({{"DEFAULT_", b}, {"DEFAULT_", a}}) == digest);
  CHECK(digest_of({{"DEFAULT_", a}, {"VERSION_", b}}) != digest);
  CHECK(digest_of({{"DEFAULT_", a}, {"DEFAULT_", {TestId(2), Bytes{4}}}}) != digest);
  CHECK(digest_of({{"DEFAULT_", a}, {"DEFAULT_", {TestId(3), Bytes{3}}}}) != digest);
  CHECK(digest_of({}) == std::string(32, '0'));
}

TEST_CASE("copy: a failure or Ctrl-C halfway leaves the destination as it was") {
  MemoryStore source, destination;
  FillRepository(source);
  Status expected;
  SUBCASE("a write fails") {
    destination.FailWriteAt(1000);
    expected = Status::IOError("memory: injected write failure (put)");
  }
  SUBCASE("Ctrl-C") {
    RequestInterrupt();
    expected = Status::Interrupted("interrupted: the copy was rolled back");
  }
  auto copied = CopyStore(source, destination);
  ClearInterrupt();
  CHECK(copied.status().code() == expected.code());
  CHECK(copied.status().message() == expected.message());
  CHECK(destination.Dump().empty());
}

// A source that gains a row in DEFAULT_ after it has been copied, as if a
// repository were running on it.
class ChangingStore final : public testing::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  Status Scan(std::string_view prefix, const ScanCallback& on_batch) override {
    Status status = ForwardingStore::Scan(prefix, on_batch);
    if (prefix == "DEFAULT_" && !changed_) {
      changed_ = true;
      PutAll(wrapped(), "DEFAULT_", {{TestId(9999), Bytes{9}}});
    }
    return status;
  }

 private:
  bool changed_ = false;
};

TEST_CASE("copy: a source that changes during the copy fails the verification") {
  MemoryStore memory, destination;
  PutAll(memory, "DEFAULT_", {{TestId(1), Bytes{1}}, {TestId(2), Bytes{2}}});
  ChangingStore source(memory);
  auto copied = CopyStore(source, destination);
  CHECK(copied.status().code() == Status::Code::kCorruption);
  CHECK(copied.status().message().starts_with(
      "the source changed during the copy: table DEFAULT_BUNDLE in memory: has 3 rows, digest "));
  CHECK(copied.status().message().find(" now, but 2 rows, digest ") != std::string::npos);
  CHECK(destination.Dump().at("DEFAULT_").size() == 2);  // the copy stays committed
}

}  // namespace
}  // namespace checker
