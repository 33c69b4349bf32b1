// Hex text <-> bytes, for tests that spell out bundles.
#ifndef CHECKER_TESTS_SUPPORT_HEX_H_
#define CHECKER_TESTS_SUPPORT_HEX_H_

#include <string>
#include <string_view>

#include "model/bytes.h"

namespace checker::testing {

// Lowercase, two digits a byte, no separators.
std::string ToHex(ByteView bytes);

// Hex digits in either case; spaces are skipped so long vectors can be
// grouped. Anything else (or an odd digit count) fails the current doctest
// test case.
Bytes FromHex(std::string_view hex);

// The bytes of `text` as they are.
Bytes BytesOf(std::string_view text);

}  // namespace checker::testing

#endif  // CHECKER_TESTS_SUPPORT_HEX_H_
