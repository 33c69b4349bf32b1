#include "model/node_id.h"

namespace checker {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsDashPosition(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

uint64_t ReadBigEndian64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

void WriteBigEndian64(uint64_t v, uint8_t* p) {
  for (int i = 7; i >= 0; --i) {
    p[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
}

}  // namespace

std::optional<NodeId> NodeId::Parse(std::string_view text) {
  if (text.size() != kTextLength) return std::nullopt;
  uint64_t halves[2] = {0, 0};
  int digits = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsDashPosition(i)) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    int v = HexValue(text[i]);
    if (v < 0) return std::nullopt;
    uint64_t& half = halves[digits / 16];
    half = (half << 4) | static_cast<uint64_t>(v);
    ++digits;
  }
  return NodeId{halves[0], halves[1]};
}

NodeId NodeId::FromBytes(const uint8_t* bytes) {
  return NodeId{ReadBigEndian64(bytes), ReadBigEndian64(bytes + 8)};
}

std::optional<NodeId> NodeId::FromBytes(std::span<const uint8_t> bytes) {
  if (bytes.size() != kBytes) return std::nullopt;
  return FromBytes(bytes.data());
}

std::array<uint8_t, NodeId::kBytes> NodeId::ToBytes() const {
  std::array<uint8_t, kBytes> out;
  WriteBytes(out.data());
  return out;
}

void NodeId::WriteBytes(uint8_t* out) const {
  WriteBigEndian64(msb, out);
  WriteBigEndian64(lsb, out + 8);
}

void NodeId::FormatTo(char* out) const {
  static constexpr char kHex[] = "0123456789abcdef";
  int digit = 0;
  for (size_t i = 0; i < kTextLength; ++i) {
    if (IsDashPosition(i)) {
      out[i] = '-';
      continue;
    }
    uint64_t half = digit < 16 ? msb : lsb;
    int shift = 60 - 4 * (digit % 16);
    out[i] = kHex[(half >> shift) & 0xF];
    ++digit;
  }
}

std::string NodeId::ToString() const {
  std::string s(kTextLength, '\0');
  FormatTo(s.data());
  return s;
}

}  // namespace checker
