// Edits are applied in a fixed order (remove entries, set the parent, add
// entries) so the result never depends on how the plan was put together.
// An added entry is named after the child's uuid, in the empty namespace,
// like e2fsck's "#<inode>" in lost+found; a name the holder already uses gets
// a numbered suffix. Nothing here looks at a clock or a random number.
#include "checker/repair.h"

#include <algorithm>
#include <utility>

#include "checker/config.h"
#include "model/bundle_codec.h"

namespace checker {
namespace {

bool HasChildNamed(const Bundle& bundle, const Name& name) {
  return std::any_of(bundle.children.begin(), bundle.children.end(),
                     [&](const ChildEntry& e) { return e.name == name; });
}

Name FreeName(const Bundle& bundle, const NodeId& child) {
  const std::string base = child.ToString();
  Name name{"", base};
  for (int n = 2; HasChildNamed(bundle, name); ++n) name.local = base + "_" + std::to_string(n);
  return name;
}

std::string Quoted(const NodeId& id) { return "'" + id.ToString() + "'"; }

}  // namespace

void ApplyEdit(const NodeEdit& edit, Bundle* bundle, std::map<NodeId, std::string>* added_names) {
  const auto& removals = edit.remove_entries_for;
  std::erase_if(bundle->children, [&](const ChildEntry& e) {
    return std::find(removals.begin(), removals.end(), e.id) != removals.end();
  });
  for (const NodeId& child : edit.dedupe_entries_for) {
    bool seen = false;
    std::erase_if(bundle->children, [&](const ChildEntry& e) {
      if (e.id != child) return false;
      return std::exchange(seen, true);
    });
  }
  if (edit.set_parent) bundle->parent = edit.new_parent;
  for (const NodeId& child : edit.add_entries_for) {
    Name name = FreeName(*bundle, child);
    (*added_names)[child] = name.local;
    bundle->children.push_back({std::move(name), child});
  }
  // A Java short: 32767 + 1 wraps to -32768.
  bundle->mod_count = static_cast<int16_t>(static_cast<uint16_t>(bundle->mod_count) + 1);
}

Result<Materialized> Materialize(const Plan& plan, const std::string& table_prefix,
                                 const BundleReader& read) {
  Materialized out;
  for (const NodeEdit& edit : plan.edits) {
    Result<std::optional<Bytes>> before = read(edit.id);
    if (!before.ok()) return before.status();
    if (!before->has_value()) {
      return Status::Corruption("bundle " + edit.id.ToString() +
                                " has vanished since the check; nothing was written");
    }
    Result<Bundle, BundleError> bundle = DecodeBundle(**before);
    if (!bundle.ok()) {
      return Status::Corruption("bundle " + edit.id.ToString() + " cannot be decoded any more (" +
                                bundle.error().ToString() + "); nothing was written");
    }
    ApplyEdit(edit, &*bundle, &out.added_names);
    Result<Bytes> after = EncodeBundle(*bundle);
    if (!after.ok()) return after.status().WithContext("re-encoding " + edit.id.ToString());
    out.rewrites.push_back({table_prefix, edit.id, std::move(**before), std::move(*after)});
  }
  return out;
}

std::string RepairText(const Finding& f, const Outcome& outcome, bool done,
                       const std::map<NodeId, std::string>& added_names,
                       const std::string& workspace) {
  auto name_of = [&](const NodeId& child) {
    auto it = added_names.find(child);
    return it == added_names.end() ? std::string() : " as '" + it->second + "'";
  };
  const std::string will = done ? "" : "would ";
  switch (outcome.action) {
    case RepairAction::kRemovedEntry:
      return done ? "removed the child entry" : "would remove the child entry";
    case RepairAction::kRemovedDuplicates:
      return will + (done ? "removed" : "remove") + " the extra entries; the first one is kept";
    case RepairAction::kParentSetToHolder:
      if (f.kind == ProblemKind::kDisconnected) {
        return will + "set the parent id of " + Quoted(f.related) + " to this node, which lists it";
      }
      return will + "set its parent id to " + Quoted(outcome.target) + ", which lists it";
    case RepairAction::kEntryAddedOnParent:
      return done ? "added a child entry on " + Quoted(outcome.target) + name_of(f.node)
                  : "would add a child entry on " + Quoted(outcome.target);
    case RepairAction::kMovedToLostFound:
      return done ? "moved under lost+found " + Quoted(outcome.target) + name_of(f.node)
                  : "would move it under lost+found " + Quoted(outcome.target);
    case RepairAction::kNoLostFound:
      // --lost-found names a node of the workspaces, never of the version store.
      return "not repaired: no lost+found node configured (set check." + workspace +
             ".lostnfound" +
             (workspace == kVersionWorkspaceName ? ")" : " or pass --lost-found UUID)");
    case RepairAction::kUnreadable:
      return "not repaired: fix never rewrites a bundle it cannot read";
    case RepairAction::kParentUnreadable:
      return "not repaired: the parent's bundle cannot be read";
    case RepairAction::kIsLostFound:
      return "not repaired: the lost+found node is this node or lies below it";
    case RepairAction::kRootMissing:
      return f.node == kRootNodeId
                 ? "not repaired: the root bundle has to be restored from a backup"
                 : "not repaired: the version storage bundle has to be restored from a backup";
    case RepairAction::kLeftAlone:
      return f.kind == ProblemKind::kMissingVersionHistory
                 ? "not repaired: restore the version history from a backup, or remove "
                   "the node's versioning properties (Jackrabbit's version recovery does)"
                 : "not repaired: set the property to an existing node or remove it";
  }
  return {};
}

}  // namespace checker
