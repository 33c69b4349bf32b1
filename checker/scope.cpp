// How a scoped check works:
// 1. Walk: a worklist starts with the given ids; each node taken from it is
//    read, then its parent and every child are read; with `recursive` each
//    child that exists joins the worklist. Every read is cached, so no bundle
//    is read twice.
// 2. Context for repairs: the parent of every child read (to know whether a
//    child's recorded parent lists it) and the ancestors of the given nodes
//    up to the root (so the planner can tell whether a holder descends from
//    a node, and never closes a cycle).
// 3. Every bundle read goes into an Index, and the passes run on it with only
//    the nodes in scope as subjects: their links and parents were all read,
//    so "absent" in this partial index means "no bundle" for them.
// 4. The double check re-reads what each finding names, as in a full check.
#include "checker/scope.h"

#include <deque>
#include <unordered_map>
#include <unordered_set>

#include "checker/double_check.h"
#include "checker/passes.h"

namespace checker {
namespace {

class ScopeWalker {
 public:
  ScopeWalker(BundleStore& store, const std::string& prefix) : store_(store), prefix_(prefix) {}

  // The bundle of `id` (nullptr if absent), read at most once.
  Result<const Bytes*> Read(const NodeId& id) {
    auto it = read_.find(id);
    if (it == read_.end()) {
      Result<std::optional<Bytes>> bytes = store_.Get(prefix_, id);
      if (!bytes.ok()) return bytes.status();
      it = read_.emplace(id, std::move(*bytes)).first;
    }
    return it->second ? &*it->second : nullptr;
  }

  // Reads `id` and the bundles it names; returns its children when it exists.
  Result<std::vector<NodeId>> Visit(const NodeId& id) {
    Result<const Bytes*> bytes = Read(id);
    if (!bytes.ok()) return bytes.status();
    if (*bytes == nullptr || DecodeGraph(**bytes, GraphOptions{}, &fields_)) {
      return std::vector<NodeId>{};
    }
    std::vector<NodeId> children = fields_.children;
    std::optional<NodeId> parent = fields_.parent;
    if (parent) CHECKER_RETURN_IF_ERROR(Read(*parent).status());
    for (const NodeId& child : children) CHECKER_RETURN_IF_ERROR(ReadWithParent(child));
    return children;
  }

  // Reads the chain of parents above `id` until the root, a gap or a cycle.
  Status ReadAncestors(const NodeId& id) {
    std::unordered_set<NodeId, NodeIdHash> seen;
    std::optional<NodeId> at = id;
    while (at && seen.insert(*at).second) {
      Result<const Bytes*> bytes = Read(*at);
      if (!bytes.ok()) return bytes.status();
      if (*bytes == nullptr || DecodeGraph(**bytes, GraphOptions{}, &fields_)) break;
      at = fields_.parent;
    }
    return Status::Ok();
  }

  // Every bundle read, as an index; `scope` marks the subjects.
  Result<Index> BuildIndex(const std::unordered_set<NodeId, NodeIdHash>& scope, bool collect_links,
                           std::vector<bool>* subjects) const {
    IndexBuilder builder(0, collect_links);
    for (const auto& [id, bytes] : read_) {
      if (bytes) builder.Add(id, *bytes);
    }
    Result<Index> index = builder.Finish();
    if (!index.ok()) return index.status();
    subjects->assign(index->size(), false);
    for (const NodeId& id : scope) {
      if (std::optional<uint32_t> pos = index->Find(id)) (*subjects)[*pos] = true;
    }
    return index;
  }

 private:
  Status ReadWithParent(const NodeId& child) {
    Result<const Bytes*> bytes = Read(child);
    if (!bytes.ok()) return bytes.status();
    if (*bytes == nullptr || DecodeGraph(**bytes, GraphOptions{}, &fields_)) return Status::Ok();
    if (fields_.parent) return Read(*fields_.parent).status();
    return Status::Ok();
  }

  BundleStore& store_;
  const std::string& prefix_;
  std::unordered_map<NodeId, std::optional<Bytes>, NodeIdHash> read_;
  GraphFields fields_;
};

// Steps 1 and 2: reads the scope and its context into `walker`; returns the
// ids in scope.
Result<std::unordered_set<NodeId, NodeIdHash>> WalkScope(ScopeWalker& walker,
                                                         const std::string& workspace,
                                                         const std::string& table_prefix,
                                                         const std::vector<NodeId>& ids,
                                                         bool recursive) {
  for (const NodeId& id : ids) {
    Result<const Bytes*> bytes = walker.Read(id);
    if (!bytes.ok()) return bytes.status();
    if (*bytes == nullptr) {
      return Status::NotFound("no bundle for node " + id.ToString() + " in workspace '" +
                              workspace + "' (table " + table_prefix + "BUNDLE)");
    }
    CHECKER_RETURN_IF_ERROR(walker.ReadAncestors(id));
  }
  std::unordered_set<NodeId, NodeIdHash> scope;
  std::deque<NodeId> work(ids.begin(), ids.end());
  while (!work.empty()) {
    NodeId id = work.front();
    work.pop_front();
    if (!scope.insert(id).second) continue;
    Result<std::vector<NodeId>> children = walker.Visit(id);
    if (!children.ok()) return children.status();
    if (!recursive) continue;
    for (const NodeId& child : *children) {
      Result<const Bytes*> bytes = walker.Read(child);
      if (!bytes.ok()) return bytes.status();
      if (*bytes != nullptr && !scope.count(child)) work.push_back(child);
    }
  }
  return scope;
}

}  // namespace

Result<WorkspaceCheck> CheckScope(BundleStore& store, const std::string& workspace,
                                  const std::string& table_prefix, const std::vector<NodeId>& ids,
                                  bool recursive, bool collect_links) {
  ScopeWalker walker(store, table_prefix);
  // One snapshot for the walk: the bundles read agree with each other (and
  // on SQLite the reads share one read transaction). The double check then
  // reads a snapshot of its own, as in a full check.
  Result<std::unique_ptr<ReadSnapshot>> snapshot = store.BeginReadSnapshot();
  if (!snapshot.ok()) return snapshot.status();
  Result<std::unordered_set<NodeId, NodeIdHash>> walked =
      WalkScope(walker, workspace, table_prefix, ids, recursive);
  if (!walked.ok()) return walked.status();
  CHECKER_RETURN_IF_ERROR((*snapshot)->End());
  const std::unordered_set<NodeId, NodeIdHash>& scope = *walked;
  std::vector<bool> subjects;
  Result<Index> index = walker.BuildIndex(scope, collect_links, &subjects);
  if (!index.ok()) return index.status();

  WorkspaceCheck check;
  check.workspace = workspace;
  check.table_prefix = table_prefix;
  check.nodes = scope.size();
  check.index = std::move(*index);
  Result<DoubleCheckResult> rechecked =
      DoubleCheck(store, table_prefix, RunAllPasses(check.index, &subjects));
  if (!rechecked.ok()) return rechecked.status();
  check.findings = std::move(rechecked->confirmed);
  check.dropped = std::move(rechecked->dropped);
  check.subjects = std::move(subjects);
  return check;
}

}  // namespace checker
