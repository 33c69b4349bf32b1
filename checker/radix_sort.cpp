// How the ids are sorted: most significant digit first, in two levels.
//
// Level 1 scatters the input by the top bits of the id into buckets of a few
// thousand ids (histograms per thread, then each thread writes its own slice
// of every bucket, so no two threads write the same place). The output has
// small pages and each bucket spans many of them, so the output becomes
// resident only as fast as the input is read and given back. With huge pages
// the first writes made all of it resident at once, beside all of the input:
// at 100M nodes that was the build's peak, 5.0 GiB instead of 4.0.
//
// Level 2 sorts each bucket on its own, in cache: its ids and input indices
// are gathered side by side into a buffer, scattered by the next 8 bits into
// a second one, each small run (a handful of ids) is std::sorted there, and
// the bucket is written back. Threads take contiguous runs of buckets of about equal
// size. Ids that are not random (all in one bucket) still sort correctly,
// only slower: the runs are then large and std::sort does the work.
#include "checker/radix_sort.h"

#include <algorithm>
#include <bit>
#include <vector>

#include "checker/parallel.h"

namespace checker {
namespace {

constexpr size_t kSmallInput = 4096;       // below: one std::sort
constexpr size_t kIdsPerBucket = 4096;     // level-1 bucket size aimed at
constexpr size_t kReleaseEvery = 1 << 16;  // input ids read between page releases
constexpr int kLevel2Bits = 8;

// An id and its input index side by side, for sorting one bucket in cache.
struct __attribute__((packed)) IdAndIndex {
  uint64_t msb;
  uint64_t lsb;
  uint32_t index;
};

bool Less(const IdAndIndex& a, const IdAndIndex& b) {
  return a.msb != b.msb ? a.msb < b.msb : a.lsb < b.lsb;
}

// Sorts `run` into `sorted` (resized to fit), for a run whose ids agree on the
// msb bits above `shift + kLevel2Bits`.
void SortRun(const std::vector<IdAndIndex>& run, int shift, std::vector<IdAndIndex>* sorted) {
  sorted->assign(run.begin(), run.end());
  if (run.size() < 64 || shift < 0) {
    std::sort(sorted->begin(), sorted->end(), Less);
    return;
  }
  constexpr size_t kDigits = size_t{1} << kLevel2Bits;
  uint32_t start[kDigits + 1] = {};
  for (const IdAndIndex& entry : run) ++start[((entry.msb >> shift) & (kDigits - 1)) + 1];
  for (size_t d = 1; d <= kDigits; ++d) start[d] += start[d - 1];
  uint32_t next[kDigits];
  std::copy(start, start + kDigits, next);
  for (const IdAndIndex& entry : run)
    (*sorted)[next[(entry.msb >> shift) & (kDigits - 1)]++] = entry;
  for (size_t d = 0; d < kDigits; ++d) {
    if (start[d + 1] - start[d] > 1) {
      std::sort(sorted->begin() + start[d], sorted->begin() + start[d + 1], Less);
    }
  }
}

// Sorts elements [begin, end) of `out` in place, through two buffers.
void SortBucket(SortedIds* out, size_t begin, size_t end, int shift, std::vector<IdAndIndex>* run,
                std::vector<IdAndIndex>* sorted) {
  run->clear();
  for (size_t i = begin; i < end; ++i) {
    run->push_back({out->ids[i].msb, out->ids[i].lsb, out->input_index[i]});
  }
  SortRun(*run, shift, sorted);
  for (size_t i = begin; i < end; ++i) {
    const IdAndIndex& entry = (*sorted)[i - begin];
    out->ids[i] = NodeId{entry.msb, entry.lsb};
    out->input_index[i] = entry.index;
  }
}

}  // namespace

SortedIds SortIdsConsuming(LargeArray<NodeId> ids, int threads) {
  const size_t n = ids.size();
  SortedIds out{LargeArray<NodeId>(Access::kSequential), LargeArray<uint32_t>(Access::kSequential)};
  out.ids.Resize(n);
  out.input_index.Resize(n);
  if (n < kSmallInput) {
    for (size_t i = 0; i < n; ++i) {
      out.ids[i] = ids[i];
      out.input_index[i] = static_cast<uint32_t>(i);
    }
    std::vector<IdAndIndex> run, sorted;
    SortBucket(&out, 0, n, -1, &run, &sorted);
    return out;
  }
  const int bits = std::clamp(static_cast<int>(std::bit_width(n / kIdsPerBucket)), 1, 16);
  const int shift = 64 - bits;
  const size_t buckets = size_t{1} << bits;
  threads = std::max(threads, 1);

  // counts[t][b]: first the ids of bucket b in thread t's slice of the input,
  // then where thread t writes its next id of bucket b.
  std::vector<std::vector<uint32_t>> counts(threads, std::vector<uint32_t>(buckets, 0));
  RunOnThreads(threads, [&](int t) {
    auto [begin, end] = SplitRange(n, threads, t);
    for (size_t i = begin; i < end; ++i) ++counts[t][ids[i].msb >> shift];
  });
  std::vector<uint32_t> bucket_start(buckets + 1);
  uint32_t total = 0;
  for (size_t b = 0; b < buckets; ++b) {
    bucket_start[b] = total;
    for (int t = 0; t < threads; ++t) total += std::exchange(counts[t][b], total);
  }
  bucket_start[buckets] = total;

  RunOnThreads(threads, [&](int t) {
    auto [begin, end] = SplitRange(n, threads, t);
    uint32_t* next = counts[t].data();
    for (size_t i = begin; i < end; ++i) {
      const NodeId& id = ids[i];
      const uint32_t at = next[id.msb >> shift]++;
      out.ids[at] = id;
      out.input_index[at] = static_cast<uint32_t>(i);
      if ((i - begin + 1) % kReleaseEvery == 0) ids.Release(begin, i + 1);
    }
  });
  ids.Clear();

  RunOnThreads(threads, [&](int t) {
    auto [lo, hi] = SplitRange(n, threads, t);
    // This thread sorts the buckets that start in [lo, hi).
    size_t b =
        std::lower_bound(bucket_start.begin(), bucket_start.end() - 1, lo) - bucket_start.begin();
    std::vector<IdAndIndex> run, sorted;
    for (; b < buckets && bucket_start[b] < hi; ++b) {
      if (bucket_start[b + 1] - bucket_start[b] > 1) {
        SortBucket(&out, bucket_start[b], bucket_start[b + 1], shift - kLevel2Bits, &run, &sorted);
      }
    }
  });
  return out;
}

}  // namespace checker
