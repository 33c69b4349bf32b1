// How the interner works.
//
// The table maps an id's XXH3-64 hash to candidate handles; the ids live once,
// in ids_ (by handle), and a candidate is confirmed by comparing the id there.
// The hash picks a partition (top 5 bits), a group within it (the bits
// below, scaled to the partition's group count) and a one-byte tag (the low
// byte). A group is one 64-byte
// cache line: 12 tags, a fill count, an overflow flag and 12 handles. A
// lookup compares the 12 tags at once (SSE2) and checks the handles whose tag
// matches (1 in 256 false matches per entry); a full group sets its overflow
// flag and the search goes on in the next group. Nothing is ever removed.
//
// Each partition grows on its own (doubling, at 13/16 full), so growing moves
// 1/32 of the table at a time and never holds two copies of all of it;
// regrowing reads the ids back to rehash them, with prefetching. Given the
// number of ids up front, the table starts at its final size, 13/16 full.
//
// Intern() runs three stages over a block of ids: hash all of them and fetch
// their groups; then, a few ids ahead of the lookup, fetch the stored ids of
// matching tags; then look up or insert. The misses of one block overlap
// instead of stalling one after the other.
#include "checker/id_interner.h"

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace checker {
namespace {

constexpr int kPartitionBits = 5;
constexpr size_t kPartitions = size_t{1} << kPartitionBits;
constexpr int kSlots = 12;
// A partition grows when its entries exceed groups * kSlots * 13/16.
constexpr uint64_t kLoadNumerator = 13;
constexpr uint64_t kLoadDenominator = 16;
constexpr size_t kBlock = 256;         // ids hashed ahead
constexpr size_t kCandidateAhead = 8;  // ids whose stored candidates are fetched ahead

uint64_t Hash(const NodeId& id) { return XXH3_64bits(&id, sizeof id); }
size_t PartitionOf(uint64_t hash) { return hash >> (64 - kPartitionBits); }
uint8_t TagOf(uint64_t hash) { return static_cast<uint8_t>(hash); }

}  // namespace

struct alignas(64) IdInterner::Group {
  uint8_t tags[kSlots];
  uint8_t count;
  uint8_t overflow;
  uint8_t unused[2];
  uint32_t handles[kSlots];

  // Bit i set: slot i is filled and holds `tag`.
  uint32_t Match(uint8_t tag) const {
#if defined(__SSE2__)
    __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(tags));
    auto hits = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(tag))));
#else
    uint32_t hits = 0;
    for (int i = 0; i < kSlots; ++i) hits |= static_cast<uint32_t>(tags[i] == tag) << i;
#endif
    return hits & ((1u << count) - 1);
  }
};

struct IdInterner::Partition {
  static_assert(sizeof(Group) == 64, "a group is one cache line");

  LargeArray<Group> groups;
  uint64_t entries = 0;

  // Room for `ids` at most 13/16 full.
  static uint64_t GroupsFor(uint64_t ids) {
    return ids * kLoadDenominator / (kSlots * kLoadNumerator) + 1;
  }
  uint64_t GroupIndex(uint64_t hash) const {
    // The bits below the partition's, scaled to the group count.
    return static_cast<uint64_t>(
        (static_cast<unsigned __int128>(hash << kPartitionBits) * groups.size()) >> 64);
  }
  uint64_t Next(uint64_t g) const { return g + 1 == groups.size() ? 0 : g + 1; }
  bool Full() const { return entries * kLoadDenominator > groups.size() * kSlots * kLoadNumerator; }
  // Entries that can be added before it grows.
  uint64_t Room() const {
    uint64_t most = groups.size() * kSlots * kLoadNumerator / kLoadDenominator;
    return most > entries ? most - entries : 0;
  }
  // Adds a handle known to be new.
  void Place(uint64_t hash, uint32_t handle) {
    for (uint64_t g = GroupIndex(hash);; g = Next(g)) {
      Group& group = groups[g];
      if (group.count < kSlots) {
        group.tags[group.count] = TagOf(hash);
        group.handles[group.count] = handle;
        ++group.count;
        ++entries;
        return;
      }
      group.overflow = 1;
    }
  }
};

IdInterner::IdInterner(uint64_t expected_ids) : partitions_(new Partition[kPartitions]) {
  const uint64_t groups = Partition::GroupsFor(expected_ids / kPartitions);
  for (size_t p = 0; p < kPartitions; ++p) partitions_[p].groups = LargeArray<Group>(groups);
  if (expected_ids > 0) ids_.Reserve(expected_ids);
}

IdInterner::IdInterner(IdInterner&&) noexcept = default;
IdInterner& IdInterner::operator=(IdInterner&&) noexcept = default;
IdInterner::~IdInterner() = default;

void IdInterner::PrefetchCandidates(uint64_t hash) const {
  const Partition& partition = partitions_[PartitionOf(hash)];
  const Group& group = partition.groups[partition.GroupIndex(hash)];
  for (uint32_t hits = group.Match(TagOf(hash)); hits != 0; hits &= hits - 1) {
    __builtin_prefetch(&ids_[group.handles[std::countr_zero(hits)]]);
  }
}

uint32_t IdInterner::FindOrInsert(const NodeId& id, uint64_t hash) {
  Partition& partition = partitions_[PartitionOf(hash)];
  const uint8_t tag = TagOf(hash);
  for (uint64_t g = partition.GroupIndex(hash);; g = partition.Next(g)) {
    Group& group = partition.groups[g];
    for (uint32_t hits = group.Match(tag); hits != 0; hits &= hits - 1) {
      uint32_t handle = group.handles[std::countr_zero(hits)];
      if (ids_[handle] == id) return handle;
    }
    if (group.overflow) continue;
    if (group.count == kSlots) {
      group.overflow = 1;
      continue;
    }
    auto handle = static_cast<uint32_t>(ids_.size());
    ids_.push_back(id);
    group.tags[group.count] = tag;
    group.handles[group.count] = handle;
    ++group.count;
    ++partition.entries;
    if (partition.Full()) Grow(partition);
    return handle;
  }
}

void IdInterner::Grow(Partition& partition) {
  Partition grown;
  grown.groups = LargeArray<Group>(2 * partition.groups.size());
  // Collect the handles first, so their ids can be fetched ahead.
  std::vector<uint32_t> handles;
  handles.reserve(partition.entries);
  for (uint64_t g = 0; g < partition.groups.size(); ++g) {
    const Group& group = partition.groups[g];
    handles.insert(handles.end(), group.handles, group.handles + group.count);
  }
  constexpr size_t kAhead = 16;
  for (size_t i = 0; i < handles.size(); ++i) {
    if (i + kAhead < handles.size()) __builtin_prefetch(&ids_[handles[i + kAhead]]);
    grown.Place(Hash(ids_[handles[i]]), handles[i]);
  }
  partition = std::move(grown);
}

void IdInterner::Intern(std::span<const NodeId> ids, uint32_t* handles) {
  uint64_t hashes[kBlock];
  for (size_t base = 0; base < ids.size(); base += kBlock) {
    const size_t count = std::min(kBlock, ids.size() - base);
    for (size_t i = 0; i < count; ++i) {
      hashes[i] = Hash(ids[base + i]);
      const Partition& partition = partitions_[PartitionOf(hashes[i])];
      __builtin_prefetch(&partition.groups[partition.GroupIndex(hashes[i])]);
    }
    for (size_t i = 0; i < std::min(kCandidateAhead, count); ++i) PrefetchCandidates(hashes[i]);
    for (size_t i = 0; i < count; ++i) {
      if (i + kCandidateAhead < count) PrefetchCandidates(hashes[i + kCandidateAhead]);
      handles[base + i] = FindOrInsert(ids[base + i], hashes[i]);
    }
  }
}

bool IdInterner::Fits(size_t more) const {
  if (ids_.capacity() - ids_.size() < more) return false;
  for (size_t p = 0; p < kPartitions; ++p) {
    if (partitions_[p].Room() < more) return false;
  }
  return true;
}

std::vector<std::span<std::byte>> IdInterner::MemoryFor(uint64_t ids) {
  std::vector<std::span<std::byte>> blocks;
  for (size_t p = 0; p < kPartitions; ++p) {
    LargeArray<Group>& groups = partitions_[p].groups;
    blocks.push_back(groups.Bytes(0, groups.size()));
  }
  blocks.push_back(ids_.Bytes(0, std::min<uint64_t>(ids, ids_.capacity())));
  return blocks;
}

LargeArray<NodeId> IdInterner::TakeIds() {
  partitions_.reset();
  return std::move(ids_);
}

uint64_t IdInterner::MemoryBytes() const {
  uint64_t bytes = ids_.UsedBytes();
  if (partitions_) {
    for (size_t p = 0; p < kPartitions; ++p) bytes += partitions_[p].groups.MappedBytes();
  }
  return bytes;
}

}  // namespace checker
