// A full check of a repository: every configured workspace, the version
// store when histories are checked (it is then checked like a workspace,
// named "version", whose nodes lead to jcr:versionStorage instead of the
// root), and the link checks across them (link_check.h) when references or
// histories are checked.
//
// Each workspace is scanned once. When references are checked and
// histories are not, the version store (if the repository has one) is
// scanned too, for its ids only: a REFERENCE may point into it.
#ifndef CHECKER_CHECKER_REPOSITORY_CHECK_H_
#define CHECKER_CHECKER_REPOSITORY_CHECK_H_

#include <functional>
#include <string>
#include <vector>

#include "checker/config.h"
#include "checker/full_check.h"
#include "checker/link_check.h"
#include "storage/bundle_store.h"

namespace checker {

// The workspaces a full check reports on, in order: check.workspaces, then
// the version store when config.check_history.
std::vector<WorkspaceConfig> CheckedWorkspaces(const Config& config);

struct RepositoryCheck {
  std::vector<WorkspaceCheck> workspaces;  // as CheckedWorkspaces(config)
  std::vector<UnusedHistory> unused_histories;
};

// Progress of the scan of one workspace (see ScanProgress).
using RepositoryProgress =
    std::function<Status(const std::string& workspace, const ScanState& state)>;

// REQUIRES: every table of CheckedWorkspaces(config) exists.
Result<RepositoryCheck> CheckRepository(BundleStore& store, const Config& config,
                                        const RepositoryProgress& progress = nullptr);

// A scoped check (scope.h) of every workspace of check.workspaces (not the
// version store), with the references and histories of the nodes in scope
// checked by point lookups (ScopedLinkCandidates) when asked. NotFound if a
// given id has no bundle in some workspace.
Result<std::vector<WorkspaceCheck>> CheckRepositoryScope(BundleStore& store, const Config& config,
                                                         const std::vector<NodeId>& ids,
                                                         bool recursive);

}  // namespace checker

#endif  // CHECKER_CHECKER_REPOSITORY_CHECK_H_
