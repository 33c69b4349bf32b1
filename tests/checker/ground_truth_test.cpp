// Random trees with planted damage: the findings must equal the generator's
// ground truth exactly (no false positive, no miss), and one fix must leave a
// store that checks clean, with every node still there and reachable.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include "checker/fix.h"
#include "checker/full_check.h"
#include "checker/planner.h"
#include "fixtures/generator.h"
#include "model/bundle_codec.h"
#include "storage/memory_store.h"
#include "tests/support/temp_dir.h"

namespace checker {
namespace {

using fixtures::GeneratorOptions;

std::string FindingsAsTruthText(const std::vector<Finding>& findings) {
  std::vector<fixtures::ExpectedFinding> as_truth;
  for (const Finding& f : findings) {
    auto kind = fixtures::FindingKindFromId(Problem(f.kind).id);
    REQUIRE(kind.has_value());
    as_truth.push_back({*kind, f.node, HasRelated(f) ? std::optional(f.related) : std::nullopt});
  }
  return fixtures::FormatTruth(as_truth);
}

TEST_CASE("100,000-node random trees: findings equal the planted ground truth") {
  for (uint64_t seed : {1, 2, 3, 4}) {
    CAPTURE(seed);
    GeneratorOptions options{.nodes = 100000, .seed = seed, .duplicate_entry_findings = true};
    std::mt19937_64 random(seed);
    for (size_t k = 0; k < fixtures::kDamageKindCount; ++k) {
      options.damage[k] = 5 + static_cast<uint32_t>(random() % 20);
    }
    MemoryStore store;
    auto truth = fixtures::GenerateInto(store, "DEFAULT_", options);
    REQUIRE(truth.ok());
    REQUIRE(truth->findings.size() > 100);
    Result<WorkspaceCheck> check = CheckWorkspace(store, "default", "DEFAULT_");
    REQUIRE(check.ok());
    CHECK(check->nodes == truth->rows);
    CHECK(check->dropped.empty());
    CHECK(FindingsAsTruthText(check->findings) == fixtures::FormatTruth(truth->findings));
  }
}

// Every node reaches the root or lost+found by parent ids, without a cycle.
std::vector<NodeId> Unreachable(const MemoryStore::Contents& rows) {
  std::unordered_map<NodeId, std::optional<NodeId>, NodeIdHash> parent;
  for (const auto& [id, bytes] : rows.at("DEFAULT_")) {
    Result<Bundle, BundleError> b = DecodeBundle(bytes);
    REQUIRE(b.ok());
    parent[id] = b->parent;
  }
  std::vector<NodeId> stuck;
  for (const auto& [id, ignored] : parent) {
    std::unordered_set<NodeId, NodeIdHash> seen;
    std::optional<NodeId> at = id;
    while (at && *at != kRootNodeId && *at != fixtures::kLostAndFoundId &&
           seen.insert(*at).second) {
      auto it = parent.find(*at);
      at = it == parent.end() ? std::nullopt : it->second;
    }
    if (!at || seen.count(*at)) stuck.push_back(id);
  }
  return stuck;
}

TEST_CASE("fix then check is clean, on hundreds of random damaged trees; nothing is lost") {
  testing::TempDir dir;
  std::mt19937_64 random(20261126);
  int fixed_trees = 0;
  for (int round = 0; fixed_trees < 300; ++round) {
    CAPTURE(round);
    REQUIRE(round < 1000);
    GeneratorOptions options{.nodes = 300 + random() % 1500, .seed = random()};
    options.fan_out = 2 + static_cast<uint32_t>(random() % 8);
    for (size_t k = 0; k < fixtures::kDamageKindCount; ++k) {
      options.damage[k] = static_cast<uint32_t>(random() % 4);
    }
    MemoryStore store;
    // A small tree may have no room for the damage asked; draw again.
    if (!fixtures::GenerateInto(store, "DEFAULT_", options).ok()) continue;
    ++fixed_trees;
    MemoryStore::Contents before = store.Dump();

    Result<WorkspaceCheck> check = CheckWorkspace(store, "default", "DEFAULT_");
    REQUIRE(check.ok());
    Plan plan =
        PlanRepairs(check->index, check->findings, {.lost_found = fixtures::kLostAndFoundId});
    for (const Outcome& outcome : plan.outcomes) CHECK(outcome.repaired());
    if (!plan.edits.empty()) {
      auto applied = ApplyRepairs(
          store, {{"default", "DEFAULT_", check->findings, plan}},
          {.store_url = "memory:", .undo_path = dir.File("undo-" + std::to_string(round))});
      REQUIRE(applied.ok());
    }
    Result<WorkspaceCheck> again = CheckWorkspace(store, "default", "DEFAULT_");
    REQUIRE(again.ok());
    CHECK(again->findings.empty());
    MemoryStore::Contents after = store.Dump();
    CHECK(after.at("DEFAULT_").size() == before.at("DEFAULT_").size());
    CHECK(Unreachable(after).empty());
  }
}

}  // namespace
}  // namespace checker
