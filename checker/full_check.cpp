// Full check = scan (storage) -> decode + intern (DecodePipeline, two
// threads) -> index (IndexBuilder::Finish, all cores) -> passes -> double
// check (point lookups of the bundles each finding names).
#include "checker/full_check.h"

#include "checker/decode_pipeline.h"
#include "checker/double_check.h"
#include "checker/parallel.h"
#include "checker/passes.h"

namespace checker {
namespace {

// Scans the table into `builder`, reporting progress after each batch.
Status ScanIntoBuilder(BundleStore& store, const std::string& table_prefix,
                       std::optional<uint64_t> total, int threads, const ScanProgress& progress,
                       IndexBuilder* builder) {
  ScanState state{.total = total};
  if (progress) CHECKER_RETURN_IF_ERROR(progress(state));
  DecodePipeline pipeline(builder, threads);
  Status scanned = store.Scan(table_prefix, [&](std::span<const Row> batch) {
    pipeline.Push(batch);
    state.rows += batch.size();
    return progress ? progress(state) : Status::Ok();
  });
  pipeline.Finish();
  CHECKER_RETURN_IF_ERROR(scanned);
  state.done = true;
  return progress ? progress(state) : Status::Ok();
}

}  // namespace

Result<WorkspaceCheck> CheckWorkspace(BundleStore& store, const std::string& workspace,
                                      const std::string& table_prefix, const ScanProgress& progress,
                                      const WorkspaceCheckOptions& options) {
  const int threads = DefaultThreads();
  const std::optional<uint64_t> total = store.CountRows(table_prefix);
  IndexBuilder builder(total.value_or(0), options.collect_links);
  Status scanned = ScanIntoBuilder(store, table_prefix, total, threads, progress, &builder);
  if (!scanned.ok()) return scanned.WithContext("workspace '" + workspace + "'");

  WorkspaceCheck check;
  check.workspace = workspace;
  check.table_prefix = table_prefix;
  check.nodes = builder.rows();
  Result<Index> index = builder.Finish(threads);
  if (!index.ok()) return index.status().WithContext("workspace '" + workspace + "'");
  check.index = std::move(*index);

  if (!options.run_passes) return check;

  Result<DoubleCheckResult> rechecked =
      DoubleCheck(store, table_prefix, RunAllPasses(check.index, nullptr, options.root));
  if (!rechecked.ok()) return rechecked.status();
  check.findings = std::move(rechecked->confirmed);
  check.dropped = std::move(rechecked->dropped);
  return check;
}

}  // namespace checker
