// Link checks across stores: REFERENCE values (check.references) and version
// histories (check.history). Unlike the passes, which see one workspace,
// these look a target up in every store of the repository: a REFERENCE may
// name a node of another workspace or of the version store.
//
// Rules (a node whose id is virtual, other than the root, is never a holder;
// a virtual target id always counts as present, as Jackrabbit manages those
// nodes itself):
//   dangling-reference(N, T):       with references on, a REFERENCE value T
//                                   of N names a node present in no store
//                                   (WEAKREFERENCE values may dangle)
//   missing-version-history(N, H):  with history on, N (in a workspace, not
//                                   the version store) has jcr:versionHistory
//                                   H and the version store has no node H;
//                                   jcr:versionHistory is then checked only
//                                   as a history, never also as a reference
//   unused history (information):   with history on, a node of the version
//                                   store with jcr:versionableUuid V, where V
//                                   is present in no checked workspace
// One finding per (kind, holder, target), however many values repeat it.
#ifndef CHECKER_CHECKER_LINK_CHECK_H_
#define CHECKER_CHECKER_LINK_CHECK_H_

#include <span>
#include <string>
#include <vector>

#include "checker/double_check.h"
#include "checker/index.h"
#include "checker/problem.h"
#include "storage/bundle_store.h"

namespace checker {

// One store of the repository, indexed with its links (IndexBuilder with
// collect_links).
struct LinkedStore {
  const Index* index = nullptr;
  bool version_store = false;
  bool checked = true;  // false: only its ids count (the version store
                        // when references are checked but histories are not)
};

struct LinkCheckOptions {
  bool references = false;
  bool history = false;
};

// A version history whose versionable node exists in no checked workspace.
struct UnusedHistory {
  NodeId history;
  NodeId versionable;
  friend bool operator==(const UnusedHistory&, const UnusedHistory&) = default;
};

struct LinkFindings {
  std::vector<std::vector<Finding>> by_store;   // parallel to the stores, in id order
  std::vector<UnusedHistory> unused_histories;  // in history id order
};

LinkFindings RunLinkChecks(std::span<const LinkedStore> stores, const LinkCheckOptions& options);

// A scoped check sees only part of the repository, so it cannot resolve a
// link in an index: every link of a node in scope that the rules above could
// make a finding (a REFERENCE with references on, a jcr:versionHistory with
// history on; never of a virtual holder or to a virtual target) is a
// candidate, to be settled by DoubleCheckLinks's point lookups.
std::vector<Finding> ScopedLinkCandidates(const Index& index, const std::vector<bool>& subjects,
                                          const LinkCheckOptions& options);

// The double check of dangling-reference and missing-version-history
// findings held by nodes of `holder_prefix`: the holder is re-read and must
// still carry the value (a dangling reference gets the name of the property
// that holds it, in `reason`), and the target is looked up again in every
// table of `target_prefixes` (for a missing history: the version store's
// only) and must still be absent. All lookups read one snapshot of `store`
// (BundleStore::BeginReadSnapshot).
Result<DoubleCheckResult> DoubleCheckLinks(BundleStore& store, const std::string& holder_prefix,
                                           const std::vector<std::string>& target_prefixes,
                                           const std::string& version_prefix,
                                           std::vector<Finding> findings);

}  // namespace checker

#endif  // CHECKER_CHECKER_LINK_CHECK_H_
