// NodeId: the 128-bit identity of a node.
//
// Stored as 16 bytes, most significant long first, both big-endian (Java's
// DataOutput), which is also the byte order of the 8-4-4-4-12 text form. So
// comparing two NodeIds as (msb, lsb) unsigned pairs, comparing their 16-byte
// keys with memcmp and comparing their lowercase texts all agree.
#ifndef CHECKER_MODEL_NODE_ID_H_
#define CHECKER_MODEL_NODE_ID_H_

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace checker {

struct NodeId {
  uint64_t msb = 0;
  uint64_t lsb = 0;

  static constexpr size_t kBytes = 16;
  static constexpr size_t kTextLength = 36;

  // Parses 8-4-4-4-12 hex digits in either case; nothing else is accepted
  // (no braces, no surrounding space).
  static std::optional<NodeId> Parse(std::string_view text);

  // Reads 16 big-endian bytes. REQUIRES: bytes.size() >= 16.
  static NodeId FromBytes(const uint8_t* bytes);
  static std::optional<NodeId> FromBytes(std::span<const uint8_t> bytes);

  std::array<uint8_t, kBytes> ToBytes() const;
  void WriteBytes(uint8_t* out) const;

  // Lowercase 8-4-4-4-12.
  std::string ToString() const;
  // Writes the 36 characters to out (no terminator).
  void FormatTo(char* out) const;

  // Jackrabbit skips nodes whose id text ends with "babecafebabe" (the
  // virtual and well-known system ids), except the root.
  bool IsVirtual() const { return (lsb & 0xFFFFFFFFFFFFull) == 0xBABECAFEBABEull; }

  friend constexpr auto operator<=>(const NodeId&, const NodeId&) = default;
  friend constexpr bool operator==(const NodeId&, const NodeId&) = default;
};

// Well-known ids (Jackrabbit's RepositoryImpl and BundleBinding).
inline constexpr NodeId kRootNodeId{0xcafebabecafebabeull, 0xcafebabecafebabeull};
inline constexpr NodeId kSystemNodeId{0xdeadbeefcafebabeull, 0xcafebabecafebabeull};
inline constexpr NodeId kVersionStorageNodeId{0xdeadbeeffacebabeull, 0xcafebabecafebabeull};
// Written in place of a null parent id (the root's).
inline constexpr NodeId kNullParentSentinel{0xbb4e9d10d85711dfull, 0x937b0800200c9a66ull};

struct NodeIdHash {
  size_t operator()(const NodeId& id) const noexcept {
    return static_cast<size_t>(id.msb * 0x9E3779B97F4A7C15ull ^ id.lsb);
  }
};

}  // namespace checker

#endif  // CHECKER_MODEL_NODE_ID_H_
