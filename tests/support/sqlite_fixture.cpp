#include "tests/support/sqlite_fixture.h"

#include <doctest/doctest.h>

#include "model/bundle_codec.h"
#include "storage/bundle_store.h"
#include "tests/support/graph.h"

namespace checker::testing {

void WriteSqliteStore(const std::string& path, const std::vector<std::pair<NodeId, Bytes>>& rows,
                      const std::string& prefix) {
  auto store = OpenStore("sqlite:" + path, OpenMode::kCreate);
  REQUIRE(store.ok());
  auto txn = (*store)->BeginWrite();
  REQUIRE(txn.ok());
  REQUIRE((*txn)->CreateTable(prefix).ok());
  for (const auto& [id, bytes] : rows) REQUIRE((*txn)->Put(prefix, id, bytes).ok());
  REQUIRE((*txn)->Commit().ok());
}

std::vector<std::pair<NodeId, Bytes>> HealthyRows() {
  std::vector<std::pair<NodeId, Bundle>> nodes = {
      {kRootNodeId, Node(std::nullopt, {kSystemNodeId, TestId(1)})},
      {kSystemNodeId, Node(kRootNodeId, {kVersionStorageNodeId})},
      {TestId(1), Node(kRootNodeId, {TestId(2), TestId(3)})},
      {TestId(2), Node(TestId(1))},
      {TestId(3), Node(TestId(1))},
  };
  std::vector<std::pair<NodeId, Bytes>> rows;
  for (const auto& [id, bundle] : nodes) {
    Result<Bytes> bytes = EncodeBundle(bundle);
    REQUIRE(bytes.ok());
    rows.emplace_back(id, *bytes);
  }
  return rows;
}

}  // namespace checker::testing
