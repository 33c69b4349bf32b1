// How the plan is made:
// 1. The nodes to decide about are the subjects of orphaned/abandoned findings
//    and the children of disconnected ones. One pass over every child entry
//    of the index collects their holders (a bitset marks who is wanted).
// 2. Each such node C is decided once, in id order (see planner.h for the
//    rules). Re-parenting C under a holder must not close a cycle: the walk up
//    from the holder uses the parents as already planned, so a later decision
//    sees the earlier ones and the planned tree stays a tree.
// 3. Missing entries are removed from their holders directly; duplicate
//    entries are cut down to the first; the top of each detached component
//    moves under lost+found.
// 4. Every finding gets the outcome of the decision that covers it.
#include "checker/planner.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace checker {
namespace {

enum class Decision {
  kParentListsIt,      // the other holders lose their entries
  kParentSetToHolder,  // C's parent := chosen holder; other holders lose theirs
  kEntryAddedOnParent,
  kMovedToLostFound,
  kNoLostFound,
  kParentUnreadable,
  kIsLostFound,
  kRootListed,  // the root has no parent: every holder loses its entry
};

struct Decided {
  Decision decision;
  uint32_t new_parent = 0;  // kParentSetToHolder
};

class Planner {
 public:
  Planner(const Index& index, const PlanOptions& options) : index_(index) {
    if (options.lost_found) lost_found_ = index.Find(*options.lost_found);
  }

  Plan Run(const std::vector<Finding>& findings);

 private:
  std::vector<uint32_t> NodesToDecide(const std::vector<Finding>& findings) const;
  void CollectHolders(const std::vector<uint32_t>& nodes);
  Decided Decide(uint32_t c);
  Decided DecideUnlisted(uint32_t c);
  Ref PlannedParent(uint32_t pos) const;
  bool DescendsFrom(uint32_t node, uint32_t ancestor) const;
  void Reparent(uint32_t c, uint32_t new_parent);
  NodeEdit& EditOf(uint32_t pos);
  Outcome OutcomeOf(const Finding& f) const;
  Outcome DuplicateOutcome(const Finding& f) const;
  Decided AttachDetached(const Finding& f);

  const Index& index_;
  std::optional<uint32_t> lost_found_;
  std::unordered_map<uint32_t, std::vector<uint32_t>> holders_;
  std::unordered_map<uint32_t, Ref> planned_parent_;
  std::unordered_map<uint32_t, Decided> decided_;
  std::unordered_map<uint32_t, Decided> detached_;  // unreachable tops
  std::map<NodeId, NodeEdit> edits_;
};

std::vector<uint32_t> Planner::NodesToDecide(const std::vector<Finding>& findings) const {
  std::vector<uint32_t> nodes;
  for (const Finding& f : findings) {
    const NodeId* subject = nullptr;
    if (f.kind == ProblemKind::kDisconnected) subject = &f.related;
    if (f.kind == ProblemKind::kOrphaned || f.kind == ProblemKind::kAbandoned) subject = &f.node;
    if (subject == nullptr) continue;
    if (std::optional<uint32_t> pos = index_.Find(*subject)) nodes.push_back(*pos);
  }
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  return nodes;
}

void Planner::CollectHolders(const std::vector<uint32_t>& nodes) {
  std::vector<bool> wanted(index_.size(), false);
  for (uint32_t c : nodes) wanted[c] = true;
  for (uint32_t h = 0; h < index_.size(); ++h) {
    for (Ref c : index_.children(h)) {
      if (!Index::IsNode(c) || !wanted[c]) continue;
      std::vector<uint32_t>& list = holders_[c];
      if (list.empty() || list.back() != h) list.push_back(h);
    }
  }
}

Ref Planner::PlannedParent(uint32_t pos) const {
  auto it = planned_parent_.find(pos);
  return it != planned_parent_.end() ? it->second : index_.parent(pos);
}

// Walks up the planned parents. A parent cycle that does not pass through
// `ancestor` is noticed by Brent's method (a mark moved to the walker at
// doubling distances; meeting the mark again closes the cycle), so the walk
// costs the path plus at most about three times the cycle, never the index.
bool Planner::DescendsFrom(uint32_t node, uint32_t ancestor) const {
  uint32_t x = node;
  uint32_t mark = node;
  uint64_t leg = 0;
  uint64_t leg_length = 1;
  while (x != ancestor) {
    Ref up = PlannedParent(x);
    if (!Index::IsNode(up)) return false;
    x = up;
    if (x == mark) return false;  // around a cycle that does not hold `ancestor`
    if (++leg == leg_length) {
      mark = x;
      leg = 0;
      leg_length *= 2;
    }
  }
  return true;
}

NodeEdit& Planner::EditOf(uint32_t pos) {
  NodeEdit& edit = edits_[index_.id(pos)];
  edit.id = index_.id(pos);
  return edit;
}

void Planner::Reparent(uint32_t c, uint32_t new_parent) {
  NodeEdit& edit = EditOf(c);
  edit.set_parent = true;
  edit.new_parent = index_.id(new_parent);
  planned_parent_[c] = new_parent;
}

Decided Planner::Decide(uint32_t c) {
  const NodeId& id = index_.id(c);
  const Ref parent = index_.parent(c);
  const std::vector<uint32_t>& holders = holders_[c];
  const bool parent_lists =
      Index::IsNode(parent) && std::count(holders.begin(), holders.end(), parent) > 0;
  std::vector<uint32_t> others;
  for (uint32_t h : holders) {
    if (h != parent && !index_.InSharedSet(c, index_.id(h))) others.push_back(h);
  }
  for (uint32_t h : others) EditOf(h).remove_entries_for.push_back(id);
  if (id == kRootNodeId) return {Decision::kRootListed};
  if (parent_lists) return {Decision::kParentListsIt};
  for (uint32_t h : others) {
    if (DescendsFrom(h, c)) continue;
    auto& removals = EditOf(h).remove_entries_for;
    removals.erase(std::find(removals.begin(), removals.end(), id));
    Reparent(c, h);
    return {Decision::kParentSetToHolder, h};
  }
  return DecideUnlisted(c);
}

// Nobody (that may) lists C: back on its parent, or into lost+found.
Decided Planner::DecideUnlisted(uint32_t c) {
  const Ref parent = index_.parent(c);
  if (Index::IsNode(parent)) {
    if (index_.unreadable(parent)) return {Decision::kParentUnreadable};
    EditOf(parent).add_entries_for.push_back(index_.id(c));
    return {Decision::kEntryAddedOnParent};
  }
  if (!lost_found_) return {Decision::kNoLostFound};
  if (DescendsFrom(*lost_found_, c)) return {Decision::kIsLostFound};
  EditOf(*lost_found_).add_entries_for.push_back(index_.id(c));
  Reparent(c, *lost_found_);
  return {Decision::kMovedToLostFound};
}

// A detached component's top goes under lost+found, unless lost+found is in
// the component; in a cycle, the top's parent gives up its entry.
Decided Planner::AttachDetached(const Finding& f) {
  uint32_t top = *index_.Find(f.node);
  if (!lost_found_) return {Decision::kNoLostFound};
  if (DescendsFrom(*lost_found_, top)) return {Decision::kIsLostFound};
  Ref parent = index_.parent(top);
  if (Index::IsNode(parent)) EditOf(parent).remove_entries_for.push_back(f.node);
  EditOf(*lost_found_).add_entries_for.push_back(f.node);
  Reparent(top, *lost_found_);
  return {Decision::kMovedToLostFound};
}

// Kept-first, unless the holder loses every entry for the child anyway.
Outcome Planner::DuplicateOutcome(const Finding& f) const {
  auto edit = edits_.find(f.node);
  if (edit != edits_.end()) {
    const auto& removals = edit->second.remove_entries_for;
    if (std::count(removals.begin(), removals.end(), f.related)) {
      return {RepairAction::kRemovedEntry};
    }
  }
  return {RepairAction::kRemovedDuplicates};
}

Outcome Planner::OutcomeOf(const Finding& f) const {
  switch (f.kind) {
    case ProblemKind::kUnreadable:
      return {RepairAction::kUnreadable};
    case ProblemKind::kMissing:
      return {RepairAction::kRemovedEntry};
    case ProblemKind::kMissingRoot:
      return {RepairAction::kRootMissing};
    case ProblemKind::kDanglingReference:
    case ProblemKind::kMissingVersionHistory:
      return {RepairAction::kLeftAlone};
    case ProblemKind::kDuplicateEntry:
      return DuplicateOutcome(f);
    default:
      break;
  }
  const NodeId& subject = f.kind == ProblemKind::kDisconnected ? f.related : f.node;
  const Decided& d = f.kind == ProblemKind::kUnreachable ? detached_.at(*index_.Find(subject))
                                                         : decided_.at(*index_.Find(subject));
  if (f.kind == ProblemKind::kDisconnected) {
    if (d.decision == Decision::kParentSetToHolder && index_.id(d.new_parent) == f.node) {
      return {RepairAction::kParentSetToHolder, f.node};
    }
    return {RepairAction::kRemovedEntry};
  }
  switch (d.decision) {
    case Decision::kParentSetToHolder:
      return {RepairAction::kParentSetToHolder, index_.id(d.new_parent)};
    case Decision::kEntryAddedOnParent:
      return {RepairAction::kEntryAddedOnParent, f.related};
    case Decision::kMovedToLostFound:
      return {RepairAction::kMovedToLostFound, index_.id(*lost_found_)};
    case Decision::kNoLostFound:
      return {RepairAction::kNoLostFound};
    case Decision::kParentUnreadable:
      return {RepairAction::kParentUnreadable, f.related};
    case Decision::kIsLostFound:
    case Decision::kParentListsIt:
    case Decision::kRootListed:
      break;
  }
  return {RepairAction::kIsLostFound};
}

Plan Planner::Run(const std::vector<Finding>& findings) {
  std::vector<uint32_t> nodes = NodesToDecide(findings);
  CollectHolders(nodes);
  for (uint32_t c : nodes) decided_[c] = Decide(c);
  for (const Finding& f : findings) {
    std::optional<uint32_t> node = index_.Find(f.node);
    if (!node) continue;
    if (f.kind == ProblemKind::kMissing) EditOf(*node).remove_entries_for.push_back(f.related);
    if (f.kind == ProblemKind::kDuplicateEntry) {
      EditOf(*node).dedupe_entries_for.push_back(f.related);
    }
    if (f.kind == ProblemKind::kUnreachable) detached_[*node] = AttachDetached(f);
  }
  Plan plan;
  for (const Finding& f : findings) plan.outcomes.push_back(OutcomeOf(f));
  for (auto& [id, edit] : edits_) {
    auto& removals = edit.remove_entries_for;
    std::sort(removals.begin(), removals.end());
    removals.erase(std::unique(removals.begin(), removals.end()), removals.end());
    std::erase_if(edit.dedupe_entries_for, [&](const NodeId& id) {
      return std::binary_search(removals.begin(), removals.end(), id);
    });
    if (removals.empty() && edit.dedupe_entries_for.empty() && edit.add_entries_for.empty() &&
        !edit.set_parent) {
      continue;
    }
    plan.edits.push_back(std::move(edit));
  }
  return plan;
}

}  // namespace

bool Outcome::repaired() const {
  switch (action) {
    case RepairAction::kRemovedEntry:
    case RepairAction::kRemovedDuplicates:
    case RepairAction::kParentSetToHolder:
    case RepairAction::kEntryAddedOnParent:
    case RepairAction::kMovedToLostFound:
      return true;
    case RepairAction::kNoLostFound:
    case RepairAction::kUnreadable:
    case RepairAction::kParentUnreadable:
    case RepairAction::kIsLostFound:
    case RepairAction::kRootMissing:
    case RepairAction::kLeftAlone:
      return false;
  }
  return false;
}

Plan PlanRepairs(const Index& index, const std::vector<Finding>& findings,
                 const PlanOptions& options) {
  return Planner(index, options).Run(findings);
}

}  // namespace checker
