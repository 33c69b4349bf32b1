// Index: the consistency graph of one workspace, in compact form.
//
// Every bundle of the workspace is decoded once (model's DecodeGraph fast
// path) and reduced to what the checks need. Nodes are numbered by the order
// of their ids: position p holds the p-th smallest id, so node ids, positions
// and the text order of uuids all agree. Links are 32-bit references:
//
//   Ref < kSpecialBase        the position of an existing node
//   kNullRef                  no parent (the root, or a null parent id)
//   kUnknownRef               not known: the node's bundle is unreadable
//   kSpecialBase + k < kNull  the k-th id that no bundle has ("absent")
//
// Child entries are kept in CSR form (one offsets array, one array of refs),
// in entry order, duplicates included. Shared sets and unreadable bundles are
// rare and live in side tables.
//
// Building: IndexBuilder::Add is called for each scanned row, in any order;
// Finish sorts the ids, resolves every parent and child id to a Ref, and
// frees the scan-order arrays. The index is then immutable.
#ifndef CHECKER_CHECKER_INDEX_H_
#define CHECKER_CHECKER_INDEX_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/bundle_codec.h"
#include "model/node_id.h"
#include "model/status.h"

namespace checker {

using Ref = uint32_t;
inline constexpr Ref kSpecialBase = 0x80000000u;
inline constexpr Ref kNullRef = 0xFFFFFFFFu;
inline constexpr Ref kUnknownRef = 0xFFFFFFFEu;
// At most this many nodes (and as many absent ids) per workspace.
inline constexpr uint32_t kMaxNodes = kSpecialBase - 2;

class Index {
 public:
  uint32_t size() const { return static_cast<uint32_t>(ids_.size()); }
  const NodeId& id(uint32_t pos) const { return ids_[pos]; }

  // The position of `id`, if a bundle has it.
  std::optional<uint32_t> Find(const NodeId& id) const;

  static bool IsNode(Ref ref) { return ref < kSpecialBase; }
  static bool IsAbsent(Ref ref) { return ref >= kSpecialBase && ref < kUnknownRef; }
  // The id a node or absent ref stands for. REQUIRES: IsNode(ref) || IsAbsent(ref).
  const NodeId& RefId(Ref ref) const {
    return IsNode(ref) ? ids_[ref] : absent_ids_[ref - kSpecialBase];
  }

  Ref parent(uint32_t pos) const { return parent_[pos]; }
  std::span<const Ref> children(uint32_t pos) const {
    return {children_.data() + child_begin_[pos], children_.data() + child_begin_[pos + 1]};
  }
  // The shared set of a mix:shareable node (empty for all others).
  std::span<const NodeId> shared_set(uint32_t pos) const;
  bool InSharedSet(uint32_t pos, const NodeId& parent) const;

  bool unreadable(uint32_t pos) const { return parent_[pos] == kUnknownRef; }
  // Why a bundle could not be decoded. REQUIRES: unreadable(pos).
  const BundleError& error(uint32_t pos) const { return errors_.at(pos); }

  uint64_t child_entry_count() const { return children_.size(); }
  // Bytes held by the index's arrays (capacity, not size).
  uint64_t MemoryBytes() const;

 private:
  friend class IndexBuilder;

  std::vector<NodeId> ids_;            // sorted
  std::vector<uint32_t> directory_;    // first position of each top-bits bucket
  int directory_shift_ = 64;           // bucket = msb >> directory_shift_
  std::vector<Ref> parent_;            // by position
  std::vector<uint32_t> child_begin_;  // by position, size()+1 entries
  std::vector<Ref> children_;          // CSR payload
  std::vector<NodeId> absent_ids_;     // ids named but not present
  std::unordered_map<uint32_t, std::vector<NodeId>> shared_sets_;
  std::unordered_map<uint32_t, BundleError> errors_;
};

class IndexBuilder {
 public:
  // Decodes one scanned bundle and records it. A bundle that cannot be
  // decoded is recorded as unreadable (its links unknown), never dropped.
  void Add(const NodeId& id, ByteView bytes);

  uint64_t rows() const { return scan_ids_.size(); }

  // Builds the index. Corruption if two rows have the same id; InvalidArgument
  // beyond kMaxNodes rows.
  Result<Index> Finish();

 private:
  struct SharedEntry {
    uint32_t scan;
    NodeId parent;
  };

  GraphFields fields_;  // reused for every bundle
  std::vector<NodeId> scan_ids_;
  std::vector<NodeId> scan_parents_;  // kNullParentSentinel for null
  std::vector<uint32_t> scan_child_count_;
  std::vector<NodeId> scan_children_;
  std::vector<SharedEntry> scan_shared_;
  std::unordered_map<uint32_t, BundleError> scan_errors_;
};

}  // namespace checker

#endif  // CHECKER_CHECKER_INDEX_H_
