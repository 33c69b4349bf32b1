// The passes: each reads the index of one workspace and returns findings; none
// prints, none reads the store. Every pass reports findings in position order
// (the order of node ids), so their concatenation, stably sorted by node id,
// is the order Jackrabbit's checker reports in.
//
// Jackrabbit's skip rules hold in every pass: a node whose id is virtual
// (ends in babecafebabe) is not checked, except the root; a child entry that
// names a virtual id is not checked. A node whose bundle is unreadable is
// reported once, as unreadable, and its links count as unknown: nothing is
// concluded from them or about them.
#ifndef CHECKER_CHECKER_PASSES_H_
#define CHECKER_CHECKER_PASSES_H_

#include <cstdint>
#include <vector>

#include "checker/index.h"
#include "checker/problem.h"

namespace checker {

// Which nodes are checked as subjects: all of them (nullptr), or, for a
// scoped check, those whose position is marked. The others only serve as
// the neighbours the subjects are checked against.
using Subjects = const std::vector<bool>*;

// Pass 0: unreadable bundles, one finding each.
std::vector<Finding> RunUnreadablePass(const Index& index, Subjects subjects = nullptr);

// What pass 1 learns about every node, for the passes after it: one byte
// per node and flag (not bits), so that the threads of pass 1 can set them
// for any node without a read-modify-write.
struct Listings {
  std::vector<uint8_t> by_parent;  // 1: its recorded parent has an entry for it
  std::vector<uint8_t> by_anyone;  // 1: some node has an entry for it
};

// The threads a pass over `index` uses: one for a small index (a scoped
// check's), where starting threads costs more than it saves.
int PassThreads(const Index& index);

// Pass 1, child entries: missing, disconnected and duplicate-entry; see
// pass_links.cpp. Also fills `listings`.
std::vector<Finding> RunLinkPass(const Index& index, Listings* listings,
                                 Subjects subjects = nullptr);

// Pass 2, parent ids: orphaned and abandoned; see pass_parents.cpp.
// Relies on pass 1's listings.
std::vector<Finding> RunParentPass(const Index& index, const Listings& listings,
                                   Subjects subjects = nullptr);

// Pass 3, reachability: unreachable and missing-root; see
// pass_reachability.cpp. Relies on pass 1's listings. Full scans only: a
// scoped check cannot see whether a node reaches the root.
// `root`: the workspace's root, or jcr:versionStorage for the version store.
std::vector<Finding> RunReachabilityPass(const Index& index, const Listings& listings,
                                         const NodeId& root = kRootNodeId);

// All passes in order, findings merged into report order.
std::vector<Finding> RunAllPasses(const Index& index, Subjects subjects = nullptr,
                                  const NodeId& root = kRootNodeId);

inline bool IsSubject(Subjects subjects, uint32_t pos) {
  return subjects == nullptr || (*subjects)[pos];
}

// True for nodes the passes do not check as subjects.
inline bool SkippedAsSubject(const NodeId& id) { return id.IsVirtual() && id != kRootNodeId; }

}  // namespace checker

#endif  // CHECKER_CHECKER_PASSES_H_
