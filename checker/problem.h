// The problem registry: every kind of inconsistency the checker can report,
// with its stable id, its report label and its message. What fix does about
// a finding depends on its neighbours, and is planned in planner.h.
//
// Detection code (the passes) only creates Finding values; it never prints
// and never decides what happens to a finding. Messages are formed here, in
// one place, so that they stay exactly Jackrabbit's where Jackrabbit has a
// word for the problem (ConsistencyCheckerImpl's report items).
#ifndef CHECKER_CHECKER_PROBLEM_H_
#define CHECKER_CHECKER_PROBLEM_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/node_id.h"

namespace checker {

// Stable: the numeric order is the order kinds appear in summaries, and the
// ids are part of the JSON output contract.
enum class ProblemKind : uint8_t {
  kMissing,            // a child entry names a node that does not exist
  kDisconnected,       // a child entry names a node whose parent id is another node
  kOrphaned,           // a node's parent id names a node that does not exist
  kAbandoned,          // a node's parent exists but has no child entry for it
  kUnreadable,         // a bundle that cannot be decoded
  kDuplicateEntry,     // a node lists the same child id more than once
  kUnreachable,        // links agree, but parent ids never reach the root (cycle, detached subtree)
  kMissingRoot,        // the workspace's root node has no bundle
  kDanglingReference,  // a REFERENCE value names a node that exists in no checked store
  kMissingVersionHistory,  // a jcr:versionHistory value names no node of the version store
};
inline constexpr size_t kProblemKindCount = 10;

struct ProblemInfo {
  ProblemKind kind;
  std::string_view id;     // JSON "kind": "missing", ...
  std::string_view label;  // text form: "MISSING", ...
};

const ProblemInfo& Problem(ProblemKind kind);
// The kind whose id is `id`, if any.
std::optional<ProblemKind> ProblemKindFromId(std::string_view id);

// One inconsistency, as the passes find it.
struct Finding {
  ProblemKind kind = ProblemKind::kMissing;
  NodeId node;  // the node the item is reported on (the holder for missing/disconnected)
  // The child id for missing/disconnected, the parent id for orphaned/abandoned.
  NodeId related;
  // dangling-reference: the node the REFERENCE names; missing-version-history:
  // the history the node names.
  // disconnected: the child's recorded parent; nullopt when it is null.
  // unreachable: the top node's parent in the cycle; nullopt for a null parent.
  std::optional<NodeId> child_parent;
  // unreadable: where decoding failed and why. dangling-reference: the
  // property that holds the value (filled by the double check; may be empty).
  uint64_t offset = 0;
  std::string reason;
  // duplicate-entry: how many entries name the child; unreachable: how many
  // nodes the detached component holds.
  uint64_t count = 0;

  friend bool operator==(const Finding&, const Finding&) = default;
};

// Jackrabbit's message for a finding, e.g.
//   NodeState '<N>' references inexistent child '<C>'
std::string FindingMessage(const Finding& finding);

// Whether `related` means anything for this finding (not for unreadable,
// missing-root, or an unreachable node whose parent id is null).
bool HasRelated(const Finding& finding);

}  // namespace checker

#endif  // CHECKER_CHECKER_PROBLEM_H_
