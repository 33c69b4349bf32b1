// Pass 1: child entries.
//
// Checks: every child entry N -> C of every checked node N (C not virtual):
//   - C has no bundle                              -> missing (on N)
//   - C's parent id is not N and N is not in C's
//     shared set                                   -> disconnected (on N)
//   - N lists C more than once                       -> duplicate-entry (on N),
//                                                    once per child
// One missing/disconnected finding per entry, as Jackrabbit reports them: a
// holder that lists the same bad child twice gets two (and a duplicate-entry).
// An entry naming an unreadable bundle is neither: the bundle exists, and its
// parent is unknown.
//
// Collects: listings.by_parent[C] = some entry of C's recorded parent names C;
// listings.by_anyone[C] = some entry names C.
// Every holder counts here, virtual ones included, because a checked node
// may well have a virtual parent (e.g. the version histories under
// jcr:versionStorage).
//
// How: the holders are split into contiguous position ranges, one per
// thread; each thread keeps its own findings, concatenated in range order,
// which is the order of one thread.
//
// Relies on: the index only.
#include <algorithm>
#include <atomic>

#include "checker/parallel.h"
#include "checker/passes.h"

namespace checker {
namespace {

// Whether some entry repeats. Most holders have a few children, for which
// comparing every pair is cheaper than sorting a copy.
bool HasDuplicate(std::span<const Ref> children) {
  constexpr size_t kPairwiseUpTo = 16;
  if (children.size() < 2) return false;
  if (children.size() > kPairwiseUpTo) return true;  // let the sort tell
  for (size_t i = 1; i < children.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (children[i] == children[j]) return true;
    }
  }
  return false;
}

// Appends one duplicate-entry finding per child that `holder` lists more than
// once (checked the same way as the entries: virtual children are skipped).
void FindDuplicates(const Index& index, uint32_t holder, std::vector<Ref>* scratch,
                    std::vector<Finding>* findings) {
  std::span<const Ref> children = index.children(holder);
  if (!HasDuplicate(children)) return;
  scratch->assign(children.begin(), children.end());
  std::sort(scratch->begin(), scratch->end());
  for (size_t i = 0; i < scratch->size();) {
    size_t j = i + 1;
    while (j < scratch->size() && (*scratch)[j] == (*scratch)[i]) ++j;
    const NodeId& child = index.RefId((*scratch)[i]);
    if (j - i > 1 && !child.IsVirtual()) {
      findings->push_back({.kind = ProblemKind::kDuplicateEntry,
                           .node = index.id(holder),
                           .related = child,
                           .count = j - i});
    }
    i = j;
  }
}

// Sets a listing flag. Threads set flags of any node, so the store is
// atomic (relaxed: the flags are only read after the threads are joined).
void Mark(std::vector<uint8_t>& flags, Ref node) {
  std::atomic_ref<uint8_t>(flags[node]).store(1, std::memory_order_relaxed);
}

// The child entries are random positions: fetching the parent of the entry
// kAhead places on (the holders' entries lie end to end in the index)
// overlaps the cache misses of reading it.
constexpr ptrdiff_t kAhead = 64;

// The pass over the holders in [begin, end).
std::vector<Finding> CheckHolders(const Index& index, uint32_t begin, uint32_t end,
                                  Listings* listings, Subjects subjects) {
  std::vector<Finding> findings;
  std::vector<Ref> scratch;
  const Ref* last = begin == end ? nullptr : std::to_address(index.children(end - 1).end());
  for (uint32_t holder = begin; holder < end; ++holder) {
    const NodeId& holder_id = index.id(holder);
    const bool report = !SkippedAsSubject(holder_id) && IsSubject(subjects, holder);
    for (const Ref& child : index.children(holder)) {
      if (last - &child > kAhead && Index::IsNode((&child)[kAhead])) {
        index.PrefetchParent((&child)[kAhead]);
      }
      if (Index::IsNode(child)) Mark(listings->by_anyone, child);
      if (Index::IsNode(child) && index.parent(child) == holder) {
        Mark(listings->by_parent, child);
        continue;
      }
      if (!report) continue;
      const NodeId& child_id = index.RefId(child);
      if (child_id.IsVirtual()) continue;
      if (Index::IsAbsent(child)) {
        findings.push_back({.kind = ProblemKind::kMissing, .node = holder_id, .related = child_id});
        continue;
      }
      if (index.unreadable(child) || index.InSharedSet(child, holder_id)) continue;
      Ref recorded = index.parent(child);
      Finding f{.kind = ProblemKind::kDisconnected, .node = holder_id, .related = child_id};
      if (recorded != kNullRef) f.child_parent = index.RefId(recorded);
      findings.push_back(std::move(f));
    }
    if (report) FindDuplicates(index, holder, &scratch, &findings);
  }
  return findings;
}

}  // namespace

int PassThreads(const Index& index) {
  constexpr uint32_t kParallelNodes = 1 << 16;
  return index.size() < kParallelNodes ? 1 : DefaultThreads();
}

std::vector<Finding> RunLinkPass(const Index& index, Listings* listings, Subjects subjects) {
  listings->by_parent.assign(index.size(), 0);
  listings->by_anyone.assign(index.size(), 0);
  return CollectOnThreads<Finding>(PassThreads(index), index.size(), [&](size_t begin, size_t end) {
    return CheckHolders(index, static_cast<uint32_t>(begin), static_cast<uint32_t>(end), listings,
                        subjects);
  });
}

std::vector<Finding> RunUnreadablePass(const Index& index, Subjects subjects) {
  std::vector<Finding> findings;
  for (uint32_t pos = 0; pos < index.size(); ++pos) {
    if (!index.unreadable(pos) || !IsSubject(subjects, pos)) continue;
    const BundleError& error = index.error(pos);
    findings.push_back({.kind = ProblemKind::kUnreadable,
                        .node = index.id(pos),
                        .offset = error.offset,
                        .reason = error.expected});
  }
  return findings;
}

}  // namespace checker
