// Opening an SQLite file is done in steps, each of which can produce its own
// clear error: stat() the path first (a missing file or a directory is
// reported as such, and in read-only mode SQLite never gets the chance to
// create anything); then sqlite3_open_v2 with flags that match the mode; then
// a cheap probe of sqlite_master, because SQLite opens any file lazily and
// only notices that it is not a database at the first read; then the pragmas.
#include "storage/sqlite_connection.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace checker {
namespace {

int OpenFlags(OpenMode mode) {
  // No mutexes: a connection is used by one thread at a time, and a scan
  // would otherwise take a lock for every column it reads.
  int flags = SQLITE_OPEN_NOMUTEX;
  switch (mode) {
    case OpenMode::kReadOnly:
      return flags | SQLITE_OPEN_READONLY;
    case OpenMode::kReadWrite:
      return flags | SQLITE_OPEN_READWRITE;
    case OpenMode::kCreate:
      return flags | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  }
  return flags | SQLITE_OPEN_READONLY;
}

// Checks what is at `path` before SQLite sees it.
Status CheckPath(const std::string& path, OpenMode mode) {
  if (path.empty()) return Status::InvalidArgument("empty SQLite database path");
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    int err = errno;
    if (err == ENOENT && mode == OpenMode::kCreate) return Status::Ok();
    if (err == ENOENT) return Status::NotFound("no such file: " + path);
    return Status::IOError("cannot open " + path + ": " + std::strerror(err));
  }
  if (S_ISDIR(st.st_mode)) {
    return Status::InvalidArgument(path + " is a directory, not an SQLite database file");
  }
  return Status::Ok();
}

}  // namespace

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path,
                                                                 OpenMode mode,
                                                                 const SqliteOptions& options) {
  CHECKER_RETURN_IF_ERROR(CheckPath(path, mode));
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, OpenFlags(mode), nullptr);
  // Even a failed open returns a handle (or null) that must be closed; the
  // connection object owns it from here on.
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db, path, options));
  if (db == nullptr) return Status::IOError("cannot open " + path + ": out of memory");
  sqlite3_extended_result_codes(db, 1);
  if (rc != SQLITE_OK) return conn->Error(rc, "cannot open " + path);
  CHECKER_RETURN_IF_ERROR(conn->Configure(mode));
  return conn;
}

SqliteConnection::~SqliteConnection() { sqlite3_close_v2(db_); }

Status SqliteConnection::Configure(OpenMode mode) {
  sqlite3_busy_timeout(db_, options_.read_busy_timeout_ms);
  // The probe: the first statement reads the schema, which is where a file
  // that is not a database is noticed.
  CHECKER_RETURN_IF_ERROR(Exec("SELECT count(*) FROM sqlite_master", ""));
  if (mode == OpenMode::kReadWrite && sqlite3_db_readonly(db_, "main") == 1) {
    return Status::IOError(path_ + " is not writable (permission denied)");
  }
  // Pragmas for a fast sequential scan; to be tuned by measurement.
  // - mmap_size: read pages straight from the page cache of the OS instead of
  //   copying each into SQLite's cache. SQLite caps it at its compile-time
  //   maximum (2 GiB on Debian). A file truncated by another process while
  //   mapped could raise SIGBUS; stores are checked offline, so we accept that.
  // - cache_size: 64 MiB (negative = KiB) for the index pages of point
  //   lookups and for files larger than the mapping.
  // - query_only: read-only mode must never write, even by mistake.
  CHECKER_RETURN_IF_ERROR(Exec("PRAGMA mmap_size = 1099511627776", ""));
  CHECKER_RETURN_IF_ERROR(Exec("PRAGMA cache_size = -65536", ""));
  if (mode == OpenMode::kReadOnly) CHECKER_RETURN_IF_ERROR(Exec("PRAGMA query_only = ON", ""));
  return Status::Ok();
}

Result<SqliteStatement> SqliteConnection::Prepare(std::string_view sql, std::string_view context) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return Error(rc, context);
  return SqliteStatement(stmt);
}

Status SqliteConnection::Exec(const char* sql, std::string_view context) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Error(rc, context);
  return Status::Ok();
}

Status SqliteConnection::BeginImmediate() {
  // A second writer must be refused at once, never queued behind the first.
  sqlite3_busy_timeout(db_, 0);
  Status status = Exec("BEGIN IMMEDIATE", "cannot begin a write transaction on " + path_);
  sqlite3_busy_timeout(db_, options_.read_busy_timeout_ms);
  return status;
}

Status SqliteConnection::Error(int rc, std::string_view context) const {
  std::string where = context.empty() ? path_ : std::string(context);
  std::string sqlite_msg = sqlite3_errmsg(db_);
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Busy(path_ + " is locked by another process (" + sqlite_msg + ")");
    case SQLITE_NOTADB:
      return Status::Corruption(path_ + " is not an SQLite database");
    case SQLITE_CORRUPT:
      return Status::Corruption(where + ": " + sqlite_msg);
    case SQLITE_CANTOPEN: {
      int err = sqlite3_system_errno(db_);
      if (err != 0) sqlite_msg += std::string(" (") + std::strerror(err) + ")";
      return Status::IOError(where + ": " + sqlite_msg);
    }
    default:
      break;
  }
  if (rc == SQLITE_READONLY_ROLLBACK) {
    return Status::IOError(path_ +
                           " has a hot journal left by an interrupted write; it must be opened "
                           "read-write once (for example with the sqlite3 shell) to roll it back");
  }
  return Status::IOError(where + ": " + sqlite_msg);
}

}  // namespace checker
