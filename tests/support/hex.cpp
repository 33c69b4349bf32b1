// Hex conversion, one nibble at a time.
#include "tests/support/hex.h"

#include <doctest/doctest.h>

namespace checker::testing {
namespace {

int Nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string ToHex(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    hex.push_back(kDigits[b >> 4]);
    hex.push_back(kDigits[b & 0xF]);
  }
  return hex;
}

Bytes FromHex(std::string_view hex) {
  Bytes bytes;
  int high = -1;
  for (char c : hex) {
    if (c == ' ') continue;
    int nibble = Nibble(c);
    if (nibble < 0) FAIL("not a hex digit: '" << c << "' in " << hex);
    if (high < 0) {
      high = nibble;
    } else {
      bytes.push_back(static_cast<uint8_t>(high << 4 | nibble));
      high = -1;
    }
  }
  if (high >= 0) FAIL("odd number of hex digits in " << hex);
  return bytes;
}

Bytes BytesOf(std::string_view text) { return Bytes(text.begin(), text.end()); }

}  // namespace checker::testing
