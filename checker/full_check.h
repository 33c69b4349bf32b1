// A full check of one workspace: scan every row once, build the index, run
// the passes, double-check what they found.
#ifndef CHECKER_CHECKER_FULL_CHECK_H_
#define CHECKER_CHECKER_FULL_CHECK_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "checker/index.h"
#include "checker/problem.h"
#include "model/status.h"
#include "storage/bundle_store.h"

namespace checker {

struct WorkspaceCheck {
  std::string workspace;
  std::string table_prefix;
  uint64_t nodes = 0;             // rows read
  std::vector<Finding> findings;  // confirmed by the double check, report order
  std::vector<Finding> dropped;   // no longer true when re-read
  Index index;                    // kept for the repair planner
};

// Called now and then during the scan with the rows read so far.
using ScanProgress = std::function<void(uint64_t rows)>;

Result<WorkspaceCheck> CheckWorkspace(BundleStore& store, const std::string& workspace,
                                      const std::string& table_prefix,
                                      const ScanProgress& progress = nullptr);

}  // namespace checker

#endif  // CHECKER_CHECKER_FULL_CHECK_H_
