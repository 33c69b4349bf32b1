// A scoped check: given node ids (and, with `recursive`, their subtrees),
// checked by point lookups only, so the cost follows the size of the scope,
// not the repository. A visited set makes cycles end.
//
// Every node in scope is checked for all four kinds, against the bundles it
// names: its children, its parent, and for a child that names another
// parent, that parent. Links from outside the scope are not seen: a holder
// outside the scope that lists a node in it is unknown here.
#ifndef CHECKER_CHECKER_SCOPE_H_
#define CHECKER_CHECKER_SCOPE_H_

#include <string>
#include <vector>

#include "checker/full_check.h"

namespace checker {

// Fills a WorkspaceCheck whose `nodes` counts the bundles in scope and whose
// index holds every bundle read (the planner's view). NotFound if a given id
// has no bundle.
// With `collect_links` the index keeps the links of what was read
// (IndexBuilder), for ScopedLinkCandidates.
Result<WorkspaceCheck> CheckScope(BundleStore& store, const std::string& workspace,
                                  const std::string& table_prefix, const std::vector<NodeId>& ids,
                                  bool recursive, bool collect_links = false);

}  // namespace checker

#endif  // CHECKER_CHECKER_SCOPE_H_
