// SqliteStore beyond the shared contract: opening files of every kind, keys
// and values that break the schema, locks held by other connections, and
// read-only mode leaving the file untouched.
#include "storage/sqlite_store.h"

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/storage/store_test_util.h"
#include "tests/support/temp_dir.h"

namespace checker::storage_test {

using testing::TempDir;

namespace {

// A plain sqlite3 connection, to do what the store would refuse to do.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    REQUIRE(sqlite3_open(path.c_str(), &db_) == SQLITE_OK);
  }
  ~RawDb() { sqlite3_close(db_); }
  void Exec(const std::string& sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    std::string message = error == nullptr ? "" : error;
    sqlite3_free(error);
    REQUIRE_MESSAGE(rc == SQLITE_OK, message);
  }

 private:
  sqlite3* db_ = nullptr;
};

std::unique_ptr<SqliteStore> OpenOk(const std::string& path, OpenMode mode,
                                    const SqliteOptions& options = {}) {
  auto store = SqliteStore::Open(path, mode, options);
  REQUIRE_MESSAGE(store.ok(), store.status().message());
  return std::move(store).value();
}

// A database with DEFAULT_BUNDLE holding `count` rows of `size` bytes.
std::string MakeDb(const TempDir& dir, size_t count, size_t size) {
  std::string path = dir.File("repo.db");
  auto store = OpenOk(path, OpenMode::kCreate);
  std::vector<std::pair<NodeId, Bytes>> rows;
  for (size_t i = 0; i < count; ++i) rows.emplace_back(TestId(i), TestBytes(i, size));
  PutAll(*store, "DEFAULT_", rows);
  return path;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

std::vector<std::string> ListDir(const std::string& path) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(path)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

Status ScanStatus(BundleStore& store, std::string_view prefix) {
  return store.Scan(prefix, [](auto) { return Status::Ok(); });
}

TEST_CASE("sqlite: batches hold at most 1024 rows and about 1 MiB") {
  TempDir dir;
  SUBCASE("small rows: 1024 a batch") {
    auto store = OpenOk(MakeDb(dir, 2500, 16), OpenMode::kReadOnly);
    CHECK(ScanAll(*store, "DEFAULT_").batch_sizes == std::vector<size_t>{1024, 1024, 452});
  }
  SUBCASE("10 KiB rows: 102 fit in 1 MiB") {
    auto store = OpenOk(MakeDb(dir, 250, 10240), OpenMode::kReadOnly);
    CHECK(ScanAll(*store, "DEFAULT_").batch_sizes == std::vector<size_t>{102, 102, 46});
  }
  SUBCASE("a row larger than the arena travels alone") {
    std::string path = MakeDb(dir, 2, 100);
    PutAll(*OpenOk(path, OpenMode::kReadWrite), "DEFAULT_", {{TestId(9), TestBytes(9, 3 << 20)}});
    auto store = OpenOk(path, OpenMode::kReadOnly);
    ScanResult scan = ScanAll(*store, "DEFAULT_");
    CHECK(scan.batch_sizes == std::vector<size_t>{2, 1});
    CHECK(scan.rows[TestId(9)] == TestBytes(9, 3 << 20));
  }
}

TEST_CASE("sqlite: open reports missing files, directories and non-databases clearly") {
  TempDir dir;
  std::string missing = dir.File("missing.db");
  for (OpenMode mode : {OpenMode::kReadOnly, OpenMode::kReadWrite}) {
    auto store = SqliteStore::Open(missing, mode);
    CHECK(store.status().IsNotFound());
    CHECK(store.status().message() == "no such file: " + missing);
  }
  CHECK(ListDir(dir.path()).empty());  // nothing was created

  auto as_dir = SqliteStore::Open(dir.path(), OpenMode::kReadOnly);
  CHECK(as_dir.status().IsInvalidArgument());
  CHECK(as_dir.status().message() == dir.path() + " is a directory, not an SQLite database file");

  std::string text = dir.File("notes.txt");
  WriteFile(text, std::string(4096, 'x'));
  for (OpenMode mode : {OpenMode::kReadOnly, OpenMode::kReadWrite, OpenMode::kCreate}) {
    auto store = SqliteStore::Open(text, mode);
    CHECK(store.status().code() == Status::Code::kCorruption);
    CHECK(store.status().message() == text + " is not an SQLite database");
  }

  CHECK(SqliteStore::Open("", OpenMode::kReadOnly).status().IsInvalidArgument());
  auto no_dir = SqliteStore::Open(dir.File("no/such/dir.db"), OpenMode::kCreate);
  CHECK(no_dir.status().code() == Status::Code::kIOError);
  CHECK(no_dir.status().message().find(dir.File("no/such/dir.db")) != std::string::npos);
}

TEST_CASE("sqlite: create makes a file with Jackrabbit's table shape") {
  TempDir dir;
  std::string path = dir.File("new.db");
  auto store = OpenOk(path, OpenMode::kCreate);
  PutAll(*store, "DEFAULT_", {});
  CHECK(store->Describe() == "sqlite:" + path);
  CHECK(store->CountRows("DEFAULT_") == std::optional<uint64_t>(0));
  store.reset();
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE type = 'table'", -1, &stmt,
                             nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))) ==
        "CREATE TABLE \"DEFAULT_BUNDLE\" (NODE_ID BLOB PRIMARY KEY, BUNDLE_DATA BLOB NOT NULL)");
  CHECK(sqlite3_step(stmt) == SQLITE_DONE);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_CASE("sqlite: a key that is not a 16-byte blob is Corruption naming table and key") {
  TempDir dir;
  std::string path = MakeDb(dir, 3, 10);
  std::string expected;
  SUBCASE("15 bytes") {
    RawDb(path).Exec(
        "INSERT INTO DEFAULT_BUNDLE VALUES (x'000102030405060708090a0b0c0d0e', x'01')");
    expected = "row key 000102030405060708090a0b0c0d0e is a 15-byte NODE_ID, not a 16-byte node id";
  }
  SUBCASE("text") {
    RawDb(path).Exec("INSERT INTO DEFAULT_BUNDLE VALUES ('ab', x'01')");
    expected = "row key 6162 is a non-blob NODE_ID, not a 16-byte node id";
  }
  SUBCASE("null") {
    RawDb(path).Exec("INSERT INTO DEFAULT_BUNDLE VALUES (NULL, x'01')");
    expected = "a row has a NULL NODE_ID";
  }
  auto store = OpenOk(path, OpenMode::kReadOnly);
  Status status = ScanStatus(*store, "DEFAULT_");
  CHECK(status.code() == Status::Code::kCorruption);
  CHECK(status.message() == "table DEFAULT_BUNDLE in " + path + ": " + expected);
}

TEST_CASE("sqlite: a NULL bundle is delivered as 0 bytes") {
  TempDir dir;
  std::string path = dir.File("loose.db");
  RawDb raw(path);
  raw.Exec("CREATE TABLE DEFAULT_BUNDLE (NODE_ID BLOB PRIMARY KEY, BUNDLE_DATA BLOB)");
  raw.Exec("INSERT INTO DEFAULT_BUNDLE VALUES (x'00000000000000000000000000000001', NULL)");
  auto store = OpenOk(path, OpenMode::kReadOnly);
  ScanResult scan = ScanAll(*store, "DEFAULT_");
  REQUIRE(scan.rows.size() == 1);
  CHECK(scan.rows.begin()->second.empty());
  auto got = store->Get("DEFAULT_", NodeId{0, 1});
  REQUIRE(got.ok());
  CHECK(*got == std::optional<Bytes>(Bytes()));
}

TEST_CASE("sqlite: a table without Jackrabbit's columns is Corruption") {
  TempDir dir;
  std::string path = dir.File("odd.db");
  RawDb(path).Exec("CREATE TABLE DEFAULT_BUNDLE (ID BLOB PRIMARY KEY, DATA BLOB)");
  auto store = OpenOk(path, OpenMode::kReadOnly);
  Status status = ScanStatus(*store, "DEFAULT_");
  CHECK(status.code() == Status::Code::kCorruption);
  CHECK(status.message() == "table DEFAULT_BUNDLE in " + path +
                                " does not have Jackrabbit's bundle layout (no such column: "
                                "NODE_ID)");
}

TEST_CASE("sqlite: table names match without regard to case, as in SQL") {
  TempDir dir;
  std::string path = dir.File("lower.db");
  RawDb(path).Exec(
      "CREATE TABLE default_bundle (NODE_ID BLOB PRIMARY KEY, BUNDLE_DATA BLOB NOT NULL)");
  auto store = OpenOk(path, OpenMode::kReadOnly);
  CHECK(*store->ListBundleTables() == std::vector<std::string>{"default_"});
  CHECK(ScanStatus(*store, "DEFAULT_").ok());
  CHECK(ScanStatus(*store, "default_").ok());
}

TEST_CASE("sqlite: another connection's write transaction makes BeginWrite Busy at once") {
  TempDir dir;
  std::string path = MakeDb(dir, 3, 10);
  RawDb other(path);
  other.Exec("BEGIN IMMEDIATE");
  auto store = OpenOk(path, OpenMode::kReadWrite);
  auto start = std::chrono::steady_clock::now();
  auto txn = store->BeginWrite();
  auto waited = std::chrono::steady_clock::now() - start;
  CHECK(txn.status().IsBusy());
  CHECK(txn.status().message() == path + " is locked by another process (database is locked)");
  CHECK(waited < std::chrono::milliseconds(500));
  CHECK(ScanStatus(*store, "DEFAULT_").ok());  // readers still read
  other.Exec("ROLLBACK");
  CHECK(store->BeginWrite().ok());
}

TEST_CASE("sqlite: readers give up with Busy after the busy timeout") {
  TempDir dir;
  std::string path = MakeDb(dir, 3, 10);
  SqliteOptions options{.read_busy_timeout_ms = 50};
  auto store = OpenOk(path, OpenMode::kReadOnly, options);
  RawDb other(path);
  other.Exec("BEGIN EXCLUSIVE");
  auto opened = SqliteStore::Open(path, OpenMode::kReadOnly, options);
  CHECK(opened.status().IsBusy());
  CHECK(opened.status().message() == path + " is locked by another process (database is locked)");
  Status status = ScanStatus(*store, "DEFAULT_");
  CHECK(status.IsBusy());
  CHECK(store->Get("DEFAULT_", TestId(1)).status().IsBusy());
  other.Exec("ROLLBACK");
  CHECK(ScanStatus(*store, "DEFAULT_").ok());
}

TEST_CASE("sqlite: a commit blocked by a reader is Busy and can be rolled back") {
  TempDir dir;
  std::string path = MakeDb(dir, 3, 10);
  auto store = OpenOk(path, OpenMode::kReadWrite, SqliteOptions{.read_busy_timeout_ms = 50});
  auto txn = store->BeginWrite();
  REQUIRE(txn.ok());
  REQUIRE((*txn)->Put("DEFAULT_", TestId(0), Bytes{42}).ok());
  {
    RawDb reader(path);
    reader.Exec("BEGIN; SELECT count(*) FROM DEFAULT_BUNDLE;");
    CHECK((*txn)->Commit().IsBusy());
  }
  CHECK((*txn)->Rollback().ok());
  CHECK(*store->Get("DEFAULT_", TestId(0)) == std::optional<Bytes>(TestBytes(0, 10)));
}

TEST_CASE("sqlite: a read snapshot holds its lock until it ends, and not after") {
  TempDir dir;
  std::string path = MakeDb(dir, 10, 20);
  auto store = OpenOk(path, OpenMode::kReadOnly);
  auto other = OpenOk(path, OpenMode::kReadWrite, {.read_busy_timeout_ms = 50});
  auto commit_elsewhere = [&] {
    auto txn = other->BeginWrite();
    REQUIRE_MESSAGE(txn.ok(), txn.status().message());
    REQUIRE((*txn)->Put("DEFAULT_", TestId(100), Bytes{1}).ok());
    return (*txn)->Commit();
  };
  {
    auto snapshot = store->BeginReadSnapshot();
    REQUIRE_MESSAGE(snapshot.ok(), snapshot.status().message());
    REQUIRE(store->Get("DEFAULT_", TestId(1))->has_value());
    SUBCASE("ended") {
      CHECK(commit_elsewhere().IsBusy());  // the SHARED lock of the snapshot
      REQUIRE((*snapshot)->End().ok());
    }
    SUBCASE("destroyed") {}
  }
  CHECK(commit_elsewhere().ok());
  CHECK(*store->Get("DEFAULT_", TestId(100)) == std::optional<Bytes>(Bytes{1}));
}

TEST_CASE("sqlite: in WAL mode a commit made during a read snapshot succeeds and is not seen") {
  TempDir dir;
  std::string path = MakeDb(dir, 10, 20);
  RawDb(path).Exec("PRAGMA journal_mode = WAL");
  auto store = OpenOk(path, OpenMode::kReadWrite);
  auto snapshot = store->BeginReadSnapshot();
  REQUIRE_MESSAGE(snapshot.ok(), snapshot.status().message());
  REQUIRE(*store->Get("DEFAULT_", TestId(0)) == std::optional<Bytes>(TestBytes(0, 20)));
  auto other = OpenOk(path, OpenMode::kReadWrite, {.read_busy_timeout_ms = 50});
  PutAll(*other, "DEFAULT_", {{TestId(0), Bytes{1}}, {TestId(100), Bytes{2}}});
  CHECK(*store->Get("DEFAULT_", TestId(0)) == std::optional<Bytes>(TestBytes(0, 20)));
  CHECK(!store->Get("DEFAULT_", TestId(100))->has_value());
  REQUIRE((*snapshot)->End().ok());
  CHECK(*store->Get("DEFAULT_", TestId(0)) == std::optional<Bytes>(Bytes{1}));
  CHECK(*store->Get("DEFAULT_", TestId(100)) == std::optional<Bytes>(Bytes{2}));
}

TEST_CASE("sqlite: read-only mode leaves the file and its folder untouched") {
  TempDir dir;
  std::string path = MakeDb(dir, 500, 100);
  struct stat before_stat;
  REQUIRE(stat(path.c_str(), &before_stat) == 0);
  std::string before = ReadFile(path);
  std::vector<std::string> before_names = ListDir(dir.path());
  {
    auto store = OpenOk(path, OpenMode::kReadOnly);
    CHECK(ScanAll(*store, "DEFAULT_").rows.size() == 500);
    CHECK(store->Get("DEFAULT_", TestId(1))->has_value());
    CHECK(store->ListBundleTables().ok());
    CHECK(store->BeginWrite().status().IsInvalidArgument());
  }
  struct stat after_stat;
  REQUIRE(stat(path.c_str(), &after_stat) == 0);
  CHECK(after_stat.st_mtim.tv_sec == before_stat.st_mtim.tv_sec);
  CHECK(after_stat.st_mtim.tv_nsec == before_stat.st_mtim.tv_nsec);
  CHECK(ReadFile(path) == before);
  CHECK(ListDir(dir.path()) == before_names);
}

TEST_CASE("sqlite: read-only open works on a read-only file in a read-only folder") {
  TempDir dir;
  std::string path = MakeDb(dir, 5, 10);
  REQUIRE(chmod(path.c_str(), 0444) == 0);
  REQUIRE(chmod(dir.path().c_str(), 0555) == 0);
  auto store = OpenOk(path, OpenMode::kReadOnly);
  CHECK(ScanAll(*store, "DEFAULT_").rows.size() == 5);
  CHECK(store->Get("DEFAULT_", TestId(2))->has_value());
}

TEST_CASE("sqlite: reads Jackrabbit's test vectors") {
  std::string path = std::string(CHECKER_SOURCE_DIR) + "/tests/jackrabbit-vectors/vectors.sqlite";
  auto store = OpenOk(path, OpenMode::kReadOnly);
  auto tables = store->ListBundleTables();
  REQUIRE(tables.ok());
  REQUIRE(!tables->empty());
  for (const std::string& prefix : *tables) {
    CAPTURE(prefix);
    ScanResult scan = ScanAll(*store, prefix);
    CHECK(scan.duplicates == 0);
    for (const auto& [id, bytes] : scan.rows) {
      auto got = store->Get(prefix, id);
      REQUIRE(got.ok());
      CHECK(*got == std::optional<Bytes>(bytes));
    }
  }
}

}  // namespace
}  // namespace checker::storage_test
