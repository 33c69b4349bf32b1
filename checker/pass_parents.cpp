// Pass 2: parent ids.
//
// Checks: every checked node N other than the root whose parent id P is not
// null:
//   - P has no bundle                  -> orphaned (on N)
//   - P exists but no entry names N    -> abandoned (on N)
// When P's bundle is unreadable its entries are unknown: no finding.
//
// Relies on: pass 1's listings, so that the cost is one look per node,
// whatever the number of siblings. Split into position ranges, one per
// thread, like pass 1.
#include "checker/parallel.h"
#include "checker/passes.h"

namespace checker {

namespace {

std::vector<Finding> CheckParents(const Index& index, uint32_t begin, uint32_t end,
                                  const Listings& listings, Subjects subjects) {
  std::vector<Finding> findings;
  for (uint32_t pos = begin; pos < end; ++pos) {
    Ref parent = index.parent(pos);
    if (parent == kNullRef || parent == kUnknownRef) continue;
    const NodeId& id = index.id(pos);
    if (SkippedAsSubject(id) || id == kRootNodeId || !IsSubject(subjects, pos)) continue;
    if (Index::IsAbsent(parent)) {
      findings.push_back(
          {.kind = ProblemKind::kOrphaned, .node = id, .related = index.RefId(parent)});
    } else if (!listings.by_parent[pos] && !index.unreadable(parent)) {
      findings.push_back(
          {.kind = ProblemKind::kAbandoned, .node = id, .related = index.RefId(parent)});
    }
  }
  return findings;
}

}  // namespace

std::vector<Finding> RunParentPass(const Index& index, const Listings& listings,
                                   Subjects subjects) {
  return CollectOnThreads<Finding>(PassThreads(index), index.size(), [&](size_t begin, size_t end) {
    return CheckParents(index, static_cast<uint32_t>(begin), static_cast<uint32_t>(end), listings,
                        subjects);
  });
}

}  // namespace checker
