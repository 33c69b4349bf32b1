// Pass 3: reachability.
//
// Checks: the root has a bundle (missing-root), and every node reaches the
// root (in the version store: jcr:versionStorage) through parent ids whose parents list it. A node
// that does not, and whose trouble is not already a finding of passes 1-2 (its parent absent:
// orphaned; its parent not listing it: abandoned; a null parent while some
// node lists it: disconnected), belongs to a detached component: a subtree
// whose top has a null parent, or nodes whose parent ids form a cycle. Each component is reported
// once, on its top node (for a cycle, the lowest id in it), with its size.
//
// Roots of the walk: the root node, and every virtual node (the system nodes
// that Jackrabbit manages, such as jcr:versionStorage in the version store,
// whose parent lives in another store).
//
// How: each node is walked up, attached link by attached link, until a node
// whose state is known; the whole path then takes that state. A node met
// again on the same path closes a cycle. One byte of state per node, plus a
// map for the (rare) nodes of detached components.
//
// Relies on: pass 1's listings.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "checker/passes.h"

namespace checker {
namespace {

enum State : uint8_t { kUnseen, kOnPath, kReachable, kExplained, kDetached };

class ReachabilityWalk {
 public:
  ReachabilityWalk(const Index& index, const Listings& listings, const NodeId& root)
      : index_(index), listings_(listings), root_(root), state_(index.size(), kUnseen) {}

  std::vector<Finding> Run() {
    for (uint32_t start = 0; start < index_.size(); ++start) {
      if (state_[start] == kUnseen) Walk(start);
    }
    return Findings();
  }

 private:
  bool IsWalkRoot(uint32_t pos) const {
    const NodeId& id = index_.id(pos);
    return id == root_ || id.IsVirtual();
  }

  void Walk(uint32_t start) {
    path_.clear();
    uint32_t x = start;
    State outcome;
    uint32_t top = 0;
    while (true) {
      if (state_[x] == kOnPath) {  // a cycle: its lowest id is the top
        auto first = std::find(path_.begin(), path_.end(), x);
        top = *std::min_element(first, path_.end());
        cycles_.insert(top);
        outcome = kDetached;
        break;
      }
      if (state_[x] != kUnseen) {
        outcome = static_cast<State>(state_[x]);
        if (outcome == kDetached) top = top_of_.at(x);
        break;
      }
      state_[x] = kOnPath;
      path_.push_back(x);
      if (IsWalkRoot(x)) {
        outcome = kReachable;
        break;
      }
      Ref parent = index_.parent(x);
      if (Index::IsNode(parent) && listings_.by_parent[x]) {
        x = parent;
        continue;
      }
      // Otherwise passes 1-2 have reported it, unless nothing disagrees.
      outcome = parent == kNullRef && !listings_.by_anyone[x] ? kDetached : kExplained;
      top = x;
      break;
    }
    for (uint32_t node : path_) {
      state_[node] = outcome;
      if (outcome == kDetached) {
        top_of_[node] = top;
        ++size_of_[top];
      }
    }
  }

  std::vector<Finding> Findings() const {
    std::vector<Finding> findings;
    std::vector<uint32_t> tops;
    for (const auto& [top, size] : size_of_) tops.push_back(top);
    std::sort(tops.begin(), tops.end());
    for (uint32_t top : tops) {
      Finding f{.kind = ProblemKind::kUnreachable, .node = index_.id(top)};
      f.count = size_of_.at(top);
      if (cycles_.count(top)) {
        f.related = index_.RefId(index_.parent(top));
        f.child_parent = f.related;
      }
      findings.push_back(std::move(f));
    }
    return findings;
  }

  const Index& index_;
  const Listings& listings_;
  const NodeId root_;
  std::vector<uint8_t> state_;
  std::vector<uint32_t> path_;
  std::unordered_map<uint32_t, uint32_t> top_of_;
  std::unordered_map<uint32_t, uint64_t> size_of_;
  std::unordered_set<uint32_t> cycles_;
};

}  // namespace

std::vector<Finding> RunReachabilityPass(const Index& index, const Listings& listings,
                                         const NodeId& root) {
  std::vector<Finding> findings;
  if (!index.Find(root)) findings.push_back({.kind = ProblemKind::kMissingRoot, .node = root});
  std::vector<Finding> detached = ReachabilityWalk(index, listings, root).Run();
  findings.insert(findings.end(), detached.begin(), detached.end());
  return findings;
}

}  // namespace checker
