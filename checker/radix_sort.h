// Sorting node ids, each paired with its index in the input.
#ifndef CHECKER_CHECKER_RADIX_SORT_H_
#define CHECKER_CHECKER_RADIX_SORT_H_

#include <cstdint>

#include "checker/large_array.h"
#include "model/node_id.h"

namespace checker {

// 20 bytes: an id and the index it had in the input.
struct __attribute__((packed)) IdAndIndex {
  uint64_t msb;
  uint64_t lsb;
  uint32_t index;

  NodeId id() const { return NodeId{msb, lsb}; }
};
static_assert(sizeof(IdAndIndex) == 20);

// Returns the ids sorted (ascending, as NodeId compares), each with its index
// in `ids`. Consumes `ids`: its pages are given back while they are read, so
// the input and the output are not both resident. Runs on `threads` threads.
// REQUIRES: ids.size() < 2^32.
LargeArray<IdAndIndex> SortIdsConsuming(LargeArray<NodeId> ids, int threads);

}  // namespace checker

#endif  // CHECKER_CHECKER_RADIX_SORT_H_
