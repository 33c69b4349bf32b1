// Table reads through the sqlite3 C API: open read-only, one SELECT, copy the
// blobs out row by row.
#include "tests/support/bundle_rows.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <functional>

namespace checker::testing {
namespace {

Bytes BlobColumn(sqlite3_stmt* statement, int column) {
  const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(statement, column));
  int size = sqlite3_column_bytes(statement, column);
  return data == nullptr ? Bytes() : Bytes(data, data + size);
}

// Runs `sql` on the file and calls `row` for each result row.
void ForEachRow(const std::filesystem::path& sqlite_file, const std::string& sql,
                const std::function<void(sqlite3_stmt*)>& row) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(sqlite_file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* statement = nullptr;
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr);
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    rc = sqlite3_step(statement);
    if (rc == SQLITE_ROW) row(statement);
  }
  std::string message = db ? sqlite3_errmsg(db) : "out of memory";
  sqlite3_finalize(statement);
  sqlite3_close(db);
  if (rc != SQLITE_DONE) FAIL(sqlite_file.string() << ": " << sql << ": " << message);
}

}  // namespace

std::filesystem::path JackrabbitVectorsPath(std::string_view file) {
  return std::filesystem::path(CHECKER_SOURCE_DIR) / "tests" / "jackrabbit-vectors" / file;
}

std::vector<BundleRow> ReadBundleRows(const std::filesystem::path& sqlite_file,
                                      std::string_view table) {
  std::vector<BundleRow> rows;
  std::string sql = "SELECT NODE_ID, BUNDLE_DATA FROM " + std::string(table) + " ORDER BY NODE_ID";
  ForEachRow(sqlite_file, sql, [&rows](sqlite3_stmt* statement) {
    Bytes key = BlobColumn(statement, 0);
    std::optional<NodeId> id = NodeId::FromBytes(key);
    REQUIRE_MESSAGE(id.has_value(), "a NODE_ID of " << key.size() << " bytes");
    rows.push_back(BundleRow{*id, BlobColumn(statement, 1)});
  });
  return rows;
}

std::map<std::string, Bytes> ReadBinvalRows(const std::filesystem::path& sqlite_file,
                                            std::string_view table) {
  std::map<std::string, Bytes> rows;
  std::string sql = "SELECT BINVAL_ID, BINVAL_DATA FROM " + std::string(table);
  ForEachRow(sqlite_file, sql, [&rows](sqlite3_stmt* statement) {
    const auto* id = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    rows[id ? id : ""] = BlobColumn(statement, 1);
  });
  return rows;
}

}  // namespace checker::testing
