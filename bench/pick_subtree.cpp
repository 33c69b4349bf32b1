// pick_subtree: prints a node whose subtree (following child entries whose
// child names the node as its parent) is closest in size to a target, for
// the scoped-check benchmark. Usage: pick_subtree URL [SIZE] (SIZE defaults
// to 1000); prints "<uuid> <subtree size>". Ties go to the smallest id.
//
// It builds the same index a full check builds, then sums subtree sizes
// bottom-up along a depth-first order from the root.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "checker/index.h"
#include "checker/parallel.h"
#include "storage/bundle_store.h"

namespace checker {
namespace {

// The nodes reachable from the root along consistent edges, parents first.
std::vector<uint32_t> TreeOrder(const Index& index, uint32_t root) {
  std::vector<uint32_t> order{root};
  for (size_t next = 0; next < order.size(); ++next) {
    const uint32_t holder = order[next];
    for (Ref child : index.children(holder)) {
      if (Index::IsNode(child) && index.parent(child) == holder) order.push_back(child);
    }
  }
  return order;
}

int Run(const std::string& url, uint64_t target) {
  auto store = OpenStore(url, OpenMode::kReadOnly);
  if (!store.ok()) {
    std::fprintf(stderr, "pick_subtree: %s\n", store.status().message().c_str());
    return 8;
  }
  IndexBuilder builder((*store)->CountRows("DEFAULT_").value_or(0));
  Status scanned = (*store)->Scan("DEFAULT_", [&](std::span<const Row> batch) {
    for (const Row& row : batch) builder.Add(row.id, row.bytes);
    return Status::Ok();
  });
  Result<Index> index = scanned.ok() ? builder.Finish(DefaultThreads()) : Result<Index>(scanned);
  std::optional<uint32_t> root = index.ok() ? index->Find(kRootNodeId) : std::nullopt;
  if (!root) {
    std::fprintf(stderr, "pick_subtree: no index or no root in %s\n", url.c_str());
    return 8;
  }
  std::vector<uint32_t> order = TreeOrder(*index, *root);
  std::vector<uint64_t> size(index->size(), 0);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    size[*it] += 1;
    Ref parent = index->parent(*it);
    if (*it != *root && Index::IsNode(parent)) size[parent] += size[*it];
  }
  uint32_t best = *root;
  for (uint32_t pos : order) {
    auto distance = [&](uint32_t p) {
      return size[p] > target ? size[p] - target : target - size[p];
    };
    if (distance(pos) < distance(best) || (distance(pos) == distance(best) && pos < best))
      best = pos;
  }
  std::printf("%s %llu\n", index->id(best).ToString().c_str(),
              static_cast<unsigned long long>(size[best]));
  return 0;
}

}  // namespace
}  // namespace checker

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: pick_subtree URL [SIZE]\n");
    return 16;
  }
  return checker::Run(argv[1], argc == 3 ? std::strtoull(argv[2], nullptr, 10) : 1000);
}
