// CachedFraction on files just written (cached) and dropped from the page
// cache, and what SqliteStore::CountRows makes of it.
#include "storage/page_cache.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <fstream>

#include "storage/sqlite_store.h"
#include "tests/storage/store_test_util.h"
#include "tests/support/temp_dir.h"

namespace checker::storage_test {
namespace {

// Writes the file's dirty pages out and asks the kernel to drop its cached
// pages. Returns false where pages cannot be dropped (tmpfs keeps files
// only in memory).
bool DropFromPageCache(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  struct statfs fs;
  REQUIRE(fstatfs(fd, &fs) == 0);
  REQUIRE(fdatasync(fd) == 0);
  const bool droppable = fs.f_type != TMPFS_MAGIC;
  REQUIRE(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0);
  close(fd);
  return droppable;
}

TEST_CASE("CachedFraction: a file just written is cached, and not once dropped") {
  testing::TempDir dir;
  const std::string path = dir.File("data");
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(size_t{4} << 20, 'x');
  }
  std::optional<double> fresh = CachedFraction(path);
  REQUIRE(fresh.has_value());
  CHECK(*fresh == 1.0);

  const bool droppable = DropFromPageCache(path);
  std::optional<double> dropped = CachedFraction(path);
  REQUIRE(dropped.has_value());
  CHECK(*dropped == (droppable ? 0.0 : 1.0));

  CHECK(!CachedFraction(dir.File("missing")).has_value());
  std::ofstream(dir.File("empty")).close();
  CHECK(!CachedFraction(dir.File("empty")).has_value());
}

TEST_CASE("sqlite: CountRows counts a cached file and declines an uncached one") {
  testing::TempDir dir;
  const std::string path = dir.File("repo.db");
  std::vector<std::pair<NodeId, Bytes>> rows;
  for (uint64_t i = 0; i < 2000; ++i) rows.emplace_back(TestId(i), TestBytes(i, 300));
  {
    auto created = SqliteStore::Open(path, OpenMode::kCreate);
    REQUIRE(created.ok());
    PutAll(**created, "DEFAULT_", rows);
  }
  auto count_in_new_store = [&]() {
    auto store = SqliteStore::Open(path, OpenMode::kReadOnly);
    REQUIRE(store.ok());
    return (*store)->CountRows("DEFAULT_");
  };
  CHECK(count_in_new_store() == std::optional<uint64_t>(rows.size()));
  // Dropped while no connection maps the file (mapped pages stay cached).
  if (DropFromPageCache(path)) {
    auto store = SqliteStore::Open(path, OpenMode::kReadOnly);
    REQUIRE(store.ok());
    CHECK(!(*store)->CountRows("DEFAULT_").has_value());
    // The scan is unaffected, and leaves the file cached: then it counts.
    CHECK(ScanAll(**store, "DEFAULT_").rows.size() == rows.size());
    CHECK((*store)->CountRows("DEFAULT_") == std::optional<uint64_t>(rows.size()));
  } else {
    CHECK(count_in_new_store() == std::optional<uint64_t>(rows.size()));
  }
}

}  // namespace
}  // namespace checker::storage_test
