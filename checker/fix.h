// Fix: apply the plans of one or more workspaces of one store in a single
// write transaction, after saving an undo file. The store ends up either as
// it was or fully repaired, never in between.
#ifndef CHECKER_CHECKER_FIX_H_
#define CHECKER_CHECKER_FIX_H_

#include <map>
#include <string>
#include <vector>

#include "checker/planner.h"
#include "checker/problem.h"
#include "model/status.h"
#include "storage/bundle_store.h"

namespace checker {

struct WorkspaceRepair {
  std::string workspace;
  std::string table_prefix;
  std::vector<Finding> findings;  // as reported; re-verified inside the transaction
  Plan plan;
};

// The lost+found node must exist, be readable and be nt:unstructured.
// NotFound/InvalidArgument otherwise, naming `origin` (where it was configured).
Status ValidateLostFound(BundleStore& store, const std::string& table_prefix,
                         const NodeId& lost_found, const std::string& origin);

struct ApplyOptions {
  std::string store_url;  // recorded in the undo file; give an absolute path
  std::string undo_path;  // where to write the undo file
};

struct Applied {
  size_t rewritten = 0;
  std::map<NodeId, std::string> added_names;  // the names of added child entries
};

// In one transaction: re-reads every finding's bundles and refuses if any no
// longer holds (the store changed since the check); reads and rewrites every
// bundle the plans edit; writes and flushes the undo file; puts; commits.
// Busy if another process holds the store; Interrupted if Ctrl-C came
// before the commit. On any failure nothing is written and no undo file is
// left behind.
Result<Applied> ApplyRepairs(BundleStore& store, const std::vector<WorkspaceRepair>& repairs,
                             const ApplyOptions& options);

// The current UTC time as 20261126T050925Z (for undo file names) and as
// 2026-11-26T05:09:25Z.
std::string UtcCompactNow();
std::string UtcIsoNow();

}  // namespace checker

#endif  // CHECKER_CHECKER_FIX_H_
