// The order inside the transaction matters:
//   1. BEGIN IMMEDIATE (the store's write lock; Busy at once if held)
//   2. re-verify every finding through the transaction: a plan made from a
//      scan of a store that has changed since must not be applied
//   3. read each bundle to edit and compute its new image (repair.h)
//   4. write the undo file with every before-image, fsync it
//   5. put the new images, then commit
// Any failure rolls back (the transaction's destructor) and removes the undo
// file of the fix that did not happen.
#include "checker/fix.h"

#include <ctime>
#include <filesystem>

#include "checker/double_check.h"
#include "checker/interrupt.h"
#include "checker/repair.h"
#include "checker/undo_file.h"
#include "model/bundle_codec.h"

namespace checker {
namespace {

std::string FormatUtcNow(const char* format) {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, format, &utc);
  return buf;
}

// The findings the plan acts on, read again inside the write transaction.
// Property findings (dangling-reference, missing-version-history) are never
// repaired and the plan does not depend on them, so they are not re-read.
Status ReverifyFindings(WriteTransaction& txn, const WorkspaceRepair& repair) {
  std::vector<Finding> link_findings;
  for (const Finding& f : repair.findings) {
    if (f.kind != ProblemKind::kDanglingReference &&
        f.kind != ProblemKind::kMissingVersionHistory) {
      link_findings.push_back(f);
    }
  }
  PointReader read = [&](const NodeId& id) { return txn.Get(repair.table_prefix, id); };
  Result<DoubleCheckResult> again = DoubleCheck(read, std::move(link_findings));
  if (!again.ok()) return again.status();
  if (!again->dropped.empty()) {
    return Status::Busy("workspace '" + repair.workspace +
                        "': " + std::to_string(again->dropped.size()) +
                        " finding(s) no longer hold: the store changed since the check; nothing "
                        "was written (run fix again)");
  }
  return Status::Ok();
}

Result<UndoRecord> PrepareRewrites(WriteTransaction& txn,
                                   const std::vector<WorkspaceRepair>& repairs,
                                   const ApplyOptions& options, Applied* applied) {
  UndoRecord undo{.store_url = options.store_url, .created = UtcIsoNow()};
  for (const WorkspaceRepair& repair : repairs) {
    CHECKER_RETURN_IF_ERROR(ReverifyFindings(txn, repair));
    BundleReader read = [&](const NodeId& id) { return txn.Get(repair.table_prefix, id); };
    Result<Materialized> done = Materialize(repair.plan, repair.table_prefix, read);
    if (!done.ok()) return done.status().WithContext("workspace '" + repair.workspace + "'");
    undo.workspaces.push_back(repair.workspace);
    applied->added_names.merge(done->added_names);
    for (Rewrite& r : done->rewrites) undo.rows.push_back(std::move(r));
  }
  return undo;
}

Status PutAndCommit(WriteTransaction& txn, const UndoRecord& undo) {
  for (const Rewrite& r : undo.rows) {
    if (InterruptRequested()) return Status::Interrupted("interrupted: the fix was rolled back");
    CHECKER_RETURN_IF_ERROR(txn.Put(r.table_prefix, r.id, r.after));
  }
  if (InterruptRequested()) return Status::Interrupted("interrupted: the fix was rolled back");
  return txn.Commit();
}

}  // namespace

std::string UtcCompactNow() { return FormatUtcNow("%Y%m%dT%H%M%SZ"); }
std::string UtcIsoNow() { return FormatUtcNow("%Y-%m-%dT%H:%M:%SZ"); }

Status ValidateLostFound(BundleStore& store, const std::string& table_prefix,
                         const NodeId& lost_found, const std::string& origin) {
  const std::string what = "lost+found node " + lost_found.ToString() + " (" + origin + ")";
  Result<std::optional<Bytes>> bytes = store.Get(table_prefix, lost_found);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) {
    return Status::NotFound(what + " does not exist in table " + table_prefix + "BUNDLE");
  }
  Result<Bundle, BundleError> bundle = DecodeBundle(**bytes);
  if (!bundle.ok()) {
    return Status::InvalidArgument(what + " cannot be read: " + bundle.error().ToString());
  }
  const Name unstructured{std::string(kNtUri), "unstructured"};
  if (bundle->primary_type != unstructured) {
    return Status::InvalidArgument(what + " is of type " + bundle->primary_type.ToString() +
                                   ", not nt:unstructured");
  }
  return Status::Ok();
}

Result<Applied> ApplyRepairs(BundleStore& store, const std::vector<WorkspaceRepair>& repairs,
                             const ApplyOptions& options) {
  Result<std::unique_ptr<WriteTransaction>> txn = store.BeginWrite();
  if (!txn.ok()) return txn.status();
  Applied applied;
  Result<UndoRecord> undo = PrepareRewrites(**txn, repairs, options, &applied);
  if (!undo.ok()) return undo.status();
  applied.rewritten = undo->rows.size();
  if (undo->rows.empty()) {
    CHECKER_RETURN_IF_ERROR((*txn)->Rollback());
    return applied;
  }
  CHECKER_RETURN_IF_ERROR(WriteUndoFile(options.undo_path, *undo));
  Status committed = PutAndCommit(**txn, *undo);
  if (!committed.ok()) {
    (void)(*txn)->Rollback();
    std::error_code ignored;
    std::filesystem::remove(options.undo_path, ignored);
    return committed;
  }
  return applied;
}

}  // namespace checker
