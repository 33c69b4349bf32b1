// Pass 1: child entries.
//
// Checks: every child entry N -> C of every checked node N (C not virtual):
//   - C has no bundle                              -> missing (on N)
//   - C's parent id is not N and N is not in C's
//     shared set                                   -> disconnected (on N)
// One finding per entry: a holder that lists the same bad child twice gets two.
// An entry naming an unreadable bundle is neither: the bundle exists, and its
// parent is unknown.
//
// Collects: listed_by_parent[C] = some entry of C's recorded parent names C.
// Every holder counts here, virtual ones included, because a checked node
// may well have a virtual parent (e.g. the version histories under
// jcr:versionStorage).
//
// Relies on: the index only.
#include "checker/passes.h"

namespace checker {

std::vector<Finding> RunLinkPass(const Index& index, std::vector<bool>* listed_by_parent,
                                 Subjects subjects) {
  listed_by_parent->assign(index.size(), false);
  std::vector<Finding> findings;
  for (uint32_t holder = 0; holder < index.size(); ++holder) {
    const NodeId& holder_id = index.id(holder);
    const bool report = !SkippedAsSubject(holder_id) && IsSubject(subjects, holder);
    for (Ref child : index.children(holder)) {
      if (Index::IsNode(child) && index.parent(child) == holder) {
        (*listed_by_parent)[child] = true;
        continue;
      }
      if (!report) continue;
      const NodeId& child_id = index.RefId(child);
      if (child_id.IsVirtual()) continue;
      if (Index::IsAbsent(child)) {
        findings.push_back({.kind = ProblemKind::kMissing, .node = holder_id, .related = child_id});
        continue;
      }
      if (index.unreadable(child) || index.InSharedSet(child, holder_id)) continue;
      Ref recorded = index.parent(child);
      Finding f{.kind = ProblemKind::kDisconnected, .node = holder_id, .related = child_id};
      if (recorded != kNullRef) f.child_parent = index.RefId(recorded);
      findings.push_back(std::move(f));
    }
  }
  return findings;
}

std::vector<Finding> RunUnreadablePass(const Index& index, Subjects subjects) {
  std::vector<Finding> findings;
  for (uint32_t pos = 0; pos < index.size(); ++pos) {
    if (!index.unreadable(pos) || !IsSubject(subjects, pos)) continue;
    const BundleError& error = index.error(pos);
    findings.push_back({.kind = ProblemKind::kUnreadable,
                        .node = index.id(pos),
                        .offset = error.offset,
                        .reason = error.expected});
  }
  return findings;
}

}  // namespace checker
