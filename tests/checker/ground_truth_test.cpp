// Random trees with planted damage of every kind, around healthy content
// (references in every direction, shareable nodes, versionable nodes with
// their histories in the version store): the findings of `check --history
// --references` must equal the generator's ground truth exactly (no false
// positive, no miss), in both workspaces; one fix must leave exactly the
// findings fix does not repair, with every node still there and reachable.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "checker/fix.h"
#include "checker/planner.h"
#include "checker/repository_check.h"
#include "fixtures/generator.h"
#include "model/bundle_codec.h"
#include "storage/memory_store.h"
#include "tests/support/files.h"
#include "tests/support/json.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

namespace checker {
namespace {

using fixtures::ExpectedFinding;
using fixtures::FindingKind;
using fixtures::GeneratorOptions;

// What `check --history --references` checks in a generated store.
Config GeneratedRepository() {
  Config config;
  config.storage_url = "memory:";
  config.workspaces = {
      {.name = "default", .table_prefix = "DEFAULT_", .lost_found = fixtures::kLostAndFoundId}};
  config.version_workspace = {.name = "version", .table_prefix = "VERSION_"};
  config.check_history = true;
  config.check_references = true;
  return config;
}

std::vector<ExpectedFinding> AsTruth(const RepositoryCheck& check) {
  std::vector<ExpectedFinding> truth;
  for (const WorkspaceCheck& ws : check.workspaces) {
    for (const Finding& f : ws.findings) {
      auto kind = fixtures::FindingKindFromId(Problem(f.kind).id);
      REQUIRE(kind.has_value());
      truth.push_back(
          {*kind, f.node, HasRelated(f) ? std::optional(f.related) : std::nullopt, ws.workspace});
    }
  }
  std::sort(truth.begin(), truth.end());
  return truth;
}

std::vector<fixtures::UnusedHistory> AsTruth(const std::vector<UnusedHistory>& unused) {
  std::vector<fixtures::UnusedHistory> truth;
  for (const UnusedHistory& u : unused) truth.push_back({u.history, u.versionable});
  std::sort(truth.begin(), truth.end());
  return truth;
}

const WorkspaceCheck& Workspace(const RepositoryCheck& check, std::string_view name) {
  for (const WorkspaceCheck& ws : check.workspaces) {
    if (ws.workspace == name) return ws;
  }
  FAIL("no workspace " << name);
  throw;
}

TEST_CASE("100,000-node random trees: findings equal the planted ground truth") {
  std::set<FindingKind> kinds;
  for (uint64_t seed : {1, 2, 3, 4}) {
    CAPTURE(seed);
    GeneratorOptions options{.nodes = 100000, .seed = seed, .duplicate_entry_findings = true};
    std::mt19937_64 random(seed);
    for (size_t k = 0; k < fixtures::kDamageKindCount; ++k) {
      options.damage[k] = 5 + static_cast<uint32_t>(random() % 20);
    }
    options.references = 2000;
    options.weak_references = 1000;
    options.shareable = 200;
    options.versionable = 500;
    options.unused_histories = 7;
    options.delete_root = seed % 2 == 0;
    options.delete_version_storage = seed == 3;
    MemoryStore store;
    auto truth = fixtures::GenerateInto(store, "DEFAULT_", options);
    REQUIRE(truth.ok());
    REQUIRE(truth->findings.size() > 200);
    Result<RepositoryCheck> check = CheckRepository(store, GeneratedRepository());
    REQUIRE(check.ok());
    REQUIRE(check->workspaces.size() == 2);
    CHECK(Workspace(*check, "default").nodes == truth->rows);
    CHECK(Workspace(*check, "version").nodes == truth->version_rows);
    for (const WorkspaceCheck& ws : check->workspaces) CHECK(ws.dropped.empty());
    CHECK(fixtures::FormatTruth(AsTruth(*check)) == fixtures::FormatTruth(truth->findings));
    CHECK(AsTruth(check->unused_histories) == truth->unused_histories);
    for (const ExpectedFinding& f : truth->findings) kinds.insert(f.kind);
  }
  CHECK(kinds.size() == 10);  // every kind the checker knows
}

// The same through the command line: what `mkfixture generate --truth`
// writes is what `checker check --history --references --format json`
// reports, findings and information lines alike.
TEST_CASE("mkfixture generate --truth equals checker check --history --references") {
  testing::TempDir dir;
  const std::string db = dir.File("all.db"), truth_file = dir.File("all.truth");
  testing::RunResult made = testing::Run(
      testing::MkfixtureBin() + " generate sqlite:" + db + " --nodes 30000 --seed 17 " +
      "--references 600 --weak-references 300 --shareable 60 --versionable 150 "
      "--unused-histories 4 --delete-root --report-duplicates --truth " +
      truth_file +
      " --damage missing-entry=2,deleted-leaf=2,deleted-inner=2,abandoned=2,disconnected=2,"
      "interrupted-move=2,null-parent=2,duplicate-entry=2,detached=2,cycle=4,unreadable=4,"
      "dangling-reference=3,missing-version-history=3");
  REQUIRE_MESSAGE(made.exit_code == 0, made.err);
  testing::RunResult checked = testing::Run(testing::CheckerBin() + " check --url sqlite:" + db +
                                            " --history --references --format json");
  CHECK(checked.exit_code == 4);
  std::string found;
  std::vector<std::string> lines;
  std::istringstream in(checked.out);
  for (std::string line; std::getline(in, line);) {
    auto json = testing::ParseJson(line);
    REQUIRE(json.ok());
    const std::string& type = json->at("type").str();
    if (type == "summary") continue;
    const std::string ws = json->at("workspace").str();
    std::string text = json->at("kind").str() + " " + json->at("node").str() + " " +
                       (json->at("related").is_null() ? "-" : json->at("related").str()) +
                       (ws == "default" ? "" : " ws=" + ws);
    lines.push_back(type == "info" ? "# " + text : text);
  }
  std::sort(lines.begin(), lines.end(), [](const std::string& a, const std::string& b) {
    return std::pair(a.starts_with("#"), a) < std::pair(b.starts_with("#"), b);
  });
  for (const std::string& line : lines) found += line + "\n";
  CHECK(found == testing::ReadFile(truth_file));
}

// The findings fix leaves alone: it never rewrites what it cannot read,
// cannot make a root, and does not guess what a property should name.
bool Repairable(const ExpectedFinding& f) {
  return f.kind != FindingKind::kUnreadable && f.kind != FindingKind::kMissingRoot &&
         f.kind != FindingKind::kDanglingReference && f.kind != FindingKind::kMissingVersionHistory;
}

// Every node reaches its store's root or lost+found by parent ids, without
// a cycle. A walk that meets an unreadable bundle stops there (its parent is
// unknown); a missing root is where the walk ends too.
std::vector<NodeId> Unreachable(const std::map<NodeId, Bytes>& rows, const NodeId& root) {
  std::unordered_map<NodeId, std::optional<NodeId>, NodeIdHash> parent;
  std::unordered_set<NodeId, NodeIdHash> unreadable;
  for (const auto& [id, bytes] : rows) {
    Result<Bundle, BundleError> b = DecodeBundle(bytes);
    if (b.ok()) {
      parent[id] = b->parent;
    } else {
      unreadable.insert(id);
    }
  }
  std::vector<NodeId> stuck;
  for (const auto& [id, ignored] : parent) {
    std::unordered_set<NodeId, NodeIdHash> seen;
    std::optional<NodeId> at = id;
    while (at && *at != root && *at != fixtures::kLostAndFoundId && !unreadable.count(*at) &&
           seen.insert(*at).second) {
      auto it = parent.find(*at);
      at = it == parent.end() ? std::nullopt : it->second;
    }
    if (!at || seen.count(*at)) stuck.push_back(id);
  }
  return stuck;
}

TEST_CASE("fix then check leaves only what fix does not repair, on hundreds of random trees") {
  testing::TempDir dir;
  std::mt19937_64 random(20261126);
  const Config config = GeneratedRepository();
  int fixed_trees = 0, with_missing_root = 0;
  size_t findings = 0, left = 0;
  for (int round = 0; fixed_trees < 300; ++round) {
    CAPTURE(round);
    REQUIRE(round < 1000);
    GeneratorOptions options{.nodes = 300 + random() % 1500, .seed = random()};
    options.fan_out = 2 + static_cast<uint32_t>(random() % 8);
    for (size_t k = 0; k < fixtures::kDamageKindCount; ++k) {
      options.damage[k] = static_cast<uint32_t>(random() % 4);
    }
    options.duplicate_entry_findings = true;
    options.references = static_cast<uint32_t>(random() % 40);
    options.weak_references = static_cast<uint32_t>(random() % 20);
    options.shareable = static_cast<uint32_t>(random() % 6);
    options.versionable = static_cast<uint32_t>(random() % 10);
    options.unused_histories = static_cast<uint32_t>(random() % 2);
    options.delete_root = random() % 10 == 0;
    CAPTURE(options.seed);
    MemoryStore store;
    // A small tree may have no room for the damage asked; draw again.
    auto truth = fixtures::GenerateInto(store, "DEFAULT_", options);
    if (!truth.ok()) continue;
    ++fixed_trees;
    with_missing_root += options.delete_root;
    MemoryStore::Contents before = store.Dump();

    Result<RepositoryCheck> check = CheckRepository(store, config);
    REQUIRE(check.ok());
    CHECK(AsTruth(*check) == truth->findings);
    findings += truth->findings.size();

    // What stays: the kinds fix does not repair, and with the root missing
    // lost+found itself, orphaned under it.
    std::vector<ExpectedFinding> expected;
    for (const ExpectedFinding& f : truth->findings) {
      if (!Repairable(f) ||
          (f.kind == FindingKind::kOrphaned && f.node == fixtures::kLostAndFoundId)) {
        expected.push_back(f);
      }
    }
    left += expected.size();
    std::vector<WorkspaceRepair> repairs;
    for (const WorkspaceCheck& ws : check->workspaces) {
      std::optional<NodeId> lost_found;
      if (ws.workspace == "default") lost_found = fixtures::kLostAndFoundId;
      Plan plan = PlanRepairs(ws.index, ws.findings, {.lost_found = lost_found});
      for (size_t i = 0; i < ws.findings.size(); ++i) {
        const Finding& f = ws.findings[i];
        bool stays = !Repairable({*fixtures::FindingKindFromId(Problem(f.kind).id), f.node}) ||
                     (f.kind == ProblemKind::kOrphaned && f.node == fixtures::kLostAndFoundId);
        CHECK_MESSAGE(plan.outcomes[i].repaired() != stays, FindingMessage(f));
      }
      if (!plan.edits.empty()) {
        repairs.push_back({ws.workspace, ws.table_prefix, ws.findings, std::move(plan)});
      }
    }
    if (!repairs.empty()) {
      auto applied = ApplyRepairs(
          store, repairs,
          {.store_url = "memory:", .undo_path = dir.File("undo-" + std::to_string(round))});
      REQUIRE_MESSAGE(applied.ok(), applied.status().message());
    }
    Result<RepositoryCheck> again = CheckRepository(store, config);
    REQUIRE(again.ok());
    CHECK(AsTruth(*again) == expected);
    CHECK(AsTruth(again->unused_histories) == truth->unused_histories);

    MemoryStore::Contents after = store.Dump();
    REQUIRE(after.size() == before.size());
    for (const auto& [table, rows] : before) {
      CAPTURE(table);
      const auto& now = after.at(table);
      CHECK(now.size() == rows.size());
      CHECK(std::all_of(rows.begin(), rows.end(),
                        [&](const auto& row) { return now.count(row.first) > 0; }));
      // An unreadable bundle is never rewritten.
      for (const auto& [id, bytes] : rows) {
        if (!DecodeBundle(bytes).ok()) CHECK(now.at(id) == bytes);
      }
    }
    CHECK(Unreachable(after.at("DEFAULT_"), kRootNodeId).empty());
    if (after.count("VERSION_")) {
      CHECK(Unreachable(after.at("VERSION_"), kVersionStorageNodeId).empty());
    }
  }
  MESSAGE(fixed_trees << " trees (" << with_missing_root << " without a root), " << findings
                      << " findings planted, " << left << " not repairable");
}

}  // namespace
}  // namespace checker
