#include "tests/support/graph.h"

#include <doctest/doctest.h>

#include "model/bundle_codec.h"

namespace checker::testing {

NodeId TestId(uint64_t n) { return NodeId{0x2000000000000000ull, n}; }

Bundle Node(std::optional<NodeId> parent, std::vector<NodeId> children,
            std::vector<NodeId> shared_set) {
  Bundle b;
  b.primary_type = Name{std::string(kNtUri), "unstructured"};
  b.parent = parent;
  for (size_t i = 0; i < children.size(); ++i) {
    b.children.push_back({Name{"", "c" + std::to_string(i)}, children[i]});
  }
  b.shared_set = std::move(shared_set);
  return b;
}

void PutBytes(MemoryStore& store, const NodeId& id, const Bytes& bytes, const std::string& prefix) {
  auto txn = store.BeginWrite();
  REQUIRE(txn.ok());
  REQUIRE((*txn)->CreateTable(prefix).ok());
  REQUIRE((*txn)->Put(prefix, id, bytes).ok());
  REQUIRE((*txn)->Commit().ok());
}

void PutBundle(MemoryStore& store, const NodeId& id, const Bundle& bundle,
               const std::string& prefix) {
  Result<Bytes> bytes = EncodeBundle(bundle);
  REQUIRE(bytes.ok());
  PutBytes(store, id, *bytes, prefix);
}

namespace {
std::string Short(const NodeId& id) {
  if (id.msb == 0x2000000000000000ull && id.lsb < 0x1000000) return "n" + std::to_string(id.lsb);
  return id.ToString();
}
}  // namespace

std::string Describe(const Finding& f) {
  std::string text = std::string(Problem(f.kind).label) + " " + Short(f.node);
  if (HasRelated(f)) text += " " + Short(f.related);
  return text;
}

std::vector<std::string> Describe(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(Describe(f));
  return out;
}

}  // namespace checker::testing
