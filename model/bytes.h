// Bundles travel between layers as plain bytes.
#ifndef CHECKER_MODEL_BYTES_H_
#define CHECKER_MODEL_BYTES_H_

#include <cstdint>
#include <span>
#include <vector>

namespace checker {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

}  // namespace checker

#endif  // CHECKER_MODEL_BYTES_H_
