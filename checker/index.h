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
// rare and live in side tables sorted by position.
//
// Memory: 16 bytes per node for its id, 4 for its parent, 4 for its child
// offset, 4 per child entry, and a lookup directory of 1-2 bytes per node:
// about 29 bytes per node in a tree (one entry per node). Building it peaks
// at about 44 bytes per node (see IndexBuilder).
//
// Building: IndexBuilder::Add is called for each scanned row (or batch of
// decoded rows), in any order; Finish sorts the ids, resolves every parent
// and child to a Ref, and frees what the build used. The index is then
// immutable.
#ifndef CHECKER_CHECKER_INDEX_H_
#define CHECKER_CHECKER_INDEX_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "checker/id_interner.h"
#include "checker/large_array.h"
#include "checker/prefaulter.h"
#include "model/bundle_codec.h"
#include "model/node_id.h"
#include "model/status.h"
#include "storage/bundle_store.h"

namespace checker {

struct SortedIds;  // radix_sort.h

using Ref = uint32_t;
inline constexpr Ref kSpecialBase = 0x80000000u;
inline constexpr Ref kNullRef = 0xFFFFFFFFu;
inline constexpr Ref kUnknownRef = 0xFFFFFFFEu;
// At most this many nodes (and as many absent ids) per workspace.
inline constexpr uint32_t kMaxNodes = kSpecialBase - 2;

// A property value that names another node, kept for the reference and
// version-history checks (link_check.h) when the builder is asked to.
struct NodeLink {
  enum Kind : uint8_t {
    kReference,         // a REFERENCE value (other than jcr:versionHistory's)
    kHistoryReference,  // jcr:versionHistory as a REFERENCE (as Jackrabbit writes it)
    kHistoryWeak,       // jcr:versionHistory as a WEAKREFERENCE
    kVersionableUuid,   // a version history's jcr:versionableUuid
  };
  uint32_t node = 0;  // who holds the value: a position in the index (a row while decoding)
  Kind kind = kReference;
  NodeId target;
};

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
  // Asks the CPU to fetch parent(pos) ahead of its use (a pass that reads
  // the parents of nodes in random order overlaps the cache misses).
  void PrefetchParent(uint32_t pos) const { __builtin_prefetch(&parent_[pos]); }
  std::span<const Ref> children(uint32_t pos) const {
    return {children_.data() + child_begin_[pos], children_.data() + child_begin_[pos + 1]};
  }
  // The shared set of a mix:shareable node (empty for all others).
  std::span<const NodeId> shared_set(uint32_t pos) const;
  bool InSharedSet(uint32_t pos, const NodeId& parent) const;

  bool unreadable(uint32_t pos) const { return parent_[pos] == kUnknownRef; }
  // Why a bundle could not be decoded. REQUIRES: unreadable(pos).
  const BundleError& error(uint32_t pos) const;

  uint64_t child_entry_count() const { return children_.size(); }
  // Every link of every readable node, by position (a node's in stored
  // order); empty unless the builder collected links.
  std::span<const NodeLink> links() const { return links_; }
  // Bytes held by the index's arrays (mapped or allocated, not just used).
  uint64_t MemoryBytes() const;
  // The most the builder of this index held at once (IndexBuilder::
  // MemoryBytes plus the arrays Finish fills), checked at the start and end
  // of each step of Finish; 0 for an index that was not built.
  uint64_t build_peak_bytes() const { return build_peak_bytes_; }

 private:
  friend class IndexBuilder;

  LargeArray<NodeId> ids_;              // sorted
  LargeArray<uint32_t> directory_;      // first position of each top-bits bucket
  int directory_shift_ = 64;            // bucket = msb >> directory_shift_
  LargeArray<Ref> parent_;              // by position
  LargeArray<uint32_t> child_begin_;    // by position, size()+1 entries
  LargeArray<Ref> children_;            // CSR payload
  std::vector<NodeId> absent_ids_;      // ids named but not present
  std::vector<uint32_t> shared_nodes_;  // positions with a shared set, ascending
  std::vector<uint32_t> shared_begin_;  // their sets in shared_ids_, size+1 entries
  std::vector<NodeId> shared_ids_;
  std::vector<std::pair<uint32_t, BundleError>> errors_;  // by position, ascending
  std::vector<NodeLink> links_;                           // by position, ascending
  uint64_t build_peak_bytes_ = 0;
};

// Bundles decoded down to what the index needs, a batch at a time. Decoding
// can run on any thread; IndexBuilder::Add takes the result in scan order.
struct DecodedRows {
  enum ParentKind : uint8_t { kParentId, kNullParent, kUnreadable };
  struct Shape {
    uint32_t children;  // how many child ids follow in `ids`
    ParentKind parent;  // kParentId: a parent id follows the own id in `ids`
  };

  // Per row: its own id, its parent id (if kParentId), its child ids.
  std::vector<NodeId> ids;
  std::vector<Shape> rows;
  std::vector<std::pair<uint32_t, NodeId>> shared;       // (row, shared-set member)
  std::vector<std::pair<uint32_t, BundleError>> errors;  // (row, why unreadable)
  bool collect_links = false;   // kept by Clear(); see IndexBuilder(rows, collect_links)
  std::vector<NodeLink> links;  // NodeLink::node is the row

  // Decodes one bundle and appends it as a row. A bundle that cannot be
  // decoded becomes an unreadable row. `scratch`: the decoder's buffers.
  void Append(const NodeId& id, ByteView bytes, GraphFields* scratch);
  void Clear();
};

// Decodes `rows` into `out` (cleared first), using `scratch` as the
// decoder's reusable buffers. A bundle that cannot be decoded becomes an
// unreadable row, never a failure.
void DecodeRows(std::span<const Row> rows, GraphFields* scratch, DecodedRows* out);

// Builds an Index. Memory, per row of a tree (one child entry per node):
// during the scan about 40 bytes (16 for each distinct id, the interning table
// at 5-11, 4 each for the row's own handle, parent handle, child offset and
// child entry); Finish peaks at about 44 and ends at the index's 29.
class IndexBuilder {
 public:
  // `expected_rows` sizes the tables up front (0: unknown, grow as needed);
  // for a large store, a Prefaulter then maps in the memory the scan will
  // fill while the scan runs (prefaulter.h).
  // With `collect_links`, REFERENCE values, jcr:versionHistory and
  // jcr:versionableUuid are kept too (Index::links).
  explicit IndexBuilder(uint64_t expected_rows = 0, bool collect_links = false);

  bool collects_links() const { return pending_.collect_links; }

  // Decodes one bundle and records it. A bundle that cannot be decoded is
  // recorded as unreadable (its links unknown), never dropped.
  void Add(const NodeId& id, ByteView bytes);
  // Records a batch of decoded rows.
  void Add(const DecodedRows& rows);

  uint64_t rows() const { return rows_ + pending_.rows.size(); }
  // Bytes the builder holds now: its tables, and the pages of its arrays
  // that hold elements (their spare capacity is never touched).
  uint64_t MemoryBytes() const;

  // Builds the index on `threads` threads. Corruption if two rows have the
  // same id; InvalidArgument beyond kMaxNodes rows, kMaxNodes absent ids or
  // 2^32-1 child entries. The builder is empty afterwards.
  Result<Index> Finish(int threads = 1);

 private:
  static constexpr uint32_t kNullHandle = 0xFFFFFFFFu;
  static constexpr uint32_t kUnknownHandle = 0xFFFFFFFEu;

  void AddPending();
  void StartPrefaulter(uint64_t expected_rows);
  bool FitsReserved(const DecodedRows& rows) const;
  Status CheckLimits(const DecodedRows& rows) const;
  void NotePeak(uint64_t extra = 0);

  // The steps of Finish (index_builder.cpp).
  Status MarkNodes(LargeArray<uint64_t>* is_node) const;
  void NumberIds(SortedIds sorted, const LargeArray<uint64_t>& is_node, LargeArray<Ref>* ref,
                 Index* index, int threads);
  void ResolveParents(const LargeArray<Ref>& ref, Index* index, int threads);
  void ResolveChildren(LargeArray<Ref> ref, Index* index, int threads);
  void MoveSideTables(Index* index);

  IdInterner interner_;
  uint64_t rows_ = 0;
  // By scan number: the handles of the row's id and of its parent (or a
  // marker), and the end of its child handles in children_. Written and read
  // front to back.
  LargeArray<uint32_t> own_{Access::kSequential};
  LargeArray<uint32_t> parent_{Access::kSequential};
  LargeArray<uint32_t> child_end_{Access::kSequential};
  LargeArray<uint32_t> children_{Access::kSequential};
  std::vector<std::pair<uint32_t, NodeId>> shared_;       // (scan, member)
  std::vector<std::pair<uint32_t, BundleError>> errors_;  // (scan, error)
  std::vector<NodeLink> links_;                           // NodeLink::node is the scan number
  std::vector<uint32_t> handles_;                         // one batch's, reused
  Status limit_error_;                                    // sticky
  DecodedRows pending_;                                   // rows given one by one
  GraphFields fields_;
  uint64_t peak_bytes_ = 0;
  // Last, so that it stops before the arrays it populates are freed.
  Prefaulter prefaulter_;
};

}  // namespace checker

#endif  // CHECKER_CHECKER_INDEX_H_
