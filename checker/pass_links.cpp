// Pass 1: child entries.
//
// Checks: every child entry N -> C of every checked node N (C not virtual):
//   - C has no bundle                              -> missing (on N)
//   - C's parent id is not N and N is not in C's
//     shared set                                   -> disconnected (on N)
//   - N lists C more than once                       -> duplicate-entry (on N),
//                                                    once per child
// One missing/disconnected finding per entry, as Jackrabbit reports them: a
// holder that lists the same bad child twice gets two (and a duplicate-entry).
// An entry naming an unreadable bundle is neither: the bundle exists, and its
// parent is unknown.
//
// Collects: listings.by_parent[C] = some entry of C's recorded parent names C;
// listings.by_anyone[C] = some entry names C.
// Every holder counts here, virtual ones included, because a checked node
// may well have a virtual parent (e.g. the version histories under
// jcr:versionStorage).
//
// Relies on: the index only.
#include <algorithm>

#include "checker/passes.h"

namespace checker {
namespace {

// Appends one duplicate-entry finding per child that `holder` lists more than
// once (checked the same way as the entries: virtual children are skipped).
void FindDuplicates(const Index& index, uint32_t holder, std::vector<Ref>* scratch,
                    std::vector<Finding>* findings) {
  std::span<const Ref> children = index.children(holder);
  if (children.size() < 2) return;
  scratch->assign(children.begin(), children.end());
  std::sort(scratch->begin(), scratch->end());
  for (size_t i = 0; i < scratch->size();) {
    size_t j = i + 1;
    while (j < scratch->size() && (*scratch)[j] == (*scratch)[i]) ++j;
    const NodeId& child = index.RefId((*scratch)[i]);
    if (j - i > 1 && !child.IsVirtual()) {
      findings->push_back({.kind = ProblemKind::kDuplicateEntry,
                           .node = index.id(holder),
                           .related = child,
                           .count = j - i});
    }
    i = j;
  }
}

}  // namespace

std::vector<Finding> RunLinkPass(const Index& index, Listings* listings, Subjects subjects) {
  listings->by_parent.assign(index.size(), false);
  listings->by_anyone.assign(index.size(), false);
  std::vector<Finding> findings;
  std::vector<Ref> scratch;
  for (uint32_t holder = 0; holder < index.size(); ++holder) {
    const NodeId& holder_id = index.id(holder);
    const bool report = !SkippedAsSubject(holder_id) && IsSubject(subjects, holder);
    for (Ref child : index.children(holder)) {
      if (Index::IsNode(child)) listings->by_anyone[child] = true;
      if (Index::IsNode(child) && index.parent(child) == holder) {
        listings->by_parent[child] = true;
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
    if (report) FindDuplicates(index, holder, &scratch, &findings);
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
