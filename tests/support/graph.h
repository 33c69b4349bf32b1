// Test helpers: small repositories built from bundles in a MemoryStore, and a
// compact text form of findings ("MISSING n1 n99") for assertions.
#ifndef CHECKER_TESTS_SUPPORT_GRAPH_H_
#define CHECKER_TESTS_SUPPORT_GRAPH_H_

#include <optional>
#include <string>
#include <vector>

#include "checker/problem.h"
#include "model/bundle.h"
#include "storage/memory_store.h"

namespace checker::testing {

// 20000000-0000-0000-0000-<n as 12 hex digits>: readable ids for tests.
NodeId TestId(uint64_t n);

// A node for a test tree: nt:unstructured with children named c0, c1, ...
Bundle Node(std::optional<NodeId> parent, std::vector<NodeId> children = {},
            std::vector<NodeId> shared_set = {});

// Encodes and stores `bundle` under `id` in table <prefix>BUNDLE (created if
// needed).
void PutBundle(MemoryStore& store, const NodeId& id, const Bundle& bundle,
               const std::string& prefix = "DEFAULT_");
void PutBytes(MemoryStore& store, const NodeId& id, const Bytes& bytes,
              const std::string& prefix = "DEFAULT_");

// "LABEL node related", with ids written as TestId numbers ("n5") where they
// are test ids, and otherwise in full.
std::string Describe(const Finding& finding);
std::vector<std::string> Describe(const std::vector<Finding>& findings);

}  // namespace checker::testing

#endif  // CHECKER_TESTS_SUPPORT_GRAPH_H_
