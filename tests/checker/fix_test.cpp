// fix and undo: the store is never made worse. A fix is one transaction
// after an undo file; any failure leaves the store exactly as it was; undo
// brings it back byte for byte; a scoped check costs what its scope costs.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "checker/fix.h"
#include "checker/full_check.h"
#include "checker/interrupt.h"
#include "checker/planner.h"
#include "checker/scope.h"
#include "fixtures/generator.h"
#include "model/bundle_codec.h"
#include "storage/memory_store.h"
#include "tests/support/files.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

namespace checker {
namespace {

using fixtures::DamageKind;
using fixtures::GeneratorOptions;
using testing::CheckerBin;
using testing::Run;
using testing::RunResult;
using testing::TempDir;

const std::string kLostFound = fixtures::kLostAndFoundId.ToString();

GeneratorOptions DamagedTree(uint64_t nodes, uint64_t seed) {
  GeneratorOptions options{.nodes = nodes, .seed = seed, .fan_out = 4};
  for (size_t k = 0; k < fixtures::kRepairableDamageKindCount; ++k) options.damage[k] = 2;
  return options;
}

// Every row of every table, for byte-for-byte comparisons.
MemoryStore::Contents DumpStore(const std::string& url) {
  auto store = OpenStore(url, OpenMode::kReadOnly);
  REQUIRE(store.ok());
  MemoryStore::Contents rows;
  auto tables = (*store)->ListBundleTables();
  REQUIRE(tables.ok());
  for (const std::string& prefix : *tables) {
    auto& table = rows[prefix];
    REQUIRE((*store)
                ->Scan(prefix,
                       [&](std::span<const Row> batch) {
                         for (const Row& r : batch)
                           table[r.id] = Bytes(r.bytes.begin(), r.bytes.end());
                         return Status::Ok();
                       })
                .ok());
  }
  return rows;
}

std::string MakeSqliteStore(const TempDir& dir, const GeneratorOptions& options) {
  const std::string url = "sqlite:" + dir.File("repo.db");
  auto store = OpenStore(url, OpenMode::kCreate);
  REQUIRE(store.ok());
  REQUIRE(fixtures::GenerateInto(**store, "DEFAULT_", options).ok());
  return url;
}

TEST_CASE("undo brings the store back byte for byte, and refuses if it changed since") {
  TempDir dir;
  const std::string url = MakeSqliteStore(dir, DamagedTree(2000, 7));
  MemoryStore::Contents before = DumpStore(url);
  const std::string undo = dir.File("fix.undo");
  RunResult fixed = Run(CheckerBin() + " fix --url " + url + " --lost-found " + kLostFound +
                        " --undo-file " + undo);
  REQUIRE(fixed.exit_code == 1);
  CHECK(fixed.out.find("undo file: " + undo) != std::string::npos);
  MemoryStore::Contents after_fix = DumpStore(url);
  REQUIRE(after_fix != before);

  SUBCASE("undo restores every row") {
    RunResult undone = Run(CheckerBin() + " undo " + undo);
    CHECK(undone.exit_code == 0);
    CHECK(DumpStore(url) == before);
  }
  SUBCASE("a row changed since the fix: undo refuses and restores nothing; --force does") {
    RunResult again = Run(CheckerBin() + " fix --url " + url + " --lost-found " + kLostFound +
                          " --undo-file " + dir.File("second.undo"));
    REQUIRE(again.exit_code == 0);  // nothing left to fix: nothing written
    auto store = OpenStore(url, OpenMode::kReadWrite);
    REQUIRE(store.ok());
    auto txn = (*store)->BeginWrite();
    REQUIRE(txn.ok());
    // A row the fix rewrote, changed again by someone else.
    const auto& fixed_rows = after_fix.at("DEFAULT_");
    auto rewritten = std::find_if(fixed_rows.begin(), fixed_rows.end(), [&](const auto& row) {
      return before.at("DEFAULT_").at(row.first) != row.second;
    });
    REQUIRE(rewritten != fixed_rows.end());
    const NodeId changed_id = rewritten->first;
    Bytes touched = rewritten->second;
    touched.push_back(0);  // trailing bytes are ignored by readers: still a valid bundle
    REQUIRE((*txn)->Put("DEFAULT_", changed_id, touched).ok());
    REQUIRE((*txn)->Commit().ok());
    store->reset();
    MemoryStore::Contents touched_rows = DumpStore(url);

    RunResult refused = Run(CheckerBin() + " undo " + undo);
    CHECK(refused.exit_code == 8);
    CHECK(refused.err.find("changed since the fix") != std::string::npos);
    CHECK(DumpStore(url) == touched_rows);
    RunResult forced = Run(CheckerBin() + " undo --force " + undo);
    CHECK(forced.exit_code == 0);
    CHECK(DumpStore(url) == before);
  }
}

// Runs check + plan on `store` and returns what ApplyRepairs needs.
std::vector<WorkspaceRepair> PlanFor(MemoryStore& store) {
  Result<WorkspaceCheck> check = CheckWorkspace(store, "default", "DEFAULT_");
  REQUIRE(check.ok());
  Plan plan = PlanRepairs(check->index, check->findings, {.lost_found = fixtures::kLostAndFoundId});
  REQUIRE_FALSE(plan.edits.empty());
  return {{"default", "DEFAULT_", check->findings, plan}};
}

TEST_CASE("a failure at any write position leaves the store exactly as it was") {
  TempDir dir;
  MemoryStore store;
  REQUIRE(fixtures::GenerateInto(store, "DEFAULT_", DamagedTree(500, 3)).ok());
  const MemoryStore::Contents before = store.Dump();
  std::vector<WorkspaceRepair> repairs = PlanFor(store);
  const size_t writes = repairs[0].plan.edits.size();
  REQUIRE(writes >= 10);
  // Positions 0..writes-1 fail a Put; position `writes` fails the commit.
  for (size_t position = 0; position <= writes; ++position) {
    CAPTURE(position);
    const std::string undo = dir.File("undo-" + std::to_string(position));
    store.FailWriteAt(position);
    Result<Applied> applied = ApplyRepairs(store, repairs, {"memory:", undo});
    CHECK_FALSE(applied.ok());
    CHECK(store.Dump() == before);
    CHECK_FALSE(std::filesystem::exists(undo));  // no undo file for a fix that did not happen
  }
  store.ClearWriteFailure();
  Result<Applied> applied = ApplyRepairs(store, repairs, {"memory:", dir.File("undo-ok")});
  REQUIRE(applied.ok());
  CHECK(applied->rewritten == writes);
  CHECK(store.Dump() != before);
}

TEST_CASE("Ctrl-C before the commit rolls back, and a busy store is refused at once") {
  TempDir dir;
  MemoryStore store;
  REQUIRE(fixtures::GenerateInto(store, "DEFAULT_", DamagedTree(500, 4)).ok());
  const MemoryStore::Contents before = store.Dump();
  std::vector<WorkspaceRepair> repairs = PlanFor(store);
  SUBCASE("interrupted") {
    RequestInterrupt();
    Result<Applied> applied = ApplyRepairs(store, repairs, {"memory:", dir.File("undo")});
    ClearInterrupt();
    REQUIRE_FALSE(applied.ok());
    CHECK(applied.status().IsInterrupted());
  }
  SUBCASE("busy") {
    store.SetBusy(true);
    Result<Applied> applied = ApplyRepairs(store, repairs, {"memory:", dir.File("undo")});
    REQUIRE_FALSE(applied.ok());
    CHECK(applied.status().IsBusy());
  }
  CHECK(store.Dump() == before);
  CHECK_FALSE(std::filesystem::exists(dir.File("undo")));
}

TEST_CASE("fix refuses before writing anything: locked store, bad lost+found") {
  TempDir dir;
  const std::string url = MakeSqliteStore(dir, DamagedTree(1000, 5));
  const MemoryStore::Contents before = DumpStore(url);
  SUBCASE("another process holds the write lock: exit 8 at once") {
    auto other = OpenStore(url, OpenMode::kReadWrite);
    REQUIRE(other.ok());
    auto txn = (*other)->BeginWrite();
    REQUIRE(txn.ok());
    RunResult r = Run("timeout 20 " + CheckerBin() + " fix --url " + url + " --lost-found " +
                      kLostFound + " --undo-file " + dir.File("undo"));
    CHECK(r.exit_code == 8);
    CHECK(r.err.find("locked") != std::string::npos);
  }
  SUBCASE("lost+found does not exist") {
    RunResult r =
        Run(CheckerBin() + " fix --url " + url +
            " --lost-found 1f000000-0000-0000-0000-0000000000aa --undo-file " + dir.File("undo"));
    CHECK(r.exit_code == 8);
    CHECK(r.err.find("does not exist") != std::string::npos);
  }
  SUBCASE("lost+found is not nt:unstructured") {
    RunResult r =
        Run(CheckerBin() + " fix --url " + url +
            " --lost-found cafebabe-cafe-babe-cafe-babecafebabe --undo-file " + dir.File("undo"));
    CHECK(r.exit_code == 8);
    CHECK(r.err.find("not nt:unstructured") != std::string::npos);
  }
  SUBCASE("a malformed --lost-found is a usage error") {
    RunResult r = Run(CheckerBin() + " fix --url " + url + " --lost-found nope");
    CHECK(r.exit_code == 16);
  }
  SUBCASE("--dry-run says what it would do and writes nothing") {
    RunResult r = Run(CheckerBin() + " fix --dry-run --url " + url + " --lost-found " + kLostFound +
                      " --undo-file " + dir.File("undo"));
    CHECK(r.exit_code == 4);
    CHECK(r.out.find("  would ") != std::string::npos);
    CHECK(r.out.find("repaired:") == std::string::npos);
  }
  CHECK(DumpStore(url) == before);
  CHECK_FALSE(std::filesystem::exists(dir.File("undo")));
}

TEST_CASE("without a lost+found, orphans stay and everything else is repaired") {
  TempDir dir;
  GeneratorOptions options{.nodes = 1000, .seed = 9, .fan_out = 4};
  options.damage[static_cast<size_t>(DamageKind::kDeletedInner)] = 1;
  options.damage[static_cast<size_t>(DamageKind::kAbandoned)] = 2;
  const std::string url = MakeSqliteStore(dir, options);
  RunResult fixed = Run(CheckerBin() + " fix --url " + url + " --undo-file " + dir.File("u"));
  CHECK(fixed.exit_code == 4);
  CHECK(fixed.out.find("not repaired: no lost+found node configured (set "
                       "check.default.lostnfound or pass --lost-found UUID)") != std::string::npos);
  RunResult after = Run(CheckerBin() + " check --url " + url);
  CHECK(after.exit_code == 4);
  CHECK(after.out.find("ORPHANED") != std::string::npos);
  CHECK(after.out.find("ABANDONED") == std::string::npos);
  CHECK(after.out.find("MISSING") == std::string::npos);
}

// Parent -> children over every decoded row.
using ChildMap = std::unordered_map<NodeId, std::vector<NodeId>, NodeIdHash>;

ChildMap ChildrenByParent(const MemoryStore::Contents& rows) {
  ChildMap children;
  GraphFields fields;
  for (const auto& [id, bytes] : rows.at("DEFAULT_")) {
    REQUIRE_FALSE(DecodeGraph(bytes, GraphOptions{}, &fields));
    if (fields.parent) children[*fields.parent].push_back(id);
  }
  return children;
}

std::unordered_set<NodeId, NodeIdHash> Subtree(const ChildMap& children, const NodeId& top) {
  std::unordered_set<NodeId, NodeIdHash> seen{top};
  std::vector<NodeId> work{top};
  while (!work.empty()) {
    NodeId at = work.back();
    work.pop_back();
    auto it = children.find(at);
    if (it == children.end()) continue;
    for (const NodeId& c : it->second) {
      if (seen.insert(c).second) work.push_back(c);
    }
  }
  return seen;
}

// The node whose subtree size is closest to `wanted` (sizes by one post-order walk).
NodeId NodeWithSubtreeOf(const ChildMap& children, size_t wanted) {
  std::unordered_map<NodeId, size_t, NodeIdHash> size;
  std::vector<std::pair<NodeId, bool>> work{{kRootNodeId, false}};
  NodeId best = kRootNodeId;
  size_t best_gap = SIZE_MAX;
  while (!work.empty()) {
    auto [at, expanded] = work.back();
    work.pop_back();
    auto it = children.find(at);
    if (!expanded) {
      work.push_back({at, true});
      if (it != children.end()) {
        for (const NodeId& c : it->second) work.push_back({c, false});
      }
      continue;
    }
    size_t total = 1;
    if (it != children.end()) {
      for (const NodeId& c : it->second) total += size[c];
    }
    size[at] = total;
    size_t gap = total > wanted ? total - wanted : wanted - total;
    if (gap < best_gap) best = at, best_gap = gap;
  }
  return best;
}

TEST_CASE(
    "a scoped check of a 1,000-node subtree of a 1,000,000-node store reads about 1,000 "
    "bundles, and finds what a full check finds there") {
  MemoryStore store;
  GeneratorOptions options{.nodes = 1000000, .seed = 11, .fan_out = 10};
  for (size_t k = 0; k < fixtures::kLinkDamageKindCount; ++k) options.damage[k] = 200;
  REQUIRE(fixtures::GenerateInto(store, "DEFAULT_", options).ok());
  const ChildMap children = ChildrenByParent(store.Dump());
  const NodeId top = NodeWithSubtreeOf(children, 1000);
  const std::unordered_set<NodeId, NodeIdHash> scope = Subtree(children, top);
  REQUIRE(scope.size() >= 900);
  REQUIRE(scope.size() <= 1100);

  store.ResetReadCounts();
  Result<WorkspaceCheck> scoped = CheckScope(store, "default", "DEFAULT_", {top}, true);
  REQUIRE(scoped.ok());
  const uint64_t reads = store.reads().gets + store.reads().rows_scanned;
  MESSAGE("scope " << scope.size() << " nodes, " << reads << " bundle reads");
  CHECK(store.reads().rows_scanned == 0);
  CHECK(scoped->nodes >= scope.size() - 10);
  CHECK(reads <= 4 * scope.size() + 100);  // the node, its children, its parent, double check

  Result<WorkspaceCheck> full = CheckWorkspace(store, "default", "DEFAULT_");
  REQUIRE(full.ok());
  std::vector<Finding> expected;
  for (const Finding& f : full->findings) {
    if (scope.count(f.node)) expected.push_back(f);
  }
  CHECK(scoped->findings == expected);
}

TEST_CASE("scoped mode: a bad uuid is a usage error, an absent one an operational error") {
  TempDir dir;
  const std::string url = MakeSqliteStore(dir, DamagedTree(1000, 6));
  RunResult bad = Run(CheckerBin() + " check --url " + url + " 1234");
  CHECK(bad.exit_code == 16);
  RunResult absent =
      Run(CheckerBin() + " check --url " + url + " 20000000-0000-0000-0000-0000000000ff -r");
  CHECK(absent.exit_code == 8);
  CHECK(absent.err.find("no bundle for node 20000000-0000-0000-0000-0000000000ff") !=
        std::string::npos);
  RunResult root = Run(CheckerBin() + " check --url " + url +
                       " cafebabe-cafe-babe-cafe-babecafebabe --recursive");
  CHECK(root.exit_code == 4);
  CHECK(root.out.find("note: scoped to 1 given node(s) and their subtrees") != std::string::npos);
  RunResult full = Run(CheckerBin() + " check --url " + url);
  // From the root, a recursive scoped check sees what a full check sees,
  // except what hangs outside the tree (orphans and what they hold).
  CHECK(full.exit_code == 4);
}

}  // namespace
}  // namespace checker
