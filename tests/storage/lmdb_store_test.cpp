// LmdbStore beyond the shared contract: opening directories of every kind,
// environments made by someone else, keys that break the layout, read-only
// mode leaving the files alone, the map size, and the handles of tables
// created and rolled back.
#include "storage/lmdb_store.h"

#include <doctest/doctest.h>
#include <lmdb.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/storage/child_process.h"
#include "tests/storage/store_test_util.h"
#include "tests/support/temp_dir.h"

namespace checker::storage_test {

using testing::TempDir;

namespace {

// A plain LMDB environment, to make what the store would refuse to make.
class RawEnv {
 public:
  explicit RawEnv(const std::string& dir) {
    std::filesystem::create_directories(dir);
    REQUIRE(mdb_env_create(&env_) == MDB_SUCCESS);
    REQUIRE(mdb_env_set_maxdbs(env_, 8) == MDB_SUCCESS);
    REQUIRE(mdb_env_open(env_, dir.c_str(), 0, 0664) == MDB_SUCCESS);
    REQUIRE(mdb_txn_begin(env_, nullptr, 0, &txn_) == MDB_SUCCESS);
  }
  ~RawEnv() {
    CHECK(mdb_txn_commit(txn_) == MDB_SUCCESS);
    mdb_env_close(env_);
  }
  // Opens (creating) a named database, or the main one for an empty name.
  MDB_dbi Db(const std::string& name, unsigned flags = 0) {
    MDB_dbi dbi;
    REQUIRE(mdb_dbi_open(txn_, name.empty() ? nullptr : name.c_str(), flags | MDB_CREATE, &dbi) ==
            MDB_SUCCESS);
    return dbi;
  }
  void Put(MDB_dbi dbi, const std::string& key, const std::string& value) {
    MDB_val k{key.size(), const_cast<char*>(key.data())};
    MDB_val v{value.size(), const_cast<char*>(value.data())};
    REQUIRE(mdb_put(txn_, dbi, &k, &v, 0) == MDB_SUCCESS);
  }

 private:
  MDB_env* env_ = nullptr;
  MDB_txn* txn_ = nullptr;
};

std::unique_ptr<LmdbStore> OpenOk(const std::string& dir, OpenMode mode,
                                  const LmdbOptions& options = {}) {
  auto store = LmdbStore::Open(dir, mode, options);
  REQUIRE_MESSAGE(store.ok(), store.status().message());
  return std::move(store).value();
}

// An environment with DEFAULT_BUNDLE holding `count` rows of `size` bytes.
std::string MakeEnv(const TempDir& dir, size_t count, size_t size) {
  std::string path = dir.File("repo.lmdb");
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

TEST_CASE("lmdb: open reports missing directories and non-environments, creating nothing") {
  TempDir dir;
  std::string missing = dir.File("missing");
  for (OpenMode mode : {OpenMode::kReadOnly, OpenMode::kReadWrite}) {
    auto store = LmdbStore::Open(missing, mode);
    CHECK(store.status().IsNotFound());
    CHECK(store.status().message() == "no such directory: " + missing);
  }
  CHECK(ListDir(dir.path()).empty());

  std::string empty = dir.File("empty");
  std::filesystem::create_directory(empty);
  for (OpenMode mode : {OpenMode::kReadOnly, OpenMode::kReadWrite}) {
    auto store = LmdbStore::Open(empty, mode);
    CHECK(store.status().IsNotFound());
    CHECK(store.status().message() == empty + " is not an LMDB environment (it has no data.mdb)");
  }
  CHECK(ListDir(empty).empty());

  std::string file = dir.File("notes.txt");
  WriteFile(file, "x");
  auto as_file = LmdbStore::Open(file, OpenMode::kCreate);
  CHECK(as_file.status().IsInvalidArgument());
  CHECK(as_file.status().message() ==
        file + " is not a directory (lmdb:<dir> names the directory of an LMDB environment)");

  CHECK(LmdbStore::Open("", OpenMode::kReadOnly).status().IsInvalidArgument());
}

TEST_CASE("lmdb: a data.mdb that is not LMDB's is Corruption and stays untouched") {
  TempDir dir;
  std::string env = dir.File("stranger");
  std::filesystem::create_directory(env);
  std::string content;
  SUBCASE("random bytes") { content = std::string(8192, 'x'); }
  SUBCASE("empty (LMDB would initialize it)") { content = ""; }
  SUBCASE("cut short") { content = std::string(10, '\0'); }
  WriteFile(env + "/data.mdb", content);
  for (OpenMode mode : {OpenMode::kReadOnly, OpenMode::kReadWrite, OpenMode::kCreate}) {
    auto store = LmdbStore::Open(env, mode);
    CHECK(store.status().code() == Status::Code::kCorruption);
    CHECK(store.status().message() == env + "/data.mdb is not an LMDB data file");
  }
  CHECK(ListDir(env) == std::vector<std::string>{"data.mdb"});
  CHECK(ReadFile(env + "/data.mdb") == content);
}

TEST_CASE("lmdb: create makes the directory, its parents and the environment") {
  TempDir dir;
  std::string path = dir.File("a/b/repo.lmdb");
  auto store = OpenOk(path, OpenMode::kCreate);
  CHECK(store->Describe() == "lmdb:" + path);
  CHECK(store->ListBundleTables()->empty());
  CHECK(ListDir(path) == std::vector<std::string>{"data.mdb", "lock.mdb"});
}

TEST_CASE("lmdb: an environment can be open only once per process") {
  TempDir dir;
  std::string path = MakeEnv(dir, 1, 1);
  auto first = OpenOk(path, OpenMode::kReadOnly);
  auto second = LmdbStore::Open(path + "/.", OpenMode::kReadWrite);
  CHECK(second.status().IsInvalidArgument());
  CHECK(second.status().message() ==
        path +
            "/. is already open in this process (LMDB allows an environment to be open only "
            "once per process)");
  first.reset();
  CHECK(LmdbStore::Open(path, OpenMode::kReadWrite).ok());
}

TEST_CASE("lmdb: the map fits all the disk could hold, in whole TiB") {
  TempDir dir;
  auto env = LmdbEnvironment::Open(dir.path(), OpenMode::kCreate, {});
  REQUIRE_MESSAGE(env.ok(), env.status().message());
  MDB_envinfo info;
  REQUIRE(mdb_env_info((*env)->env(), &info) == MDB_SUCCESS);
  const size_t tib = size_t{1} << 40;
  CHECK(info.me_mapsize >= tib);
  CHECK(info.me_mapsize % tib == 0);
  struct statvfs fs;
  REQUIRE(statvfs(dir.path().c_str(), &fs) == 0);
  CHECK(info.me_mapsize >= fs.f_bavail * fs.f_frsize);
}

TEST_CASE("lmdb: read-only mode never writes data.mdb and adds no file") {
  TempDir dir;
  std::string path = MakeEnv(dir, 500, 100);
  std::string data = path + "/data.mdb";
  struct stat before_stat;
  REQUIRE(stat(data.c_str(), &before_stat) == 0);
  std::string before = ReadFile(data);
  std::vector<std::string> before_names = ListDir(path);
  {
    auto store = OpenOk(path, OpenMode::kReadOnly);
    CHECK(ScanAll(*store, "DEFAULT_").rows.size() == 500);
    CHECK(store->Get("DEFAULT_", TestId(1))->has_value());
    CHECK(store->CountRows("DEFAULT_") == std::optional<uint64_t>(500));
    CHECK(store->ListBundleTables().ok());
    auto txn = store->BeginWrite();
    CHECK(txn.status().IsInvalidArgument());
    CHECK(txn.status().message() == path + " was opened read-only; writing needs read-write mode");
  }
  struct stat after_stat;
  REQUIRE(stat(data.c_str(), &after_stat) == 0);
  CHECK(after_stat.st_mtim.tv_sec == before_stat.st_mtim.tv_sec);
  CHECK(after_stat.st_mtim.tv_nsec == before_stat.st_mtim.tv_nsec);
  CHECK(ReadFile(data) == before);
  CHECK(ListDir(path) == before_names);  // no checker.lock
}

TEST_CASE("lmdb: tables are named databases, and a scan walks key order in batches of 1024") {
  TempDir dir;
  std::string path = MakeEnv(dir, 2500, 16);
  auto store = OpenOk(path, OpenMode::kReadOnly);
  ScanResult scan = ScanAll(*store, "DEFAULT_");
  CHECK(scan.batch_sizes == std::vector<size_t>{1024, 1024, 452});
  CHECK(std::is_sorted(scan.order.begin(), scan.order.end()));
  CHECK(store->CountRows("DEFAULT_") == std::optional<uint64_t>(2500));
  CHECK(!store->CountRows("NOPE_").has_value());
  store.reset();
  MDB_env* env = nullptr;
  REQUIRE(mdb_env_create(&env) == MDB_SUCCESS);
  REQUIRE(mdb_env_set_maxdbs(env, 4) == MDB_SUCCESS);
  REQUIRE(mdb_env_open(env, path.c_str(), MDB_RDONLY, 0) == MDB_SUCCESS);
  MDB_txn* txn = nullptr;
  REQUIRE(mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn) == MDB_SUCCESS);
  MDB_dbi dbi;
  CHECK(mdb_dbi_open(txn, "DEFAULT_BUNDLE", 0, &dbi) == MDB_SUCCESS);
  MDB_stat stat;
  CHECK(mdb_stat(txn, dbi, &stat) == MDB_SUCCESS);
  CHECK(stat.ms_entries == 2500);
  mdb_txn_abort(txn);
  mdb_env_close(env);
}

TEST_CASE("lmdb: a key that is not 16 bytes is Corruption naming table and key") {
  TempDir dir;
  std::string path = MakeEnv(dir, 3, 10);
  {
    RawEnv raw(path);
    raw.Put(raw.Db("DEFAULT_BUNDLE"), std::string("\x00\x01\x02", 3), "b");
  }
  auto store = OpenOk(path, OpenMode::kReadOnly);
  Status status = ScanStatus(*store, "DEFAULT_");
  CHECK(status.code() == Status::Code::kCorruption);
  CHECK(status.message() == "table DEFAULT_BUNDLE in " + path +
                                ": row key 000102 is a 3-byte key, not a 16-byte node id");
}

TEST_CASE("lmdb: databases made by someone else are refused clearly") {
  TempDir dir;
  std::string path = dir.File("foreign");
  {
    RawEnv raw(path);
    raw.Put(raw.Db("DEFAULT_BUNDLE", MDB_DUPSORT), std::string(16, 'k'), "v");
    raw.Put(raw.Db(""), "VERSION_BUNDLE", "a plain value, not a database");
    raw.Put(raw.Db("settings"), "k", "v");
  }
  auto store = OpenOk(path, OpenMode::kReadOnly);
  CHECK(*store->ListBundleTables() == std::vector<std::string>{"DEFAULT_", "VERSION_"});
  Status dupsort = ScanStatus(*store, "DEFAULT_");
  CHECK(dupsort.code() == Status::Code::kCorruption);
  CHECK(dupsort.message() == "table DEFAULT_BUNDLE in " + path +
                                 " is not a bundle table: it has LMDB database flags 4 (checker "
                                 "creates tables without flags)");
  Status plain = ScanStatus(*store, "VERSION_");
  CHECK(plain.code() == Status::Code::kCorruption);
  CHECK(plain.message() == "table VERSION_BUNDLE in " + path +
                               " is not a table: the environment's main database holds a plain "
                               "entry of that name");
  Status missing = ScanStatus(*store, "ARCHIVE_");
  CHECK(missing.IsNotFound());
  CHECK(missing.message() == "table ARCHIVE_BUNDLE not found in " + path +
                                 " (bundle tables: DEFAULT_BUNDLE, VERSION_BUNDLE)");
}

TEST_CASE("lmdb: a full map fails the put, and the transaction can only be rolled back") {
  TempDir dir;
  std::string path = dir.File("small");
  auto store = OpenOk(path, OpenMode::kCreate, {.map_size = 1 << 20});
  PutAll(*store, "DEFAULT_", {{TestId(1), Bytes{1}}});
  auto txn = store->BeginWrite();
  REQUIRE(txn.ok());
  Status status;
  for (uint64_t n = 10; n < 100 && status.ok(); ++n) {
    status = (*txn)->Put("DEFAULT_", TestId(n), TestBytes(n, 64 << 10));
  }
  CHECK(status.code() == Status::Code::kIOError);
  CHECK(status.message().find("the LMDB map of " + path + " is full (1048576 bytes)") !=
        std::string::npos);
  std::string failed =
      "the write transaction on " + path + " has failed and can only be rolled back";
  CHECK((*txn)->Put("DEFAULT_", TestId(2), Bytes{2}).message() == failed);
  CHECK((*txn)->Commit().message() == failed);
  CHECK((*txn)->Rollback().ok());
  CHECK(ScanAll(*store, "DEFAULT_").rows.size() == 1);
}

TEST_CASE("lmdb: a table rolled back can be created again, and reads see only commits") {
  TempDir dir;
  std::string path = MakeEnv(dir, 2, 4);
  auto store = OpenOk(path, OpenMode::kReadWrite);
  {
    auto txn = store->BeginWrite();
    REQUIRE(txn.ok());
    REQUIRE((*txn)->CreateTable("NEW_").ok());
    REQUIRE((*txn)->Put("NEW_", TestId(1), Bytes{1}).ok());
  }
  CHECK(store->Get("NEW_", TestId(1)).status().IsNotFound());
  auto txn = store->BeginWrite();
  REQUIRE(txn.ok());
  REQUIRE((*txn)->CreateTable("NEW_").ok());
  REQUIRE((*txn)->Put("NEW_", TestId(2), Bytes{2}).ok());
  REQUIRE((*txn)->Put("DEFAULT_", TestId(0), Bytes{9}).ok());
  CHECK(*(*txn)->Get("DEFAULT_", TestId(0)) == std::optional<Bytes>(Bytes{9}));
  // The store's own reads see the last commit, not this transaction.
  CHECK(*store->Get("DEFAULT_", TestId(0)) == std::optional<Bytes>(TestBytes(0, 4)));
  CHECK(store->Get("NEW_", TestId(2)).status().IsNotFound());
  REQUIRE((*txn)->Commit().ok());
  CHECK(*store->Get("NEW_", TestId(2)) == std::optional<Bytes>(Bytes{2}));
  CHECK(*store->Get("DEFAULT_", TestId(0)) == std::optional<Bytes>(Bytes{9}));
  CHECK(*store->ListBundleTables() == std::vector<std::string>{"DEFAULT_", "NEW_"});
}

TEST_CASE("lmdb: a table another process creates after open is read like any other") {
  TempDir dir;
  std::string path = MakeEnv(dir, 2, 4);
  auto store = OpenOk(path, OpenMode::kReadWrite);
  CHECK(ScanAll(*store, "DEFAULT_").rows.size() == 2);
  ChildProcess child([&](ChildProcess&) {
    auto other = LmdbStore::Open(path, OpenMode::kReadWrite);
    if (!other.ok()) return 1;
    auto txn = (*other)->BeginWrite();
    if (!txn.ok() || !(*txn)->CreateTable("VERSION_").ok()) return 1;
    if (!(*txn)->Put("VERSION_", TestId(7), Bytes{7}).ok()) return 1;
    return (*txn)->Commit().ok() ? 0 : 1;
  });
  REQUIRE(child.Finish() == 0);
  SUBCASE("outside a write transaction") {
    CHECK(*store->ListBundleTables() == std::vector<std::string>{"DEFAULT_", "VERSION_"});
    CHECK(*store->Get("VERSION_", TestId(7)) == std::optional<Bytes>(Bytes{7}));
  }
  SUBCASE("while this store writes") {
    // BeginWrite opened a handle for every table, so reads need none.
    auto txn = store->BeginWrite();
    REQUIRE(txn.ok());
    CHECK(*store->Get("VERSION_", TestId(7)) == std::optional<Bytes>(Bytes{7}));
    CHECK(store->Get("NOPE_", TestId(7)).status().IsNotFound());
    CHECK(*(*txn)->Get("VERSION_", TestId(7)) == std::optional<Bytes>(Bytes{7}));
  }
}

}  // namespace
}  // namespace checker::storage_test
