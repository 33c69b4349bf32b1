// The registry table and the message formats. Messages of the four kinds
// Jackrabbit knows are byte for byte those of its ConsistencyCheckerImpl.
#include "checker/problem.h"

namespace checker {
namespace {

constexpr std::array<ProblemInfo, kProblemKindCount> kProblems = {{
    {ProblemKind::kMissing, "missing", "MISSING"},
    {ProblemKind::kDisconnected, "disconnected", "DISCONNECTED"},
    {ProblemKind::kOrphaned, "orphaned", "ORPHANED"},
    {ProblemKind::kAbandoned, "abandoned", "ABANDONED"},
    {ProblemKind::kUnreadable, "unreadable", "UNREADABLE"},
    {ProblemKind::kDuplicateEntry, "duplicate-entry", "DUPLICATE-ENTRY"},
    {ProblemKind::kUnreachable, "unreachable", "UNREACHABLE"},
    {ProblemKind::kMissingRoot, "missing-root", "MISSING-ROOT"},
    {ProblemKind::kDanglingReference, "dangling-reference", "DANGLING-REFERENCE"},
    {ProblemKind::kMissingVersionHistory, "missing-version-history", "MISSING-VERSION-HISTORY"},
}};

std::string Quoted(const NodeId& id) { return "'" + id.ToString() + "'"; }

}  // namespace

const ProblemInfo& Problem(ProblemKind kind) { return kProblems[static_cast<size_t>(kind)]; }

std::optional<ProblemKind> ProblemKindFromId(std::string_view id) {
  for (const ProblemInfo& info : kProblems) {
    if (info.id == id) return info.kind;
  }
  return std::nullopt;
}

bool HasRelated(const Finding& f) {
  switch (f.kind) {
    case ProblemKind::kUnreadable:
    case ProblemKind::kMissingRoot:
      return false;
    case ProblemKind::kUnreachable:
      return f.child_parent.has_value();
    default:
      return true;
  }
}

std::string FindingMessage(const Finding& f) {
  switch (f.kind) {
    case ProblemKind::kMissing:
      return "NodeState " + Quoted(f.node) + " references inexistent child " + Quoted(f.related);
    case ProblemKind::kDisconnected:
      return "Node has invalid parent id: " +
             (f.child_parent ? Quoted(*f.child_parent) : std::string("'null'")) + " (instead of " +
             Quoted(f.node) + ")";
    case ProblemKind::kOrphaned:
      return "NodeState " + Quoted(f.node) + " references inexistent parent id " +
             Quoted(f.related);
    case ProblemKind::kAbandoned:
      return "NodeState " + Quoted(f.node) + " is not referenced by its parent node " +
             Quoted(f.related);
    case ProblemKind::kUnreadable:
      return "bundle cannot be decoded: at byte " + std::to_string(f.offset) + ": expected " +
             f.reason;
    case ProblemKind::kDuplicateEntry:
      return "NodeState " + Quoted(f.node) + " lists child " + Quoted(f.related) + " " +
             std::to_string(f.count) + " times";
    case ProblemKind::kUnreachable:
      return "NodeState " + Quoted(f.node) + " cannot reach the root: " +
             (f.child_parent ? "its parent ids form a cycle through " + Quoted(*f.child_parent)
                             : std::string("its parent id is null")) +
             " (" + std::to_string(f.count) + (f.count == 1 ? " node" : " nodes") + " cut off)";
    case ProblemKind::kMissingRoot:
      return (f.node == kRootNodeId ? "the root node " : "the version storage node ") +
             Quoted(f.node) + " has no bundle";
    case ProblemKind::kDanglingReference:
      return "NodeState " + Quoted(f.node) + " references inexistent node " + Quoted(f.related) +
             (f.reason.empty() ? std::string() : " in property " + f.reason);
    case ProblemKind::kMissingVersionHistory:
      return "NodeState " + Quoted(f.node) + " references inexistent version history " +
             Quoted(f.related);
  }
  return {};
}

}  // namespace checker
