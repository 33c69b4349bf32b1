// The repair planner: findings + index in, a list of bundle edits out.
//
// Pure and deterministic: the same store gives the same plan; nothing depends
// on clocks or random numbers. It rests on one principle: a child entry is
// the authoritative record of where a node lives (only it carries the node's
// name), and a node's parent id follows it, the way e2fsck trusts directory
// entries over "..". For each node C named by a finding, with recorded parent
// P and holders H (readable nodes whose entries name C, P and C's shared-set
// parents excluded):
//
//   an entry names a node that does not exist   remove the entry (all of them)
//   P lists C                                   every holder loses its entries
//   P does not list C, some holder does         C's parent id := the lowest-id
//                                               holder that does not descend
//                                               from C; the others lose theirs
//   nobody lists C, P exists                    add an entry for C on P
//   nobody lists C, P does not exist            move C under lost+found
//   N lists C more than once                    keep the first entry
//   a detached component (cycle, null parent)   move its top under lost+found
//                                               (its parent in a cycle loses
//                                               the entry)
//
// Edits say what changes, not the bytes: Materialize (repair.h) applies them
// to the bundles as they are when the transaction reads them, and picks the
// names of added entries. Nothing is ever deleted; a node whose bundle is
// unreadable is never rewritten.
#ifndef CHECKER_CHECKER_PLANNER_H_
#define CHECKER_CHECKER_PLANNER_H_

#include <optional>
#include <string>
#include <vector>

#include "checker/index.h"
#include "checker/problem.h"

namespace checker {

// What happens to one bundle.
struct NodeEdit {
  NodeId id;
  std::vector<NodeId> remove_entries_for;  // every entry naming one of these goes
  std::vector<NodeId> dedupe_entries_for;  // only the first entry naming one of these stays
  std::vector<NodeId> add_entries_for;     // one entry each, named from the child's id
  bool set_parent = false;
  std::optional<NodeId> new_parent;  // with set_parent; nullopt would mean null
};

// What is done about one finding.
enum class RepairAction {
  kRemovedEntry,        // the holder's entry (entries) for the node went
  kRemovedDuplicates,   // the holder keeps the first of its entries for the child
  kParentSetToHolder,   // the node's parent id now names the holder that lists it
  kEntryAddedOnParent,  // the parent got an entry for the node back
  kMovedToLostFound,    // the node now hangs under lost+found
  kNoLostFound,         // not repaired: an orphan, and no lost+found configured
  kUnreadable,          // not repaired: the bundle cannot be read, so never rewritten
  kParentUnreadable,    // not repaired: the parent's bundle cannot be read
  kIsLostFound,         // not repaired: lost+found itself is orphaned (or below it)
  kRootMissing,         // not repaired: a root bundle has to come from a backup
  kLeftAlone,           // not repaired: a property value; only the user knows what it should be
};

struct Outcome {
  RepairAction action = RepairAction::kUnreadable;
  NodeId target;  // the new parent, or the node that got an entry
  bool repaired() const;
};

struct Plan {
  std::vector<NodeEdit> edits;    // sorted by id, at most one per node
  std::vector<Outcome> outcomes;  // one per finding, in the findings' order
};

struct PlanOptions {
  std::optional<NodeId> lost_found;  // REQUIRES: exists in the index, readable
};

Plan PlanRepairs(const Index& index, const std::vector<Finding>& findings,
                 const PlanOptions& options);

}  // namespace checker

#endif  // CHECKER_CHECKER_PLANNER_H_
