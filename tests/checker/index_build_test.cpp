// The pieces of the index build (LargeArray, Prefaulter, IdInterner, the id sort) and
// the index itself against a plain std::map reference, on random graphs
// with absent ids, null parents, unreadable bundles and shared sets, built
// on one thread and on several, with the row count known and not.
#include <doctest/doctest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "checker/id_interner.h"
#include "checker/index.h"
#include "checker/large_array.h"
#include "checker/prefaulter.h"
#include "checker/radix_sort.h"
#include "model/bundle_codec.h"
#include "tests/support/graph.h"

namespace checker {
namespace {

NodeId RandomId(std::mt19937_64& random) { return NodeId{random(), random()}; }

TEST_CASE("LargeArray grows without losing elements, reads zero where new or released") {
  LargeArray<uint64_t> array;
  for (uint64_t i = 0; i < 1000000; ++i) array.push_back(i * 7);
  REQUIRE(array.size() == 1000000);
  bool intact = true;
  for (uint64_t i = 0; i < array.size(); ++i) intact &= array[i] == i * 7;
  CHECK(intact);

  // 8 MB: released in whole huge pages. Those inside elements [0, 600000)
  // read zero; the elements around them are kept.
  const size_t granule = array.Granule();
  CHECK(granule == large_array_internal::kHugePage);
  array.Release(0, 600000);  // 4.8 MB: at least one whole huge page
  const auto base = reinterpret_cast<uintptr_t>(array.data());
  const size_t first = ((base + granule - 1) / granule * granule - base) / 8;
  const size_t last = ((base + 600000 * 8) / granule * granule - base) / 8;
  REQUIRE(first < last);
  CHECK(array[first] == 0);
  CHECK(array[last - 1] == 0);
  if (first > 0) CHECK(array[first - 1] == (first - 1) * 7);
  CHECK(array[last] == last * 7);
  CHECK(array[999999] == 999999 * 7);

  array.Resize(1200000);
  CHECK(array[1100000] == 0);
  array.ShrinkToFit();
  CHECK(array.MappedBytes() < 1200000 * 8 + 4096);
  CHECK(array[999999] == 999999 * 7);
  array.Truncate(900000);
  CHECK(array.size() == 900000);
  CHECK(array.MappedBytes() < 900000 * 8 + 4096);
  array.Resize(900001);
  CHECK(array[900000] == 0);  // dropped, so zero again

  LargeArray<uint64_t> moved = std::move(array);
  CHECK(array.empty());
  CHECK(moved.size() == 900001);
  moved.Clear();
  CHECK(moved.MappedBytes() == 0);

  // A small array releases page by page.
  LargeArray<uint64_t> small(4096);
  for (uint64_t i = 0; i < small.size(); ++i) small[i] = i + 1;
  CHECK(small.Granule() == large_array_internal::PageSize());
  small.Release(0, 2048);
  const auto small_base = reinterpret_cast<uintptr_t>(small.data());
  const size_t page = large_array_internal::PageSize();
  const size_t released_end = ((small_base + 2048 * 8) / page * page - small_base) / 8;
  CHECK(small[0] == 0);  // mmap'd blocks start on a page
  CHECK(small[released_end - 1] == 0);
  CHECK(small[released_end] == released_end + 1);
}

// The VmFlags line of the mapping holding `address`, from /proc/self/smaps.
std::string VmFlagsOf(const void* address) {
  std::ifstream smaps("/proc/self/smaps");
  const auto at = reinterpret_cast<uintptr_t>(address);
  bool inside = false;
  for (std::string line; std::getline(smaps, line);) {
    uintptr_t begin = 0, end = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx ", &begin, &end) == 2) {
      inside = begin <= at && at < end;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line;
    }
  }
  return "";
}

TEST_CASE("LargeArray asks for huge pages for random access and small ones for streams") {
  LargeArray<uint64_t> random(1000000);
  LargeArray<uint64_t> stream(Access::kSequential);
  stream.Resize(1000000);
  CHECK(random.Granule() == large_array_internal::kHugePage);
  CHECK(stream.Granule() == large_array_internal::PageSize());
  CHECK(VmFlagsOf(random.data()).find(" hg") != std::string::npos);
  CHECK(VmFlagsOf(stream.data()).find(" nh") != std::string::npos);
  // Growing keeps the choice, and so does moving the array.
  stream.Resize(3000000);
  LargeArray<uint64_t> moved = std::move(stream);
  CHECK(VmFlagsOf(moved.data()).find(" nh") != std::string::npos);
  CHECK(moved.Granule() == large_array_internal::PageSize());
}

TEST_CASE("IdInterner numbers ids in first-seen order, the same id always the same") {
  for (uint64_t expected : {uint64_t{0}, uint64_t{50000}}) {
    CAPTURE(expected);
    std::mt19937_64 random(11);
    std::vector<NodeId> distinct(50000);
    for (NodeId& id : distinct) id = RandomId(random);
    distinct[7] = kRootNodeId;
    distinct[8] = kSystemNodeId;  // same low half as the root
    // Each id a few times, in random order.
    std::vector<NodeId> stream;
    for (int round = 0; round < 3; ++round)
      stream.insert(stream.end(), distinct.begin(), distinct.end());
    std::shuffle(stream.begin(), stream.end(), random);

    IdInterner interner(expected);
    std::vector<uint32_t> handles(stream.size());
    for (size_t at = 0; at < stream.size(); at += 1000) {
      size_t count = std::min<size_t>(1000, stream.size() - at);
      interner.Intern(std::span(stream).subspan(at, count), handles.data() + at);
    }
    std::map<NodeId, uint32_t> first;
    bool consistent = true;
    for (size_t i = 0; i < stream.size(); ++i) {
      auto [it, inserted] = first.emplace(stream[i], static_cast<uint32_t>(first.size()));
      consistent &= it->second == handles[i];
      consistent &= interner.id(handles[i]) == stream[i];
    }
    CHECK(consistent);
    CHECK(interner.size() == distinct.size());
    LargeArray<NodeId> ids = interner.TakeIds();
    CHECK(ids.size() == distinct.size());
  }
}

void CheckSorted(std::vector<NodeId> input, int threads) {
  LargeArray<NodeId> ids;
  for (const NodeId& id : input) ids.push_back(id);
  SortedIds sorted = SortIdsConsuming(std::move(ids), threads);
  REQUIRE(sorted.ids.size() == input.size());
  REQUIRE(sorted.input_index.size() == input.size());
  // Small pages: the output becomes resident as it is written, while the
  // input is given back (with huge pages, all of it at once).
  CHECK(sorted.ids.Granule() == large_array_internal::PageSize());
  CHECK(sorted.input_index.Granule() == large_array_internal::PageSize());
  bool ordered = true, matching = true;
  std::vector<bool> seen(input.size(), false);
  for (size_t i = 0; i < sorted.ids.size(); ++i) {
    const uint32_t index = sorted.input_index[i];
    if (i > 0) ordered &= sorted.ids[i - 1] < sorted.ids[i];
    matching &= index < input.size() && input[index] == sorted.ids[i] && !seen[index];
    if (index < input.size()) seen[index] = true;
  }
  CHECK(ordered);
  CHECK(matching);
}

TEST_CASE("SortIdsConsuming sorts random, clustered and tiny inputs on any number of threads") {
  std::mt19937_64 random(5);
  std::vector<NodeId> uniform(200000), clustered(20000), tiny(10);
  for (NodeId& id : uniform) id = RandomId(random);
  // All in one top-bits bucket, many sharing the msb: the slow path.
  for (size_t i = 0; i < clustered.size(); ++i) {
    clustered[i] = NodeId{0x2000000000000000ull + random() % 300, random()};
  }
  for (NodeId& id : tiny) id = RandomId(random);
  for (int threads : {1, 2, 3}) {
    CAPTURE(threads);
    CheckSorted(uniform, threads);
    CheckSorted(clustered, threads);
    CheckSorted(tiny, threads);
    CheckSorted({}, threads);
  }
}

// Whether this kernel populates memory on request (Linux 5.14 and later).
bool KernelPopulates() {
#if defined(MADV_POPULATE_WRITE)
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  void* probe = mmap(nullptr, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(probe != MAP_FAILED);
  const bool populates = madvise(probe, page, MADV_POPULATE_WRITE) == 0;
  munmap(probe, page);
  return populates;
#else
  return false;
#endif
}

// The pages of `bytes` that are resident.
size_t ResidentPages(std::span<std::byte> bytes) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> resident((bytes.size() + page - 1) / page);
  REQUIRE(mincore(bytes.data(), bytes.size(), resident.data()) == 0);
  return static_cast<size_t>(std::count_if(resident.begin(), resident.end(),
                                           [](unsigned char r) { return (r & 1) != 0; }));
}

TEST_CASE("a Prefaulter maps in its blocks and leaves what they hold alone") {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  LargeArray<uint64_t> array((size_t{64} << 20) / sizeof(uint64_t));  // 64 MiB, never written
  array[0] = 1;
  array[array.size() - 1] = 2;
  std::span<std::byte> bytes = array.Bytes(0, array.size());
  REQUIRE(ResidentPages(bytes) < bytes.size() / page);

  Prefaulter prefaulter;
  prefaulter.Start({bytes});
  CHECK(prefaulter.running());
  if (KernelPopulates()) {
    // Generous: populating 64 MiB takes well under a second.
    for (int wait = 0; wait < 600 && ResidentPages(bytes) < bytes.size() / page; ++wait) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(ResidentPages(bytes) == bytes.size() / page);
  }
  prefaulter.Stop();
  CHECK(!prefaulter.running());
  prefaulter.Stop();  // a second Stop does nothing

  CHECK(array[0] == 1);
  CHECK(array[array.size() - 1] == 2);
  bool zero = true;
  for (size_t i = 1; i + 1 < array.size(); i += 4099) zero &= array[i] == 0;
  CHECK(zero);

  Prefaulter moved;
  moved.Start({bytes});
  Prefaulter target = std::move(moved);
  CHECK(!moved.running());
  CHECK(target.running());
}

// A random graph: nodes with parents and children that exist, are absent or
// null, some unreadable, some with shared sets.
struct RandomGraph {
  struct Node {
    NodeId id;
    std::optional<NodeId> parent;
    std::vector<NodeId> children;
    std::vector<NodeId> shared;
    bool unreadable = false;
    Bytes bytes;
  };
  std::vector<Node> nodes;
};

RandomGraph MakeGraph(size_t n, uint64_t seed) {
  std::mt19937_64 random(seed);
  RandomGraph graph;
  graph.nodes.resize(n);
  for (auto& node : graph.nodes) node.id = RandomId(random);
  auto pick = [&]() -> NodeId {
    return random() % 20 == 0 ? RandomId(random) : graph.nodes[random() % n].id;
  };
  for (auto& node : graph.nodes) {
    if (random() % 100 == 0) {
      node.unreadable = true;
      node.bytes = {3, 0x7F};  // version 3, then an invalid name byte
      continue;
    }
    if (random() % 50 != 0) node.parent = pick();
    for (uint64_t k = random() % 4; k > 0; --k) node.children.push_back(pick());
    if (!node.children.empty() && random() % 10 == 0) node.children.push_back(node.children[0]);
    if (random() % 200 == 0) node.shared = {pick(), pick()};
    Result<Bytes> bytes = EncodeBundle(testing::Node(node.parent, node.children, node.shared));
    REQUIRE(bytes.ok());
    node.bytes = std::move(*bytes);
  }
  return graph;
}

// The index as it must be, computed the plain way.
void CheckAgainstReference(const RandomGraph& graph, const Index& index) {
  std::map<NodeId, const RandomGraph::Node*> by_id;
  for (const auto& node : graph.nodes) by_id[node.id] = &node;
  REQUIRE(index.size() == by_id.size());
  auto same = [&](Ref ref, const std::optional<NodeId>& want) {
    if (!want) return ref == kNullRef;
    if (by_id.count(*want)) return Index::IsNode(ref) && index.id(ref) == *want;
    return Index::IsAbsent(ref) && index.RefId(ref) == *want;
  };
  bool ids = true, parents = true, children = true, extras = true;
  std::map<Ref, NodeId> absent;  // every absent ref met, numbered in id order
  auto note_absent = [&](Ref ref) {
    if (Index::IsAbsent(ref)) absent[ref] = index.RefId(ref);
  };
  uint32_t pos = 0;
  for (const auto& [id, node] : by_id) {
    ids &= index.id(pos) == id && index.Find(id) == pos;
    if (node->unreadable) {
      parents &= index.unreadable(pos) && index.parent(pos) == kUnknownRef;
      extras &= index.error(pos).offset == 1;
    } else {
      parents &= same(index.parent(pos), node->parent);
    }
    note_absent(index.parent(pos));
    std::span<const Ref> refs = index.children(pos);
    for (Ref ref : refs) note_absent(ref);
    children &= refs.size() == node->children.size();
    for (size_t k = 0; k < refs.size() && k < node->children.size(); ++k) {
      children &= same(refs[k], node->children[k]);
    }
    std::span<const NodeId> shared = index.shared_set(pos);
    extras &= std::vector<NodeId>(shared.begin(), shared.end()) == node->shared;
    ++pos;
  }
  CHECK(ids);
  CHECK(parents);
  CHECK(children);
  CHECK(extras);
  CHECK(!index.Find(NodeId{1, 2}).has_value());
  REQUIRE(!absent.empty());
  bool absent_in_order = absent.begin()->first == kSpecialBase;
  for (auto it = std::next(absent.begin()); it != absent.end(); ++it) {
    absent_in_order &= std::prev(it)->first + 1 == it->first && std::prev(it)->second < it->second;
  }
  CHECK(absent_in_order);
}

TEST_CASE("the index equals a plain reference, whatever the threads, hint and feeding") {
  const RandomGraph graph = MakeGraph(70000, 3);  // above the one-thread limit
  // The hints: none; too low, so the arrays outgrow what the prefaulter
  // populates; right; too high.
  const std::vector<uint64_t> hints = {0, 66000, graph.nodes.size(), 2 * graph.nodes.size()};
  for (int threads : {1, 2}) {
    for (uint64_t hint : hints) {
      for (bool decoded_batches : {false, true}) {
        CAPTURE(threads);
        CAPTURE(hint);
        CAPTURE(decoded_batches);
        IndexBuilder builder(hint);
        if (decoded_batches) {
          std::vector<Row> rows;
          for (const auto& node : graph.nodes) rows.push_back({node.id, node.bytes});
          GraphFields scratch;
          DecodedRows decoded;
          for (size_t at = 0; at < rows.size(); at += 777) {
            DecodeRows(std::span(rows).subspan(at, std::min<size_t>(777, rows.size() - at)),
                       &scratch, &decoded);
            builder.Add(decoded);
          }
        } else {
          for (const auto& node : graph.nodes) builder.Add(node.id, node.bytes);
        }
        CHECK(builder.rows() == graph.nodes.size());
        Result<Index> index = builder.Finish(threads);
        REQUIRE(index.ok());
        CheckAgainstReference(graph, *index);
        CHECK(builder.rows() == 0);
      }
    }
  }
}

TEST_CASE("an empty index, and two rows with one id") {
  IndexBuilder empty;
  Result<Index> index = empty.Finish();
  REQUIRE(index.ok());
  CHECK(index->size() == 0);
  CHECK(!index->Find(kRootNodeId).has_value());

  IndexBuilder twice;
  Result<Bytes> bytes = EncodeBundle(testing::Node(std::nullopt));
  REQUIRE(bytes.ok());
  twice.Add(kRootNodeId, *bytes);
  twice.Add(testing::TestId(1), *bytes);
  twice.Add(kRootNodeId, *bytes);
  Result<Index> failed = twice.Finish();
  REQUIRE(!failed.ok());
  CHECK(failed.status().code() == Status::Code::kCorruption);
  CHECK(failed.status().message() ==
        "two rows have the same id cafebabe-cafe-babe-cafe-babecafebabe");
}

}  // namespace
}  // namespace checker
