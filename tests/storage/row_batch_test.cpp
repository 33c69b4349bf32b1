// RowBatch and the table-name helpers.
#include "storage/row_batch.h"

#include <doctest/doctest.h>

#include "storage/table_name.h"

namespace checker::storage_test {
namespace {

TEST_CASE("row batch: full at max rows or when the arena cannot take the next row") {
  RowBatch batch(3, 10);
  CHECK(batch.empty());
  uint8_t data[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  CHECK(batch.Fits(10));
  CHECK(!batch.Fits(11));
  batch.Add(NodeId{0, 1}, data, 4);
  batch.Add(NodeId{0, 2}, data + 4, 0);
  CHECK(batch.Fits(6));
  CHECK(!batch.Fits(7));
  batch.Add(NodeId{0, 3}, data + 4, 6);
  CHECK(!batch.Fits(0));  // three rows
  REQUIRE(batch.rows().size() == 3);
  CHECK(batch.rows()[0].id == NodeId{0, 1});
  CHECK(Bytes(batch.rows()[0].bytes.begin(), batch.rows()[0].bytes.end()) == Bytes{1, 2, 3, 4});
  CHECK(batch.rows()[1].bytes.empty());
  CHECK(Bytes(batch.rows()[2].bytes.begin(), batch.rows()[2].bytes.end()) ==
        Bytes{5, 6, 7, 8, 9, 10});
  batch.Clear();
  CHECK(batch.empty());
  CHECK(batch.Fits(10));
}

TEST_CASE("row batch: an empty batch takes a row larger than its arena") {
  RowBatch batch(3, 4);
  uint8_t data[16] = {};
  data[15] = 7;
  CHECK(!batch.Fits(16));
  batch.Add(NodeId{0, 1}, data, 16);
  REQUIRE(batch.rows().size() == 1);
  CHECK(batch.rows()[0].bytes.size() == 16);
  CHECK(batch.rows()[0].bytes[15] == 7);
}

TEST_CASE("table name: prefixes hold letters, digits and underscores only") {
  CHECK(ValidatePrefix("").ok());
  CHECK(ValidatePrefix("DEFAULT_").ok());
  CHECK(ValidatePrefix("ws_x0041_2_").ok());
  Status bad = ValidatePrefix("my-ws_");
  CHECK(bad.IsInvalidArgument());
  CHECK(bad.message() ==
        "invalid table prefix 'my-ws_': only letters, digits and '_' are allowed, found '-'");
  CHECK(BundleTableName("VERSION_") == "VERSION_BUNDLE");
}

TEST_CASE("table name: not found lists the tables that exist") {
  CHECK(TableNotFound("X_", "f.db", {}).message() ==
        "table X_BUNDLE not found in f.db (it has no bundle tables)");
  Status status = TableNotFound("X_", "f.db", {"DEFAULT_", "VERSION_"});
  CHECK(status.IsNotFound());
  CHECK(status.message() ==
        "table X_BUNDLE not found in f.db (bundle tables: DEFAULT_BUNDLE, VERSION_BUNDLE)");
}

}  // namespace
}  // namespace checker::storage_test
