// IdInterner: numbers the distinct node ids of a scan densely, 0, 1, 2, ...
// in the order they are first seen (a "handle" per id), and keeps the ids by
// handle.
//
// The index builder interns every id a bundle names (its own, its parent's,
// its children's) while the scan runs, so that what it keeps per link is a
// 4-byte handle instead of a 16-byte id.
//
// Cost, per id: one cache line of the table, and for an id seen before one
// more to compare the stored id; Intern() prefetches both for ids a little
// ahead, so the misses of a batch overlap. Memory: 16 bytes per distinct id,
// plus the table at about 5-11 bytes per id.
#ifndef CHECKER_CHECKER_ID_INTERNER_H_
#define CHECKER_CHECKER_ID_INTERNER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "checker/large_array.h"
#include "model/node_id.h"

namespace checker {

class IdInterner {
 public:
  // Handles stay below this; the values above are free for callers' markers.
  static constexpr uint32_t kMaxHandles = 0xFFFFFFF0u;

  // `expected_ids` sizes the table up front (0: grow as needed).
  explicit IdInterner(uint64_t expected_ids = 0);
  IdInterner(IdInterner&&) noexcept;
  IdInterner& operator=(IdInterner&&) noexcept;
  ~IdInterner();

  // handles[i] := the handle of ids[i]; an id not seen before gets the next
  // handle. REQUIRES: size() + ids.size() <= kMaxHandles.
  void Intern(std::span<const NodeId> ids, uint32_t* handles);

  uint32_t size() const { return static_cast<uint32_t>(ids_.size()); }
  const NodeId& id(uint32_t handle) const { return ids_[handle]; }

  // Whether `more` ids can be interned without growing the table or the ids'
  // array (growing moves them).
  bool Fits(size_t more) const;
  // The memory that interning `ids` distinct ids writes: the table, and the
  // slots of the first `ids` ids. Valid until the next Intern() that does
  // not Fit(), or TakeIds().
  std::vector<std::span<std::byte>> MemoryFor(uint64_t ids);

  // Ends interning: frees the table and hands over the ids, by handle.
  LargeArray<NodeId> TakeIds();

  // The table, and the pages holding ids.
  uint64_t MemoryBytes() const;

 private:
  struct Group;
  struct Partition;

  uint32_t FindOrInsert(const NodeId& id, uint64_t hash);
  void PrefetchCandidates(uint64_t hash) const;
  void Grow(Partition& partition);

  LargeArray<NodeId> ids_;
  std::unique_ptr<Partition[]> partitions_;
};

}  // namespace checker

#endif  // CHECKER_CHECKER_ID_INTERNER_H_
