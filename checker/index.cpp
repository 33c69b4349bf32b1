// The finished index: lookups and side tables. (How it is built:
// index_builder.cpp.)
//
// Find() uses a directory over the top bits of the sorted ids, which narrows
// any search to a bucket of a few ids (one or two cache lines). Shared sets
// and errors are sorted by position and found by binary search: they are
// rare, and consulted only for the nodes that have them.
#include "checker/index.h"

#include <algorithm>

namespace checker {
namespace {

const BundleError kNoError;

}  // namespace

std::optional<uint32_t> Index::Find(const NodeId& id) const {
  if (ids_.empty()) return std::nullopt;
  uint64_t bucket = directory_shift_ >= 64 ? 0 : id.msb >> directory_shift_;
  const NodeId* first = ids_.begin() + directory_[bucket];
  const NodeId* last = ids_.begin() + directory_[bucket + 1];
  const NodeId* it = std::lower_bound(first, last, id);
  if (it == last || *it != id) return std::nullopt;
  return static_cast<uint32_t>(it - ids_.begin());
}

std::span<const NodeId> Index::shared_set(uint32_t pos) const {
  auto it = std::lower_bound(shared_nodes_.begin(), shared_nodes_.end(), pos);
  if (it == shared_nodes_.end() || *it != pos) return {};
  size_t k = it - shared_nodes_.begin();
  return {shared_ids_.data() + shared_begin_[k], shared_ids_.data() + shared_begin_[k + 1]};
}

bool Index::InSharedSet(uint32_t pos, const NodeId& parent) const {
  for (const NodeId& id : shared_set(pos)) {
    if (id == parent) return true;
  }
  return false;
}

const BundleError& Index::error(uint32_t pos) const {
  auto it = std::lower_bound(errors_.begin(), errors_.end(), pos,
                             [](const auto& entry, uint32_t p) { return entry.first < p; });
  return it != errors_.end() && it->first == pos ? it->second : kNoError;
}

uint64_t Index::MemoryBytes() const {
  return ids_.MappedBytes() + directory_.MappedBytes() + parent_.MappedBytes() +
         child_begin_.MappedBytes() + children_.MappedBytes() +
         absent_ids_.capacity() * sizeof(NodeId) + shared_nodes_.capacity() * sizeof(uint32_t) +
         shared_begin_.capacity() * sizeof(uint32_t) + shared_ids_.capacity() * sizeof(NodeId) +
         errors_.capacity() * sizeof(errors_[0]) + links_.capacity() * sizeof(NodeLink);
}

}  // namespace checker
