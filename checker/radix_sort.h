// Sorting node ids, each paired with its index in the input.
#ifndef CHECKER_CHECKER_RADIX_SORT_H_
#define CHECKER_CHECKER_RADIX_SORT_H_

#include <cstdint>

#include "checker/large_array.h"
#include "model/node_id.h"

namespace checker {

// The ids in ascending order (as NodeId compares), and beside each the index
// it had in the input. Two arrays rather than one of pairs, so that `ids` can
// become the index's own array of ids without a copy.
struct SortedIds {
  LargeArray<NodeId> ids;
  LargeArray<uint32_t> input_index;
};

// Sorts `ids`. Consumes them: their pages are given back while they are read,
// so the input and the output are not both resident. Runs on `threads`
// threads. REQUIRES: ids.size() < 2^32.
SortedIds SortIdsConsuming(LargeArray<NodeId> ids, int threads);

}  // namespace checker

#endif  // CHECKER_CHECKER_RADIX_SORT_H_
