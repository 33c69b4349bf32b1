// The double check: before a finding is reported as final, the one or two
// bundles it is about are read again by point lookup, and a finding that no
// longer holds is dropped. A full scan takes time; a store that changed
// under it must not produce a report that is no longer true.
#ifndef CHECKER_CHECKER_DOUBLE_CHECK_H_
#define CHECKER_CHECKER_DOUBLE_CHECK_H_

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "checker/problem.h"
#include "model/status.h"
#include "storage/bundle_store.h"

namespace checker {

struct DoubleCheckResult {
  std::vector<Finding> confirmed;  // in input order, refreshed from the re-read bundles
  std::vector<Finding> dropped;    // no longer true
};

// Reads one bundle of the workspace; nullopt if it does not exist.
using PointReader = std::function<Result<std::optional<Bytes>>(const NodeId& id)>;

// Re-reads the bundles of each finding through `read`. Fails only when
// reading fails.
Result<DoubleCheckResult> DoubleCheck(const PointReader& read, std::vector<Finding> findings);

// The same, reading from table <prefix>BUNDLE of `store` in one read
// snapshot, so InvalidArgument while a write transaction of `store` is open.
Result<DoubleCheckResult> DoubleCheck(BundleStore& store, std::string_view prefix,
                                      std::vector<Finding> findings);

}  // namespace checker

#endif  // CHECKER_CHECKER_DOUBLE_CHECK_H_
