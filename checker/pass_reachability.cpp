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
// How, in two steps. First the threads each walk up from the nodes of their
// own position range, attached link by attached link. The nodes of a path
// that ends at a root, or at a node known to be reachable, are marked
// reachable; those of a path that ends at a link that passes 1-2 report, or
// at a node known to be so, are marked explained. Any other end (a detached
// component, a cycle, a walk cut short) leaves the path to the second step,
// which counts the components. A path is marked as the thread goes, so that
// the others stop at it: a thread waits for the outcome of a path of a
// lower-numbered thread and walks on through one of a higher-numbered thread
// (thread 0 never waits, so no thread waits for ever). Second, one thread
// walks up from each node left, the same way, until a node whose state is
// known; the whole path then takes that state. A node met again on the same
// path closes a cycle. One byte of state per node, plus a map for the (rare)
// nodes of detached components.
//
// Relies on: pass 1's listings.
#include <algorithm>
#include <atomic>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "checker/parallel.h"
#include "checker/passes.h"

namespace checker {
namespace {

enum State : uint8_t {
  kUnseen,
  kReachable,
  kExplained,
  kDetached,
  kOnPath,       // on the path of the walk of step 2
  kLeft,         // step 1: neither reachable nor explained, for step 2
  kThreadsPath,  // step 1: on the path of thread t is kThreadsPath + t
};
static_assert(kThreadsPath + kMaxThreads <= 256);

// Position -> position, for the nodes of detached components: open
// addressing in one block, sized once for the nodes step 2 walks (a map with
// a heap node per entry cost more than the walks themselves).
class PositionMap {
 public:
  // Room for `entries` keys, at most half full.
  void Reserve(size_t entries) {
    int bits = 4;
    while ((size_t{1} << bits) < 2 * entries) ++bits;
    shift_ = 64 - bits;
    slots_.assign(size_t{1} << bits, {kEmpty, 0});
  }
  void Set(uint32_t key, uint32_t value) {
    size_t i = Slot(key);
    while (slots_[i].first != kEmpty && slots_[i].first != key) i = (i + 1) & (slots_.size() - 1);
    slots_[i] = {key, value};
  }
  // REQUIRES: Set(key, ...) was called.
  uint32_t Get(uint32_t key) const {
    size_t i = Slot(key);
    while (slots_[i].first != key) i = (i + 1) & (slots_.size() - 1);
    return slots_[i].second;
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;  // never a position
  size_t Slot(uint32_t key) const { return (key * 0x9E3779B97F4A7C15ull) >> shift_; }

  std::vector<std::pair<uint32_t, uint32_t>> slots_;
  int shift_ = 60;
};

class ReachabilityWalk {
 public:
  ReachabilityWalk(const Index& index, const Listings& listings, const NodeId& root)
      : index_(index), listings_(listings), root_(root), state_(index.size(), kUnseen) {}

  std::vector<Finding> Run() {
    MarkReachable();
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

  // For a node whose parent link is not attached: passes 1-2 have reported
  // it, unless nothing disagrees (a null parent, and no node lists it).
  bool Explained(uint32_t pos) const {
    return index_.parent(pos) != kNullRef || listings_.by_anyone[pos];
  }

  uint8_t Load(uint32_t pos) {
    return std::atomic_ref<uint8_t>(state_[pos]).load(std::memory_order_relaxed);
  }
  void Store(uint32_t pos, uint8_t state) {
    std::atomic_ref<uint8_t>(state_[pos]).store(state, std::memory_order_relaxed);
  }

  // Step 1 for the nodes in [begin, end), as thread `t`.
  void MarkReachable(uint32_t begin, uint32_t end, int t) {
    const auto mine = static_cast<uint8_t>(kThreadsPath + t);
    std::vector<uint32_t> path;
    for (uint32_t start = begin; start < end; ++start) {
      if (Load(start) != kUnseen) continue;  // done, or on a path that will be
      path.clear();
      uint8_t outcome = kLeft;
      for (uint32_t x = start; path.size() <= index_.size();) {
        uint8_t state = Load(x);
        while (state >= kThreadsPath && state < mine) {  // a lower thread's path
          std::this_thread::yield();
          state = Load(x);
        }
        if (state == kReachable || state == kExplained) outcome = state;
        if (state == kReachable || state == kExplained || state == kLeft || state == mine) break;
        Store(x, mine);
        path.push_back(x);
        if (IsWalkRoot(x)) {
          outcome = kReachable;
          break;
        }
        Ref parent = index_.parent(x);
        if (!Index::IsNode(parent) || !listings_.by_parent[x]) {
          if (Explained(x)) outcome = kExplained;
          break;
        }
        x = parent;
      }
      for (uint32_t node : path) Store(node, outcome);
    }
  }

  void MarkReachable() {
    const int threads = PassThreads(index_);
    RunOnThreads(threads, [&](int t) {
      auto [begin, end] = SplitRange(index_.size(), threads, t);
      MarkReachable(static_cast<uint32_t>(begin), static_cast<uint32_t>(end), t);
    });
    size_t left = 0;
    for (uint8_t& state : state_) {
      if (state != kReachable && state != kExplained) {
        state = kUnseen;
        ++left;
      }
    }
    top_of_.Reserve(left);
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
        if (outcome == kDetached) top = top_of_.Get(x);
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
      outcome = Explained(x) ? kExplained : kDetached;
      top = x;
      break;
    }
    for (uint32_t node : path_) {
      state_[node] = outcome;
      if (outcome == kDetached) top_of_.Set(node, top);
    }
    if (outcome == kDetached) size_of_[top] += path_.size();
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
  PositionMap top_of_;  // of the nodes of detached components
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
