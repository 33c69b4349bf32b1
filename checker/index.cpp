// Building the index: one pass over the scanned rows, then a sort.
//
// 1. Add() decodes each bundle with the fast path and appends its id, parent
//    id and child ids to scan-order arrays (no allocation per bundle once the
//    arrays have grown).
// 2. Finish() sorts (id, scan number) pairs: one counting-sort pass on the top
//    16 bits spreads random uuids evenly, then each bucket is sorted on its
//    own. This gives the sorted id array and the position of each scan number.
// 3. A directory over the top bits of the sorted ids narrows any lookup to a
//    bucket of a few ids, so resolving a parent or child id costs one or two
//    cache misses instead of a full binary search.
// 4. Parent and child ids are resolved to Refs in scan order and written at
//    the node's position; ids with no bundle go to the absent table.
#include "checker/index.h"

#include <algorithm>
#include <bit>

namespace checker {
namespace {

struct IdAndScan {
  NodeId id;
  uint32_t scan;
};

// Sorts by id: a counting pass on the top 16 bits, then std::sort per bucket.
std::vector<IdAndScan> SortByIdKeepingScanNumber(const std::vector<NodeId>& ids) {
  constexpr int kBits = 16;
  std::vector<uint32_t> start((1u << kBits) + 1, 0);
  for (const NodeId& id : ids) ++start[(id.msb >> (64 - kBits)) + 1];
  for (size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
  std::vector<IdAndScan> sorted(ids.size());
  std::vector<uint32_t> next(start.begin(), start.end() - 1);
  for (uint32_t i = 0; i < ids.size(); ++i) {
    sorted[next[ids[i].msb >> (64 - kBits)]++] = {ids[i], i};
  }
  for (size_t b = 0; b + 1 < start.size(); ++b) {
    if (start[b + 1] - start[b] > 1) {
      std::sort(sorted.begin() + start[b], sorted.begin() + start[b + 1],
                [](const IdAndScan& x, const IdAndScan& y) { return x.id < y.id; });
    }
  }
  return sorted;
}

}  // namespace

std::optional<uint32_t> Index::Find(const NodeId& id) const {
  uint64_t bucket = directory_shift_ >= 64 ? 0 : id.msb >> directory_shift_;
  auto first = ids_.begin() + directory_[bucket];
  auto last = ids_.begin() + directory_[bucket + 1];
  auto it = std::lower_bound(first, last, id);
  if (it == last || *it != id) return std::nullopt;
  return static_cast<uint32_t>(it - ids_.begin());
}

std::span<const NodeId> Index::shared_set(uint32_t pos) const {
  auto it = shared_sets_.find(pos);
  if (it == shared_sets_.end()) return {};
  return it->second;
}

bool Index::InSharedSet(uint32_t pos, const NodeId& parent) const {
  for (const NodeId& id : shared_set(pos)) {
    if (id == parent) return true;
  }
  return false;
}

uint64_t Index::MemoryBytes() const {
  return ids_.capacity() * sizeof(NodeId) + directory_.capacity() * sizeof(uint32_t) +
         parent_.capacity() * sizeof(Ref) + child_begin_.capacity() * sizeof(uint32_t) +
         children_.capacity() * sizeof(Ref) + absent_ids_.capacity() * sizeof(NodeId);
}

void IndexBuilder::Add(const NodeId& id, ByteView bytes) {
  auto scan = static_cast<uint32_t>(scan_ids_.size());
  scan_ids_.push_back(id);
  std::optional<BundleError> error = DecodeGraph(bytes, GraphOptions{}, &fields_);
  if (error) {
    scan_parents_.push_back(kNullParentSentinel);
    scan_child_count_.push_back(0);
    scan_errors_.emplace(scan, std::move(*error));
    return;
  }
  scan_parents_.push_back(fields_.parent.value_or(kNullParentSentinel));
  scan_child_count_.push_back(static_cast<uint32_t>(fields_.children.size()));
  scan_children_.insert(scan_children_.end(), fields_.children.begin(), fields_.children.end());
  for (const NodeId& parent : fields_.shared_set) scan_shared_.push_back({scan, parent});
}

namespace {

// Resolves ids to Refs against the sorted index, numbering absent ids.
class Resolver {
 public:
  Resolver(const Index& index, std::vector<NodeId>* absent) : index_(index), absent_(absent) {}

  Ref operator()(const NodeId& id) {
    if (std::optional<uint32_t> pos = index_.Find(id)) return *pos;
    auto [it, inserted] = absent_numbers_.emplace(id, static_cast<Ref>(absent_->size()));
    if (inserted) absent_->push_back(id);
    return kSpecialBase + it->second;
  }

 private:
  const Index& index_;
  std::vector<NodeId>* absent_;
  std::unordered_map<NodeId, Ref, NodeIdHash> absent_numbers_;
};

void BuildDirectory(const std::vector<NodeId>& ids, std::vector<uint32_t>* directory, int* shift) {
  int bits = ids.size() < 2 ? 0 : std::bit_width(ids.size() - 1);
  bits = std::min(bits, 24);
  *shift = 64 - bits;
  directory->assign((size_t{1} << bits) + 1, 0);
  for (const NodeId& id : ids) {
    uint64_t bucket = *shift >= 64 ? 0 : id.msb >> *shift;
    ++(*directory)[bucket + 1];
  }
  for (size_t b = 1; b < directory->size(); ++b) (*directory)[b] += (*directory)[b - 1];
}

}  // namespace

Result<Index> IndexBuilder::Finish() {
  if (scan_ids_.size() > kMaxNodes) {
    return Status::InvalidArgument("more than " + std::to_string(kMaxNodes) +
                                   " nodes in one workspace");
  }
  Index index;
  const auto n = static_cast<uint32_t>(scan_ids_.size());
  std::vector<uint32_t> pos_of_scan(n);
  {
    std::vector<IdAndScan> sorted = SortByIdKeepingScanNumber(scan_ids_);
    index.ids_.resize(n);
    for (uint32_t pos = 0; pos < n; ++pos) {
      if (pos > 0 && sorted[pos].id == sorted[pos - 1].id) {
        return Status::Corruption("two rows have the same id " + sorted[pos].id.ToString());
      }
      index.ids_[pos] = sorted[pos].id;
      pos_of_scan[sorted[pos].scan] = pos;
    }
  }
  std::vector<NodeId>().swap(scan_ids_);
  BuildDirectory(index.ids_, &index.directory_, &index.directory_shift_);

  Resolver resolve(index, &index.absent_ids_);
  index.parent_.resize(n);
  index.child_begin_.assign(n + 1, 0);
  for (uint32_t scan = 0; scan < n; ++scan) {
    index.child_begin_[pos_of_scan[scan] + 1] = scan_child_count_[scan];
  }
  for (uint32_t pos = 0; pos < n; ++pos) index.child_begin_[pos + 1] += index.child_begin_[pos];
  index.children_.resize(scan_children_.size());

  size_t next_child = 0;
  for (uint32_t scan = 0; scan < n; ++scan) {
    uint32_t pos = pos_of_scan[scan];
    const NodeId& parent = scan_parents_[scan];
    if (scan_errors_.count(scan)) {
      index.parent_[pos] = kUnknownRef;
    } else {
      index.parent_[pos] = parent == kNullParentSentinel ? kNullRef : resolve(parent);
    }
    Ref* out = index.children_.data() + index.child_begin_[pos];
    for (uint32_t k = 0; k < scan_child_count_[scan]; ++k) {
      out[k] = resolve(scan_children_[next_child++]);
    }
  }
  for (const SharedEntry& shared : scan_shared_) {
    index.shared_sets_[pos_of_scan[shared.scan]].push_back(shared.parent);
  }
  for (auto& [scan, error] : scan_errors_) index.errors_.emplace(pos_of_scan[scan], error);

  *this = IndexBuilder();
  return index;
}

}  // namespace checker
