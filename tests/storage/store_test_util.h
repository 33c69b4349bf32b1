// Helpers for the storage tests: ids, bundles and scans in a few words.
#ifndef CHECKER_TESTS_STORAGE_STORE_TEST_UTIL_H_
#define CHECKER_TESTS_STORAGE_STORE_TEST_UTIL_H_

#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <vector>

#include "model/bytes.h"
#include "model/node_id.h"
#include "storage/bundle_store.h"

namespace checker::storage_test {

// Distinct, well-spread ids for small n (the bits of n are mixed so that
// insertion order and key order differ).
inline NodeId TestId(uint64_t n) {
  return NodeId{(n + 1) * 0x9E3779B97F4A7C15ull, n ^ 0xC2B2AE3D27D4EB4Full};
}

// `size` bytes that depend on `seed`.
inline Bytes TestBytes(uint64_t seed, size_t size) {
  Bytes bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(seed * 31 + i * 7);
  return bytes;
}

struct ScanResult {
  std::map<NodeId, Bytes> rows;
  std::vector<NodeId> order;  // ids in delivery order
  std::vector<size_t> batch_sizes;
  size_t duplicates = 0;
};

// Scans <prefix>BUNDLE and requires the scan to succeed.
inline ScanResult ScanAll(BundleStore& store, std::string_view prefix) {
  ScanResult result;
  Status status = store.Scan(prefix, [&](std::span<const Row> batch) {
    result.batch_sizes.push_back(batch.size());
    for (const Row& row : batch) {
      result.order.push_back(row.id);
      bool inserted = result.rows.emplace(row.id, Bytes(row.bytes.begin(), row.bytes.end())).second;
      if (!inserted) ++result.duplicates;
    }
    return Status::Ok();
  });
  REQUIRE_MESSAGE(status.ok(), status.message());
  return result;
}

// Writes `rows` into <prefix>BUNDLE (created if needed) in one transaction.
inline void PutAll(BundleStore& store, std::string_view prefix,
                   const std::vector<std::pair<NodeId, Bytes>>& rows) {
  auto txn = store.BeginWrite();
  REQUIRE_MESSAGE(txn.ok(), txn.status().message());
  Status status = (*txn)->CreateTable(prefix);
  REQUIRE_MESSAGE(status.ok(), status.message());
  for (const auto& [id, bytes] : rows) {
    status = (*txn)->Put(prefix, id, bytes);
    REQUIRE_MESSAGE(status.ok(), status.message());
  }
  status = (*txn)->Commit();
  REQUIRE_MESSAGE(status.ok(), status.message());
}

}  // namespace checker::storage_test

#endif  // CHECKER_TESTS_STORAGE_STORE_TEST_UTIL_H_
