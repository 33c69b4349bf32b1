// Full check = scan (storage) -> index (model's fast decoder) -> passes ->
// double check (point lookups of the bundles each finding names).
#include "checker/full_check.h"

#include "checker/double_check.h"
#include "checker/passes.h"

namespace checker {

Result<WorkspaceCheck> CheckWorkspace(BundleStore& store, const std::string& workspace,
                                      const std::string& table_prefix,
                                      const ScanProgress& progress) {
  IndexBuilder builder;
  Status scanned = store.Scan(table_prefix, [&](std::span<const Row> batch) {
    for (const Row& row : batch) builder.Add(row.id, row.bytes);
    if (progress) progress(builder.rows());
    return Status::Ok();
  });
  if (!scanned.ok()) return scanned.WithContext("workspace '" + workspace + "'");

  WorkspaceCheck check;
  check.workspace = workspace;
  check.table_prefix = table_prefix;
  check.nodes = builder.rows();
  Result<Index> index = builder.Finish();
  if (!index.ok()) return index.status().WithContext("workspace '" + workspace + "'");
  check.index = std::move(*index);

  Result<DoubleCheckResult> rechecked = DoubleCheck(store, table_prefix, RunAllPasses(check.index));
  if (!rechecked.ok()) return rechecked.status();
  check.findings = std::move(rechecked->confirmed);
  check.dropped = std::move(rechecked->dropped);
  return check;
}

}  // namespace checker
