// Each finding's condition is evaluated again on freshly read bundles, with
// the rules of Jackrabbit's doubleCheckErrors:
//   missing(N, C):      C absent, N present and still listing C
//   disconnected(N, C): C present with a parent other than N (and N not in its
//                       shared set), N present and still listing C
//   orphaned(N, P):     P absent, N present with parent P
//   abandoned(N, P):    N present with parent P, P present and not listing N
//   unreadable(N):      N present and still undecodable
//   duplicate-entry(N, C): N present and listing C twice or more
//   missing-root:       the root absent
//   unreachable(T):     walking up from T by point lookups meets T again (a
//                       cycle) or ends at a null parent, never at the root
// A bundle that has become unreadable makes its findings unknowable: they are
// dropped here, and the unreadable bundle is what a second run reports.
// Bundles are read once each, however many findings name them.
#include "checker/double_check.h"

#include <algorithm>
#include <map>

#include "model/bundle_codec.h"

namespace checker {
namespace {

struct Reread {
  bool present = false;
  std::optional<BundleError> error;  // present but undecodable
  GraphFields fields;
};

class BundleCache {
 public:
  explicit BundleCache(const PointReader& read) : read_(read) {}

  Result<const Reread*> Get(const NodeId& id) {
    auto it = cache_.find(id);
    if (it != cache_.end()) return &it->second;
    Result<std::optional<Bytes>> bytes = read_(id);
    if (!bytes.ok()) return bytes.status();
    Reread& entry = cache_[id];
    if (bytes->has_value()) {
      entry.present = true;
      entry.error = DecodeGraph(**bytes, GraphOptions{}, &entry.fields);
    }
    return &entry;
  }

 private:
  const PointReader& read_;
  std::map<NodeId, Reread> cache_;
};

bool Readable(const Reread& r) { return r.present && !r.error; }

bool Lists(const Reread& holder, const NodeId& child) {
  const auto& ids = holder.fields.children;
  return std::find(ids.begin(), ids.end(), child) != ids.end();
}

bool HasParent(const Reread& node, const NodeId& parent) {
  return node.fields.parent && *node.fields.parent == parent;
}

// Walks up from the top of a detached component by point lookups.
Result<bool> StillDetached(BundleCache& cache, const Finding& f) {
  NodeId at = f.node;
  for (uint64_t step = 0; step <= f.count + 1; ++step) {
    Result<const Reread*> node = cache.Get(at);
    if (!node.ok()) return node.status();
    if (!Readable(**node) || at == kRootNodeId || at.IsVirtual()) return false;
    const std::optional<NodeId>& parent = (*node)->fields.parent;
    if (!parent) return !f.child_parent && at == f.node;
    if (*parent == f.node) return f.child_parent.has_value();
    at = *parent;
  }
  return false;
}

// Evaluates `f` on fresh bundles; updates the parts of `f` that come from them.
Result<bool> StillHolds(BundleCache& cache, Finding& f) {
  if (f.kind == ProblemKind::kUnreachable) return StillDetached(cache, f);
  Result<const Reread*> node = cache.Get(f.node);
  if (!node.ok()) return node.status();
  const Reread& n = **node;
  if (f.kind == ProblemKind::kMissingRoot) return !n.present;
  if (f.kind == ProblemKind::kUnreadable) {
    if (!n.present || !n.error) return false;
    f.offset = n.error->offset;
    f.reason = n.error->expected;
    return true;
  }
  if (!Readable(n)) return false;
  Result<const Reread*> other = cache.Get(f.related);
  if (!other.ok()) return other.status();
  const Reread& r = **other;
  switch (f.kind) {
    case ProblemKind::kMissing:
      return !r.present && Lists(n, f.related);
    case ProblemKind::kDisconnected: {
      if (!Readable(r) || !Lists(n, f.related) || HasParent(r, f.node)) return false;
      const auto& shared = r.fields.shared_set;
      if (std::find(shared.begin(), shared.end(), f.node) != shared.end()) return false;
      f.child_parent = r.fields.parent;
      return true;
    }
    case ProblemKind::kOrphaned:
      return !r.present && HasParent(n, f.related);
    case ProblemKind::kAbandoned:
      return HasParent(n, f.related) && Readable(r) && !Lists(r, f.node);
    case ProblemKind::kDuplicateEntry: {
      const auto& ids = n.fields.children;
      f.count = static_cast<uint64_t>(std::count(ids.begin(), ids.end(), f.related));
      return f.count > 1;
    }
    case ProblemKind::kUnreadable:
    case ProblemKind::kUnreachable:
    case ProblemKind::kMissingRoot:
    case ProblemKind::kDanglingReference:      // span stores: DoubleCheckLinks
    case ProblemKind::kMissingVersionHistory:  // (link_check.h)
      break;
  }
  return false;
}

}  // namespace

Result<DoubleCheckResult> DoubleCheck(const PointReader& read, std::vector<Finding> findings) {
  BundleCache cache(read);
  DoubleCheckResult result;
  for (Finding& f : findings) {
    Result<bool> holds = StillHolds(cache, f);
    if (!holds.ok()) return holds.status();
    (*holds ? result.confirmed : result.dropped).push_back(std::move(f));
  }
  return result;
}

Result<DoubleCheckResult> DoubleCheck(BundleStore& store, std::string_view prefix,
                                      std::vector<Finding> findings) {
  // One snapshot for all the lookups: every finding is judged on the same
  // state of the store, and on SQLite the lookups share one read transaction
  // instead of locking the file once each.
  Result<std::unique_ptr<ReadSnapshot>> snapshot = store.BeginReadSnapshot();
  if (!snapshot.ok()) return snapshot.status();
  PointReader read = [&store, prefix](const NodeId& id) { return store.Get(prefix, id); };
  Result<DoubleCheckResult> result = DoubleCheck(read, std::move(findings));
  Status ended = (*snapshot)->End();
  if (result.ok() && !ended.ok()) return ended;
  return result;
}

}  // namespace checker
