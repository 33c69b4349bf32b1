// A full check of one workspace: scan every row once, build the index, run
// the passes, double-check what they found. The scan decodes on two threads
// (DecodePipeline) and the index build uses every core (DefaultThreads).
#ifndef CHECKER_CHECKER_FULL_CHECK_H_
#define CHECKER_CHECKER_FULL_CHECK_H_

#include <cstdint>
#include <functional>
#include <optional>
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
  bool version_store = false;     // the version store, checked as a workspace
  std::vector<bool> subjects;     // scoped checks: the positions in scope (else empty)
};

// How far a full scan has got.
struct ScanState {
  uint64_t rows = 0;              // rows read so far
  std::optional<uint64_t> total;  // rows in the table, when the store can count them
  bool done = false;              // the scan has ended (the last call)
};

// Called on the scanning thread before the first row, after each batch of
// rows, and once with done = true when the scan ends. A non-OK status (e.g. Interrupted on
// Ctrl-C) stops the scan and becomes the check's result.
using ScanProgress = std::function<Status(const ScanState& state)>;

struct WorkspaceCheckOptions {
  // Where every node must lead: the root, or in the version store
  // jcr:versionStorage (whose own parent lives in the workspace tables).
  NodeId root = kRootNodeId;
  // Keep REFERENCE values and version-history links in the index, for
  // link_check.h.
  bool collect_links = false;
  // false: only build the index (the version store when only its ids are
  // needed, to resolve references); no findings.
  bool run_passes = true;
};

Result<WorkspaceCheck> CheckWorkspace(BundleStore& store, const std::string& workspace,
                                      const std::string& table_prefix,
                                      const ScanProgress& progress = nullptr,
                                      const WorkspaceCheckOptions& options = {});

}  // namespace checker

#endif  // CHECKER_CHECKER_FULL_CHECK_H_
