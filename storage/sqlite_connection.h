// SqliteConnection: one open SQLite file, its statements, and the mapping of
// SQLite result codes to Status messages that name the file.
//
// A connection is used from one thread at a time (it is opened without
// SQLite's own mutexes, which would cost a lock per column read in a scan).
#ifndef CHECKER_STORAGE_SQLITE_CONNECTION_H_
#define CHECKER_STORAGE_SQLITE_CONNECTION_H_

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "model/status.h"
#include "storage/bundle_store.h"

namespace checker {

// Owns a prepared statement; finalizes it on destruction.
class SqliteStatement {
 public:
  SqliteStatement() = default;
  explicit SqliteStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  SqliteStatement(SqliteStatement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement() { sqlite3_finalize(stmt_); }

  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement (and drops its bindings) when it goes out of scope, so
// that a cached statement never keeps a read transaction open.
class StatementResetter {
 public:
  explicit StatementResetter(sqlite3_stmt* stmt) : stmt_(stmt) {}
  StatementResetter(const StatementResetter&) = delete;
  StatementResetter& operator=(const StatementResetter&) = delete;
  ~StatementResetter() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_;
};

struct SqliteOptions {
  // How long a reader waits for another process's write to finish before
  // giving up with Busy. Writers never wait to begin (see BeginImmediate).
  int read_busy_timeout_ms = 2000;
};

class SqliteConnection {
 public:
  // Opens `path`:
  // - kReadOnly: SQLITE_OPEN_READONLY plus query_only; nothing is written,
  //   not even a journal. Works on read-only files and directories.
  // - kReadWrite: the file must exist and be writable.
  // - kCreate: the file is created if missing.
  // NotFound "no such file: <path>" for a missing file (except kCreate),
  // InvalidArgument for a directory or an empty path, Corruption "<path> is
  // not an SQLite database" for any other file, IOError otherwise.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, OpenMode mode,
                                                        const SqliteOptions& options);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  sqlite3* db() const { return db_; }
  const std::string& path() const { return path_; }

  // Prepares one statement; errors carry `context` (see Error).
  Result<SqliteStatement> Prepare(std::string_view sql, std::string_view context);
  // Runs statements that return no rows.
  Status Exec(const char* sql, std::string_view context);
  // BEGIN IMMEDIATE without waiting: Busy at once if another connection holds
  // the write lock.
  Status BeginImmediate();

  // The Status for result code `rc` (which must not be OK/ROW/DONE), using
  // the connection's current error message:
  // - busy/locked: Busy "<path> is locked by another process (<sqlite msg>)";
  // - not a database: Corruption "<path> is not an SQLite database";
  // - corrupt: Corruption "<context>: <sqlite msg>";
  // - anything else: IOError "<context>: <sqlite msg>".
  // `context` names what was being done and where (empty: the path).
  Status Error(int rc, std::string_view context) const;

 private:
  SqliteConnection(sqlite3* db, std::string path, const SqliteOptions& options)
      : db_(db), path_(std::move(path)), options_(options) {}
  Status Configure(OpenMode mode);

  sqlite3* db_;
  std::string path_;
  SqliteOptions options_;
};

}  // namespace checker

#endif  // CHECKER_STORAGE_SQLITE_CONNECTION_H_
