// raw_scan: the floor a full check is measured against. It reads every row of
// one bundle table through the plain backend API (sqlite3_step over
// "SELECT NODE_ID, BUNDLE_DATA", or an LMDB cursor) and touches every byte of
// every blob (a byte sum, printed so the compiler cannot drop the loop).
// Nothing is decoded and nothing is kept.
//
// The SQLite connection uses the read pragmas the checker uses (mmap_size,
// cache_size; storage/sqlite_connection.cpp), so the two read the file the
// same way. Usage: raw_scan sqlite:<file>|lmdb:<dir> [TABLE]
// (TABLE defaults to DEFAULT_BUNDLE). Prints rows, bytes, checksum, seconds.
#include <lmdb.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace {

struct Totals {
  uint64_t rows = 0;
  uint64_t bytes = 0;
  uint64_t sum = 0;

  void Touch(const void* data, size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    uint64_t s = 0;
    for (size_t i = 0; i < size; ++i) s += p[i];
    ++rows;
    bytes += size;
    sum += s;
  }
};

bool ScanSqlite(const std::string& path, const std::string& table, Totals* totals) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    std::fprintf(stderr, "raw_scan: cannot open %s: %s\n", path.c_str(), sqlite3_errmsg(db));
    return false;
  }
  sqlite3_exec(db, "PRAGMA mmap_size = 1099511627776", nullptr, nullptr, nullptr);
  sqlite3_exec(db, "PRAGMA cache_size = -65536", nullptr, nullptr, nullptr);
  std::string sql = "SELECT NODE_ID, BUNDLE_DATA FROM \"" + table + "\"";
  sqlite3_stmt* stmt = nullptr;
  bool ok = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK;
  int rc = SQLITE_ERROR;
  if (ok) {
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      totals->Touch(sqlite3_column_blob(stmt, 0),
                    static_cast<size_t>(sqlite3_column_bytes(stmt, 0)));
      totals->Touch(sqlite3_column_blob(stmt, 1),
                    static_cast<size_t>(sqlite3_column_bytes(stmt, 1)));
      --totals->rows;  // two columns, one row
    }
    ok = rc == SQLITE_DONE;
  }
  if (!ok) std::fprintf(stderr, "raw_scan: scanning %s: %s\n", path.c_str(), sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return ok;
}

bool ScanLmdb(const std::string& dir, const std::string& table, Totals* totals) {
  MDB_env* env = nullptr;
  MDB_txn* txn = nullptr;
  MDB_dbi dbi = 0;
  MDB_cursor* cursor = nullptr;
  int rc = mdb_env_create(&env);
  if (rc == MDB_SUCCESS) rc = mdb_env_set_maxdbs(env, 64);
  if (rc == MDB_SUCCESS) rc = mdb_env_open(env, dir.c_str(), MDB_RDONLY | MDB_NOTLS, 0664);
  if (rc == MDB_SUCCESS) rc = mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn);
  if (rc == MDB_SUCCESS) rc = mdb_dbi_open(txn, table.c_str(), 0, &dbi);
  if (rc == MDB_SUCCESS) rc = mdb_cursor_open(txn, dbi, &cursor);
  if (rc == MDB_SUCCESS) {
    MDB_val key, value;
    for (rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST); rc == MDB_SUCCESS;
         rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)) {
      totals->Touch(key.mv_data, key.mv_size);
      totals->Touch(value.mv_data, value.mv_size);
      --totals->rows;
    }
    if (rc == MDB_NOTFOUND) rc = MDB_SUCCESS;
  }
  if (rc != MDB_SUCCESS) std::fprintf(stderr, "raw_scan: %s: %s\n", dir.c_str(), mdb_strerror(rc));
  if (cursor != nullptr) mdb_cursor_close(cursor);
  if (txn != nullptr) mdb_txn_abort(txn);
  if (env != nullptr) mdb_env_close(env);
  return rc == MDB_SUCCESS;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: raw_scan sqlite:<file>|lmdb:<dir> [TABLE]\n");
    return 16;
  }
  std::string url = argv[1];
  std::string table = argc == 3 ? argv[2] : "DEFAULT_BUNDLE";
  Totals totals;
  auto start = std::chrono::steady_clock::now();
  bool ok;
  if (url.rfind("sqlite:", 0) == 0) {
    ok = ScanSqlite(url.substr(7), table, &totals);
  } else if (url.rfind("lmdb:", 0) == 0) {
    ok = ScanLmdb(url.substr(5), table, &totals);
  } else {
    std::fprintf(stderr, "raw_scan: unknown url %s\n", url.c_str());
    return 16;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!ok) return 8;
  std::printf("rows %llu bytes %llu checksum %llu seconds %.3f\n",
              static_cast<unsigned long long>(totals.rows),
              static_cast<unsigned long long>(totals.bytes),
              static_cast<unsigned long long>(totals.sum), seconds);
  return 0;
}
