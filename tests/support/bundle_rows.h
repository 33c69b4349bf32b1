// Reading bundle tables straight from an SQLite file, for tests that must not
// depend on the storage layer (Jackrabbit's vectors and scenario stores).
#ifndef CHECKER_TESTS_SUPPORT_BUNDLE_ROWS_H_
#define CHECKER_TESTS_SUPPORT_BUNDLE_ROWS_H_

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/bytes.h"
#include "model/node_id.h"

namespace checker::testing {

// A file of the repository's copy of Jackrabbit's vectors
// (tests/jackrabbit-vectors/<file>, under CHECKER_SOURCE_DIR), e.g.
// "vectors.sqlite" or "scenarios/abandoned.sqlite".
std::filesystem::path JackrabbitVectorsPath(std::string_view file);

struct BundleRow {
  NodeId id;
  Bytes data;
};

// Every row of `table` (NODE_ID BLOB of 16 bytes, BUNDLE_DATA BLOB), in
// NODE_ID order. The file is opened read-only. On any failure (no file, no
// table, a key that is not 16 bytes) the current doctest test case fails.
std::vector<BundleRow> ReadBundleRows(const std::filesystem::path& sqlite_file,
                                      std::string_view table = "DEFAULT_BUNDLE");

// Every row of a BINVAL table (BINVAL_ID text, BINVAL_DATA BLOB), by id.
std::map<std::string, Bytes> ReadBinvalRows(const std::filesystem::path& sqlite_file,
                                            std::string_view table = "DEFAULT_BINVAL");

}  // namespace checker::testing

#endif  // CHECKER_TESTS_SUPPORT_BUNDLE_ROWS_H_
