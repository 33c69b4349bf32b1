// OpenStore: urls to backends, and the messages for urls it cannot open.
#include <doctest/doctest.h>

#include "storage/bundle_store.h"
#include "tests/support/temp_dir.h"

namespace checker::storage_test {

using testing::TempDir;

namespace {

TEST_CASE("open store: sqlite and memory urls open their backends") {
  TempDir dir;
  std::string path = dir.File("repo.db");
  auto created = OpenStore("sqlite:" + path, OpenMode::kCreate);
  REQUIRE_MESSAGE(created.ok(), created.status().message());
  CHECK((*created)->Describe() == "sqlite:" + path);
  created->reset();
  auto reopened = OpenStore("sqlite:" + path, OpenMode::kReadOnly);
  REQUIRE(reopened.ok());
  CHECK((*reopened)->ListBundleTables()->empty());

  auto memory = OpenStore("memory:", OpenMode::kReadWrite);
  REQUIRE(memory.ok());
  CHECK((*memory)->Describe() == "memory:");
}

TEST_CASE("open store: a missing sqlite file is NotFound") {
  TempDir dir;
  auto store = OpenStore("sqlite:" + dir.File("nope.db"), OpenMode::kReadOnly);
  CHECK(store.status().IsNotFound());
  CHECK(store.status().message() == "no such file: " + dir.File("nope.db"));
}

TEST_CASE("open store: lmdb urls open an LMDB environment directory") {
  TempDir dir;
  std::string path = dir.File("repo.lmdb");
  auto missing = OpenStore("lmdb:" + path, OpenMode::kReadOnly);
  CHECK(missing.status().IsNotFound());
  CHECK(missing.status().message() == "no such directory: " + path);
  auto created = OpenStore("lmdb:" + path, OpenMode::kCreate);
  REQUIRE_MESSAGE(created.ok(), created.status().message());
  CHECK((*created)->Describe() == "lmdb:" + path);
  created->reset();
  auto reopened = OpenStore("lmdb:" + path, OpenMode::kReadOnly);
  REQUIRE_MESSAGE(reopened.ok(), reopened.status().message());
  CHECK((*reopened)->ListBundleTables()->empty());
}

TEST_CASE("open store: unknown schemes and empty paths are InvalidArgument") {
  for (std::string_view url : {"postgresql://db/repo", "repo.db", "", "memory:x", "SQLITE:a.db"}) {
    CAPTURE(url);
    auto store = OpenStore(url, OpenMode::kReadOnly);
    CHECK(store.status().IsInvalidArgument());
    CHECK(store.status().message() ==
          "unknown storage url '" + std::string(url) + "': expected sqlite:<file> or lmdb:<dir>");
  }
  for (std::string_view url : {"sqlite:", "lmdb:"}) {
    CAPTURE(url);
    auto store = OpenStore(url, OpenMode::kReadOnly);
    CHECK(store.status().IsInvalidArgument());
    CHECK(store.status().message() == "storage url '" + std::string(url) + "' names no path");
  }
}

}  // namespace
}  // namespace checker::storage_test
