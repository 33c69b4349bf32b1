// Order of work: scan and check each workspace on its own (full_check.h),
// keeping each index; then resolve the links of all of them at once, and
// double-check those findings by point lookups before they join their
// workspace's findings in report order.
#include "checker/repository_check.h"

#include <algorithm>

#include "checker/scope.h"

namespace checker {
namespace {

// The version store's index, ids only, when references need it and histories
// are not checked; nullopt when the repository has no version store.
Result<std::optional<WorkspaceCheck>> VersionIdsOnly(BundleStore& store, const Config& config,
                                                     const RepositoryProgress& progress) {
  const WorkspaceConfig& version = config.version_workspace;
  Result<std::vector<std::string>> tables = store.ListBundleTables();
  if (!tables.ok()) return tables.status();
  if (std::find(tables->begin(), tables->end(), version.table_prefix) == tables->end()) {
    return std::optional<WorkspaceCheck>();
  }
  ScanProgress scan = nullptr;
  if (progress) scan = [&](const ScanState& s) { return progress(version.name, s); };
  Result<WorkspaceCheck> ids =
      CheckWorkspace(store, version.name, version.table_prefix, scan, {.run_passes = false});
  if (!ids.ok()) return ids.status();
  return std::optional<WorkspaceCheck>(std::move(*ids));
}

// Runs the link checks and adds what the double check confirms to each
// checked workspace's findings.
Status AddLinkFindings(BundleStore& store, const Config& config,
                       const std::vector<WorkspaceConfig>& checked,
                       const std::optional<WorkspaceCheck>& version_ids, RepositoryCheck* out) {
  std::vector<LinkedStore> stores;
  std::vector<std::string> prefixes;
  for (size_t i = 0; i < checked.size(); ++i) {
    stores.push_back(
        {.index = &out->workspaces[i].index, .version_store = out->workspaces[i].version_store});
    prefixes.push_back(checked[i].table_prefix);
  }
  if (version_ids) {
    stores.push_back({.index = &version_ids->index, .version_store = true, .checked = false});
    prefixes.push_back(version_ids->table_prefix);
  }
  LinkFindings links = RunLinkChecks(
      stores, {.references = config.check_references, .history = config.check_history});
  out->unused_histories = std::move(links.unused_histories);
  for (size_t i = 0; i < checked.size(); ++i) {
    if (links.by_store[i].empty()) continue;
    Result<DoubleCheckResult> rechecked =
        DoubleCheckLinks(store, checked[i].table_prefix, prefixes,
                         config.version_workspace.table_prefix, std::move(links.by_store[i]));
    if (!rechecked.ok()) return rechecked.status();
    WorkspaceCheck& ws = out->workspaces[i];
    ws.findings.insert(ws.findings.end(), rechecked->confirmed.begin(), rechecked->confirmed.end());
    ws.dropped.insert(ws.dropped.end(), rechecked->dropped.begin(), rechecked->dropped.end());
    std::stable_sort(ws.findings.begin(), ws.findings.end(),
                     [](const Finding& a, const Finding& b) { return a.node < b.node; });
  }
  return Status::Ok();
}

// Where a REFERENCE may point: every checked workspace's table, and the
// version store's if the repository has one.
Result<std::vector<std::string>> TargetPrefixes(BundleStore& store, const Config& config) {
  std::vector<std::string> prefixes;
  for (const WorkspaceConfig& ws : config.workspaces) prefixes.push_back(ws.table_prefix);
  Result<std::vector<std::string>> tables = store.ListBundleTables();
  if (!tables.ok()) return tables.status();
  const std::string& version = config.version_workspace.table_prefix;
  if (std::find(tables->begin(), tables->end(), version) != tables->end()) {
    prefixes.push_back(version);
  }
  return prefixes;
}

}  // namespace

std::vector<WorkspaceConfig> CheckedWorkspaces(const Config& config) {
  std::vector<WorkspaceConfig> checked = config.workspaces;
  if (config.check_history) checked.push_back(config.version_workspace);
  return checked;
}

Result<RepositoryCheck> CheckRepository(BundleStore& store, const Config& config,
                                        const RepositoryProgress& progress) {
  const bool links = config.check_references || config.check_history;
  const std::vector<WorkspaceConfig> checked = CheckedWorkspaces(config);
  RepositoryCheck out;
  for (size_t i = 0; i < checked.size(); ++i) {
    const WorkspaceConfig& ws = checked[i];
    const bool version = config.check_history && i + 1 == checked.size();
    ScanProgress scan = nullptr;
    if (progress) scan = [&](const ScanState& s) { return progress(ws.name, s); };
    Result<WorkspaceCheck> check = CheckWorkspace(
        store, ws.name, ws.table_prefix, scan,
        {.root = version ? kVersionStorageNodeId : kRootNodeId, .collect_links = links});
    if (!check.ok()) return check.status();
    check->version_store = version;
    out.workspaces.push_back(std::move(*check));
  }
  if (!links) return out;
  std::optional<WorkspaceCheck> version_ids;
  if (!config.check_history) {
    Result<std::optional<WorkspaceCheck>> ids = VersionIdsOnly(store, config, progress);
    if (!ids.ok()) return ids.status();
    version_ids = std::move(*ids);
  }
  CHECKER_RETURN_IF_ERROR(AddLinkFindings(store, config, checked, version_ids, &out));
  return out;
}

Result<std::vector<WorkspaceCheck>> CheckRepositoryScope(BundleStore& store, const Config& config,
                                                         const std::vector<NodeId>& ids,
                                                         bool recursive) {
  const LinkCheckOptions links{.references = config.check_references,
                               .history = config.check_history};
  std::vector<WorkspaceCheck> checks;
  for (const WorkspaceConfig& ws : config.workspaces) {
    Result<WorkspaceCheck> check = CheckScope(store, ws.name, ws.table_prefix, ids, recursive,
                                              links.references || links.history);
    if (!check.ok()) return check.status();
    checks.push_back(std::move(*check));
  }
  if (!links.references && !links.history) return checks;
  Result<std::vector<std::string>> targets = TargetPrefixes(store, config);
  if (!targets.ok()) return targets.status();
  for (WorkspaceCheck& check : checks) {
    std::vector<Finding> candidates = ScopedLinkCandidates(check.index, check.subjects, links);
    if (candidates.empty()) continue;
    // Candidates that resolve are not findings that changed: only the
    // confirmed ones count.
    Result<DoubleCheckResult> settled =
        DoubleCheckLinks(store, check.table_prefix, *targets, config.version_workspace.table_prefix,
                         std::move(candidates));
    if (!settled.ok()) return settled.status();
    check.findings.insert(check.findings.end(), settled->confirmed.begin(),
                          settled->confirmed.end());
    std::stable_sort(check.findings.begin(), check.findings.end(),
                     [](const Finding& a, const Finding& b) { return a.node < b.node; });
  }
  return checks;
}

}  // namespace checker
