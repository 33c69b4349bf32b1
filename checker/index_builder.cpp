// Building the index: intern while scanning, then sort once and renumber.
//
// 1. Add() takes rows decoded down to ids (DecodedRows) and interns every id
//    they name (IdInterner): the row's own id, its parent id, its child ids.
//    What is kept per row is 4-byte handles, in scan order: its own handle,
//    its parent handle (or a marker for a null parent or an unreadable
//    bundle), the end of its child handles, and the child handles. The
//    16-byte ids exist once each, in the interner. No allocation per row.
// 2. Finish() marks which handles are nodes (a handle that is the own id of
//    two rows is a duplicate row), frees the hash table and sorts the ids
//    (radix_sort.h). Walking them in order numbers the nodes (positions) and
//    the ids no bundle has (absent refs), giving each handle its Ref.
// 3. The scan-order arrays are then turned into the position-order arrays
//    of the index one after the other, each freed (or given back page by
//    page) as the next is filled, so that at no point are more than about
//    40 bytes per node held: parents first (and each row's own handle
//    becomes its position), then the child handles are replaced by Refs in
//    place, the handle-to-Ref table is freed, and the child entries move
//    into position order (CSR).
// Every pass over the rows is split into contiguous ranges, one per thread,
// whose writes never meet.
#include <algorithm>
#include <bit>
#include <cstring>

#include "checker/index.h"
#include "checker/parallel.h"
#include "checker/radix_sort.h"

namespace checker {
namespace {

constexpr size_t kReleaseEvery = 1 << 16;    // elements read between page releases
constexpr uint64_t kParallelRows = 1 << 16;  // fewer rows: one thread
constexpr size_t kPendingRows = 1024;        // rows given one by one, added together

bool Bit(const LargeArray<uint64_t>& bits, uint32_t i) { return (bits[i / 64] >> (i % 64)) & 1; }

void BuildDirectory(const LargeArray<NodeId>& ids, LargeArray<uint32_t>* directory, int* shift) {
  // About 2-4 ids per bucket.
  int bits = ids.size() < 8 ? 0 : std::min(static_cast<int>(std::bit_width(ids.size())) - 2, 30);
  *shift = 64 - bits;
  directory->Resize((size_t{1} << bits) + 1);
  for (const NodeId& id : ids) {
    uint64_t bucket = *shift >= 64 ? 0 : id.msb >> *shift;
    ++(*directory)[bucket + 1];
  }
  for (size_t b = 1; b < directory->size(); ++b) (*directory)[b] += (*directory)[b - 1];
}

// jcr:versionHistory is kept as a link of its own kind; when it is a
// REFERENCE, its value is also among `fields.references`, and is taken out.
void AppendLinks(uint32_t row, GraphFields& fields, std::vector<NodeLink>* links) {
  std::optional<NodeId> history = fields.version_history;
  for (const NodeId& target : fields.references) {
    if (history && target == *history) {
      links->push_back({row, NodeLink::kHistoryReference, target});
      history.reset();
    } else {
      links->push_back({row, NodeLink::kReference, target});
    }
  }
  if (history) links->push_back({row, NodeLink::kHistoryWeak, *history});
  if (fields.versionable_uuid) {
    links->push_back({row, NodeLink::kVersionableUuid, *fields.versionable_uuid});
  }
}

}  // namespace

void DecodedRows::Append(const NodeId& id, ByteView bytes, GraphFields* scratch) {
  const auto r = static_cast<uint32_t>(rows.size());
  ids.push_back(id);
  if (std::optional<BundleError> error =
          DecodeGraph(bytes, GraphOptions{.references = collect_links}, scratch)) {
    rows.push_back({0, kUnreadable});
    errors.emplace_back(r, std::move(*error));
    return;
  }
  ParentKind parent = kNullParent;
  if (scratch->parent) {
    parent = kParentId;
    ids.push_back(*scratch->parent);
  }
  ids.insert(ids.end(), scratch->children.begin(), scratch->children.end());
  rows.push_back({static_cast<uint32_t>(scratch->children.size()), parent});
  for (const NodeId& member : scratch->shared_set) shared.emplace_back(r, member);
  if (collect_links) AppendLinks(r, *scratch, &links);
}

void DecodedRows::Clear() {
  ids.clear();
  rows.clear();
  shared.clear();
  errors.clear();
  links.clear();
}

void DecodeRows(std::span<const Row> rows, GraphFields* scratch, DecodedRows* out) {
  out->Clear();
  for (const Row& row : rows) out->Append(row.id, row.bytes, scratch);
}

IndexBuilder::IndexBuilder(uint64_t expected_rows, bool collect_links)
    // A tree names about one id per row; leave room for a few absent ones.
    : interner_(expected_rows + expected_rows / 32) {
  pending_.collect_links = collect_links;
  if (expected_rows > 0) {
    own_.Reserve(expected_rows);
    parent_.Reserve(expected_rows);
    child_end_.Reserve(expected_rows);
    children_.Reserve(expected_rows);
  }
  if (expected_rows >= kParallelRows) StartPrefaulter(expected_rows);
}

void IndexBuilder::StartPrefaulter(uint64_t expected_rows) {
  std::vector<std::span<std::byte>> blocks = interner_.MemoryFor(expected_rows);
  for (LargeArray<uint32_t>* array : {&own_, &parent_, &child_end_, &children_}) {
    blocks.push_back(array->Bytes(0, expected_rows));
  }
  prefaulter_.Start(std::move(blocks));
}

// True if adding `rows` moves no block the prefaulter may be populating.
bool IndexBuilder::FitsReserved(const DecodedRows& rows) const {
  const size_t most = rows.ids.size();  // at least the rows, and every child entry
  for (const LargeArray<uint32_t>* array : {&own_, &parent_, &child_end_, &children_}) {
    if (array->capacity() - array->size() < most) return false;
  }
  return interner_.Fits(most);
}

void IndexBuilder::Add(const NodeId& id, ByteView bytes) {
  pending_.Append(id, bytes, &fields_);
  if (pending_.rows.size() >= kPendingRows) AddPending();
}

void IndexBuilder::AddPending() {
  if (pending_.rows.empty()) return;
  DecodedRows batch = std::move(pending_);
  Add(batch);
  batch.Clear();
  pending_ = std::move(batch);  // keeps the capacity
}

Status IndexBuilder::CheckLimits(const DecodedRows& rows) const {
  if (rows_ + rows.rows.size() > kMaxNodes) {
    return Status::InvalidArgument("more than " + std::to_string(kMaxNodes) +
                                   " nodes in one workspace");
  }
  if (uint64_t{interner_.size()} + rows.ids.size() > IdInterner::kMaxHandles ||
      children_.size() + rows.ids.size() > UINT32_MAX) {
    return Status::InvalidArgument("more than " + std::to_string(IdInterner::kMaxHandles) +
                                   " distinct ids or child entries in one workspace");
  }
  return Status::Ok();
}

void IndexBuilder::Add(const DecodedRows& rows) {
  if (!limit_error_.ok()) return;
  limit_error_ = CheckLimits(rows);
  if (!limit_error_.ok()) return;
  if (prefaulter_.running() && !FitsReserved(rows)) prefaulter_.Stop();
  handles_.resize(rows.ids.size());
  interner_.Intern(rows.ids, handles_.data());
  const auto first_scan = static_cast<uint32_t>(rows_);
  const uint32_t* handle = handles_.data();
  for (const DecodedRows::Shape& row : rows.rows) {
    own_.push_back(*handle++);
    switch (row.parent) {
      case DecodedRows::kParentId:
        parent_.push_back(*handle++);
        break;
      case DecodedRows::kNullParent:
        parent_.push_back(kNullHandle);
        break;
      case DecodedRows::kUnreadable:
        parent_.push_back(kUnknownHandle);
        break;
    }
    children_.Append(handle, row.children);
    handle += row.children;
    child_end_.push_back(static_cast<uint32_t>(children_.size()));
  }
  rows_ += rows.rows.size();
  for (const auto& [r, member] : rows.shared) shared_.emplace_back(first_scan + r, member);
  for (const auto& [r, error] : rows.errors) errors_.emplace_back(first_scan + r, error);
  for (NodeLink link : rows.links) {
    link.node += first_scan;
    links_.push_back(link);
  }
}

uint64_t IndexBuilder::MemoryBytes() const {
  return interner_.MemoryBytes() + own_.UsedBytes() + parent_.UsedBytes() + child_end_.UsedBytes() +
         children_.UsedBytes() + shared_.capacity() * sizeof(shared_[0]) +
         errors_.capacity() * sizeof(errors_[0]) + links_.capacity() * sizeof(links_[0]) +
         handles_.capacity() * sizeof(uint32_t);
}

void IndexBuilder::NotePeak(uint64_t extra) {
  peak_bytes_ = std::max(peak_bytes_, MemoryBytes() + extra);
}

Result<Index> IndexBuilder::Finish(int threads) {
  AddPending();
  prefaulter_.Stop();
  if (!limit_error_.ok()) return limit_error_;
  if (rows_ < kParallelRows) threads = 1;
  threads = std::max(threads, 1);
  NotePeak();

  LargeArray<uint64_t> is_node;
  CHECKER_RETURN_IF_ERROR(MarkNodes(&is_node));
  const uint32_t handles = interner_.size();
  if (handles - rows_ > kMaxNodes) {
    return Status::InvalidArgument("more than " + std::to_string(kMaxNodes) +
                                   " absent ids in one workspace");
  }
  SortedIds sorted = SortIdsConsuming(interner_.TakeIds(), threads);
  handles_ = {};
  Index index;
  LargeArray<Ref> ref(handles);
  NotePeak(sorted.ids.MappedBytes() + sorted.input_index.MappedBytes() + ref.MappedBytes() +
           is_node.MappedBytes());
  NumberIds(std::move(sorted), is_node, &ref, &index, threads);
  is_node.Clear();
  ResolveParents(ref, &index, threads);
  ResolveChildren(std::move(ref), &index, threads);
  MoveSideTables(&index);
  index.build_peak_bytes_ = peak_bytes_;
  *this = IndexBuilder();
  return index;
}

Status IndexBuilder::MarkNodes(LargeArray<uint64_t>* is_node) const {
  is_node->Resize((interner_.size() + 63) / 64);
  for (uint32_t handle : own_) {
    uint64_t& word = (*is_node)[handle / 64];
    const uint64_t bit = uint64_t{1} << (handle % 64);
    if (word & bit) {
      return Status::Corruption("two rows have the same id " + interner_.id(handle).ToString());
    }
    word |= bit;
  }
  return Status::Ok();
}

// Positions go to nodes in id order, absent numbers to the other ids in id
// order. Each thread walks a slice of the sorted ids, starting from the
// counts of the slices before it, and moves the slice's node ids to its
// front; the slices are then slid together, and the sorted ids, absent ones
// taken out, are the index's ids.
void IndexBuilder::NumberIds(SortedIds sorted, const LargeArray<uint64_t>& is_node,
                             LargeArray<Ref>* ref, Index* index, int threads) {
  const size_t n = sorted.ids.size();
  std::vector<uint32_t> nodes_before(threads + 1, 0);
  RunOnThreads(threads, [&](int t) {
    auto [begin, end] = SplitRange(n, threads, t);
    uint32_t nodes = 0;
    for (size_t i = begin; i < end; ++i) nodes += Bit(is_node, sorted.input_index[i]);
    nodes_before[t + 1] = nodes;
  });
  for (int t = 0; t < threads; ++t) nodes_before[t + 1] += nodes_before[t];
  index->absent_ids_.resize(n - rows_);
  RunOnThreads(threads, [&](int t) {
    auto [begin, end] = SplitRange(n, threads, t);
    uint32_t next_node = nodes_before[t];
    auto next_absent = static_cast<uint32_t>(begin - next_node);
    size_t kept = begin;
    for (size_t i = begin; i < end; ++i) {
      const uint32_t handle = sorted.input_index[i];
      if (Bit(is_node, handle)) {
        sorted.ids[kept++] = sorted.ids[i];
        (*ref)[handle] = next_node++;
      } else {
        index->absent_ids_[next_absent] = sorted.ids[i];
        (*ref)[handle] = kSpecialBase + next_absent++;
      }
      if ((i - begin + 1) % kReleaseEvery == 0) sorted.input_index.Release(begin, i + 1);
    }
  });
  sorted.input_index.Clear();
  for (int t = 1; t < threads; ++t) {
    const size_t begin = SplitRange(n, threads, t).first;
    std::memmove(sorted.ids.data() + nodes_before[t], sorted.ids.data() + begin,
                 (nodes_before[t + 1] - nodes_before[t]) * sizeof(NodeId));
  }
  sorted.ids.Truncate(rows_);
  index->ids_ = std::move(sorted.ids);
  BuildDirectory(index->ids_, &index->directory_, &index->directory_shift_);
  NotePeak(index->MemoryBytes() + ref->MappedBytes() + is_node.MappedBytes());
}

// parent handle -> parent Ref, by position; own handle -> position, in place.
// Then the child count of each position, summed into the CSR offsets.
void IndexBuilder::ResolveParents(const LargeArray<Ref>& ref, Index* index, int threads) {
  index->parent_.Resize(rows_);
  NotePeak(index->MemoryBytes() + ref.MappedBytes());
  RunOnThreads(threads, [&](int t) {
    auto [begin, end] = SplitRange(rows_, threads, t);
    for (size_t s = begin; s < end; ++s) {
      const Ref pos = ref[own_[s]];
      own_[s] = pos;
      const uint32_t parent = parent_[s];
      index->parent_[pos] = parent == kNullHandle      ? kNullRef
                            : parent == kUnknownHandle ? kUnknownRef
                                                       : ref[parent];
      if ((s - begin + 1) % kReleaseEvery == 0) parent_.Release(begin, s + 1);
    }
  });
  parent_.Clear();
  index->child_begin_.Resize(rows_ + 1);
  NotePeak(index->MemoryBytes() + ref.MappedBytes());
  RunOnThreads(threads, [&](int t) {
    auto [begin, end] = SplitRange(rows_, threads, t);
    for (size_t s = begin; s < end; ++s) {
      index->child_begin_[own_[s] + 1] = child_end_[s] - (s == 0 ? 0 : child_end_[s - 1]);
    }
  });
  for (size_t pos = 0; pos < rows_; ++pos) {
    index->child_begin_[pos + 1] += index->child_begin_[pos];
  }
}

// Child handles become Refs in place (scan order), the handle table goes,
// then the entries move to their node's place in the CSR payload.
void IndexBuilder::ResolveChildren(LargeArray<Ref> ref, Index* index, int threads) {
  const size_t entries = children_.size();
  RunOnThreads(threads, [&](int t) {
    auto [begin, end] = SplitRange(entries, threads, t);
    for (size_t j = begin; j < end; ++j) children_[j] = ref[children_[j]];
  });
  ref.Clear();
  index->children_.Resize(entries);
  NotePeak(index->MemoryBytes());
  RunOnThreads(threads, [&](int t) {
    auto [begin, end] = SplitRange(rows_, threads, t);
    size_t j = begin == 0 ? 0 : child_end_[begin - 1];
    const size_t first_j = j;
    for (size_t s = begin; s < end; ++s) {
      Ref* out = index->children_.data() + index->child_begin_[own_[s]];
      for (; j < child_end_[s]; ++j) *out++ = children_[j];
      if ((s - begin + 1) % kReleaseEvery == 0) children_.Release(first_j, j);
    }
  });
  children_.Clear();
  child_end_.Clear();
}

// Shared sets and errors, from scan numbers to positions, sorted by position
// (a node's shared-set members keep their stored order).
void IndexBuilder::MoveSideTables(Index* index) {
  std::stable_sort(shared_.begin(), shared_.end(),
                   [&](const auto& a, const auto& b) { return own_[a.first] < own_[b.first]; });
  for (const auto& [scan, member] : shared_) {
    const uint32_t pos = own_[scan];
    if (index->shared_nodes_.empty() || index->shared_nodes_.back() != pos) {
      index->shared_nodes_.push_back(pos);
      index->shared_begin_.push_back(static_cast<uint32_t>(index->shared_ids_.size()));
    }
    index->shared_ids_.push_back(member);
  }
  index->shared_begin_.push_back(static_cast<uint32_t>(index->shared_ids_.size()));
  for (auto& [scan, error] : errors_) index->errors_.emplace_back(own_[scan], std::move(error));
  std::sort(index->errors_.begin(), index->errors_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (NodeLink& link : links_) link.node = own_[link.node];
  std::stable_sort(links_.begin(), links_.end(),
                   [](const NodeLink& a, const NodeLink& b) { return a.node < b.node; });
  index->links_ = std::move(links_);
  own_.Clear();
}

}  // namespace checker
