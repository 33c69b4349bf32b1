// References and version histories across stores (link_check.h), through
// CheckRepository, on small hand-built repositories: a workspace "default"
// with a versionable node, and its version store.
#include <doctest/doctest.h>

#include <set>

#include "checker/fix.h"
#include "checker/planner.h"
#include "checker/repository_check.h"
#include "tests/support/graph.h"
#include "tests/support/temp_dir.h"

namespace checker {
namespace {

using testing::Describe;
using testing::Node;
using testing::PutBundle;
using testing::TestId;
using Lines = std::vector<std::string>;

const NodeId kVersionable = TestId(1);
const NodeId kHolder = TestId(2);  // holds references in every direction
const NodeId kLeaf = TestId(3);    // below kHolder
const NodeId kFolder = TestId(10);
const NodeId kHistory = TestId(11);
const NodeId kRootVersion = TestId(12);
const NodeId kFrozen = TestId(13);
const NodeId kOtherNode = TestId(20);  // in workspace "other"

PropertyEntry Refs(const std::string& name, PropertyType type, std::vector<NodeId> ids) {
  PropertyEntry p{.name = {"", name}, .type = type, .multi_valued = ids.size() != 1};
  for (const NodeId& id : ids) p.values.emplace_back(id);
  return p;
}

PropertyEntry Jcr(const std::string& local, PropertyType type, std::vector<NodeId> ids) {
  PropertyEntry p = Refs(local, type, std::move(ids));
  p.name.uri = std::string(kJcrUri);
  return p;
}

// What to leave out of, or add to, the healthy repository.
struct Damage {
  bool no_history = false;           // the history row is missing
  bool no_versionable = false;       // the versionable node is gone (root no longer lists it)
  bool no_version_storage = false;   // jcr:versionStorage's row is missing
  std::vector<PropertyEntry> extra;  // more properties on kHolder
};

MemoryStore Repository(const Damage& damage = {}) {
  MemoryStore store;
  std::vector<NodeId> top = {kSystemNodeId, kHolder};
  if (!damage.no_versionable) top.push_back(kVersionable);
  PutBundle(store, kRootNodeId, Node(std::nullopt, top));
  PutBundle(store, kSystemNodeId, Node(kRootNodeId, {kVersionStorageNodeId}));
  if (!damage.no_versionable) {
    Bundle versionable = Node(kRootNodeId);
    versionable.properties = {
        Jcr("versionHistory", PropertyType::kReference, {kHistory}),
        Jcr("baseVersion", PropertyType::kReference, {kRootVersion}),
        Jcr("predecessors", PropertyType::kReference, {kRootVersion, kRootVersion}),
    };
    PutBundle(store, kVersionable, versionable);
  }
  Bundle holder = Node(kRootNodeId, {kLeaf});
  holder.properties = {
      Refs("up", PropertyType::kReference, {kRootNodeId}),
      Refs("down", PropertyType::kReference, {kLeaf}),
      Refs("self", PropertyType::kReference, {kHolder}),
      Refs("sibling", PropertyType::kReference, {kVersionable}),
      Refs("intoVersions", PropertyType::kReference, {kFrozen, kHistory}),
      Refs("virtual", PropertyType::kReference, {kVersionStorageNodeId}),
      Refs("weak", PropertyType::kWeakReference, {TestId(99)}),
  };
  if (damage.no_versionable) holder.properties.erase(holder.properties.begin() + 3);
  for (const PropertyEntry& p : damage.extra) holder.properties.push_back(p);
  PutBundle(store, kHolder, holder);
  Bundle leaf = Node(kHolder);
  leaf.properties = {Refs("back", PropertyType::kReference, {kHolder})};
  PutBundle(store, kLeaf, leaf);

  const std::string v = "VERSION_";
  if (!damage.no_version_storage) {
    PutBundle(store, kVersionStorageNodeId, Node(kSystemNodeId, {kFolder}), v);
  }
  PutBundle(store, kFolder, Node(kVersionStorageNodeId, {kHistory}), v);
  if (!damage.no_history) {
    Bundle history = Node(kFolder, {kRootVersion});
    history.properties.push_back(
        {.name = {std::string(kJcrUri), "versionableUuid"}, .values = {kVersionable.ToString()}});
    PutBundle(store, kHistory, history, v);
  }
  PutBundle(store, kRootVersion, Node(kHistory, {kFrozen}), v);
  PutBundle(store, kFrozen, Node(kRootVersion), v);
  PutBundle(store, kRootNodeId, Node(std::nullopt, {kOtherNode}), "OTHER_");
  PutBundle(store, kOtherNode, Node(kRootNodeId), "OTHER_");
  return store;
}

Config MakeConfig(bool history, bool references, bool with_other = false) {
  Config config;
  config.workspaces.push_back({.name = "default", .table_prefix = "DEFAULT_"});
  if (with_other) config.workspaces.push_back({.name = "other", .table_prefix = "OTHER_"});
  config.version_workspace = {.name = "version", .table_prefix = "VERSION_"};
  config.check_history = history;
  config.check_references = references;
  return config;
}

// "LABEL node related @workspace" for every finding of every workspace.
Lines Findings(const RepositoryCheck& check) {
  Lines lines;
  for (const WorkspaceCheck& ws : check.workspaces) {
    for (const std::string& line : Describe(ws.findings))
      lines.push_back(line + " @" + ws.workspace);
  }
  return lines;
}

RepositoryCheck Check(MemoryStore& store, const Config& config) {
  Result<RepositoryCheck> check = CheckRepository(store, config);
  REQUIRE_MESSAGE(check.ok(), check.status().message());
  return std::move(*check);
}

TEST_CASE("links: references in every direction and a version history: no finding") {
  MemoryStore store = Repository();
  for (bool history : {false, true}) {
    for (bool references : {false, true}) {
      CAPTURE(history);
      CAPTURE(references);
      RepositoryCheck check = Check(store, MakeConfig(history, references));
      CHECK(Findings(check) == Lines{});
      CHECK(check.unused_histories.empty());
      REQUIRE(check.workspaces.size() == (history ? 2u : 1u));
      if (history) {
        CHECK(check.workspaces[1].workspace == "version");
        CHECK(check.workspaces[1].version_store);
        CHECK(check.workspaces[1].nodes == 5);
      }
    }
  }
}

TEST_CASE("links: a REFERENCE to no node is dangling, once per holder and target") {
  Damage damage;
  damage.extra = {Refs("broken", PropertyType::kReference, {TestId(98), TestId(98)}),
                  Refs("alsoBroken", PropertyType::kReference, {TestId(98)}),
                  Refs("weakToNothing", PropertyType::kWeakReference, {TestId(97)})};
  MemoryStore store = Repository(damage);
  RepositoryCheck check = Check(store, MakeConfig(false, true));
  CHECK(Findings(check) == Lines{"DANGLING-REFERENCE n2 n98 @default"});
  const Finding& f = check.workspaces[0].findings.at(0);
  CHECK(f.reason == "broken");  // the first property that holds it, from the double check
  CHECK(FindingMessage(f) ==
        "NodeState '20000000-0000-0000-0000-000000000002' references inexistent node "
        "'20000000-0000-0000-0000-000000000062' in property broken");
  // Without check.references nothing is looked at.
  CHECK(Findings(Check(store, MakeConfig(true, false))) == Lines{});
}

TEST_CASE("links: a reference into another workspace resolves only when that one is checked") {
  Damage damage;
  damage.extra = {Refs("elsewhere", PropertyType::kReference, {kOtherNode})};
  MemoryStore store = Repository(damage);
  CHECK(Findings(Check(store, MakeConfig(false, true))) ==
        Lines{"DANGLING-REFERENCE n2 n20 @default"});
  CHECK(Findings(Check(store, MakeConfig(false, true, true))) == Lines{});
}

TEST_CASE("links: a missing version history") {
  MemoryStore store = Repository({.no_history = true});
  SUBCASE("with histories checked: one missing-version-history, and the version store's damage") {
    RepositoryCheck check = Check(store, MakeConfig(true, true));
    CHECK(Findings(check) == Lines{"MISSING-VERSION-HISTORY n1 n11 @default",
                                   // the holder's REFERENCE into the history is dangling too
                                   "DANGLING-REFERENCE n2 n11 @default", "MISSING n10 n11 @version",
                                   "ORPHANED n12 n11 @version"});
    CHECK(FindingMessage(check.workspaces[0].findings[0]) ==
          "NodeState '20000000-0000-0000-0000-000000000001' references inexistent version "
          "history '20000000-0000-0000-0000-00000000000b'");
  }
  SUBCASE("with only references checked, jcr:versionHistory is a dangling reference") {
    RepositoryCheck check = Check(store, MakeConfig(false, true));
    CHECK(Findings(check) ==
          Lines{"DANGLING-REFERENCE n1 n11 @default", "DANGLING-REFERENCE n2 n11 @default"});
    CHECK(check.workspaces[0].findings[0].reason == "jcr:versionHistory");
  }
}

TEST_CASE("links: references into the version store need its table, checked or not") {
  MemoryStore store;
  PutBundle(store, kRootNodeId, Node(std::nullopt, {kVersionable}));
  Bundle versionable = Node(kRootNodeId);
  versionable.properties = {Jcr("baseVersion", PropertyType::kReference, {kRootVersion})};
  PutBundle(store, kVersionable, versionable);
  CHECK(Findings(Check(store, MakeConfig(false, true))) ==
        Lines{"DANGLING-REFERENCE n1 n12 @default"});
  PutBundle(store, kRootVersion, Node(kHistory), "VERSION_");
  CHECK(Findings(Check(store, MakeConfig(false, true))) == Lines{});
}

TEST_CASE("links: a history whose versionable node exists nowhere is information, not a finding") {
  MemoryStore store = Repository({.no_versionable = true});
  RepositoryCheck check = Check(store, MakeConfig(true, true));
  CHECK(Findings(check) == Lines{});
  CHECK(check.unused_histories == std::vector<UnusedHistory>{{kHistory, kVersionable}});
  // Not looked for unless histories are checked.
  CHECK(Check(store, MakeConfig(false, true)).unused_histories.empty());
}

TEST_CASE("links: the version store's walk starts at jcr:versionStorage") {
  MemoryStore store = Repository({.no_version_storage = true});
  RepositoryCheck check = Check(store, MakeConfig(true, false));
  CHECK(Findings(check) == Lines{"ORPHANED n10 deadbeef-face-babe-cafe-babecafebabe @version",
                                 "MISSING-ROOT deadbeef-face-babe-cafe-babecafebabe @version"});
  CHECK(FindingMessage(check.workspaces[1].findings[1]) ==
        "the version storage node 'deadbeef-face-babe-cafe-babecafebabe' has no bundle");
}

TEST_CASE("links: a scoped check settles the links of the nodes in scope by point lookups") {
  Damage damage;
  damage.extra = {Refs("broken", PropertyType::kReference, {TestId(98)}),
                  Refs("weakToNothing", PropertyType::kWeakReference, {TestId(97)})};
  Damage both = damage;
  both.no_history = true;
  MemoryStore store = Repository(both);
  auto scoped = [&](std::vector<NodeId> ids, bool recursive, const Config& config) {
    Result<std::vector<WorkspaceCheck>> checks =
        CheckRepositoryScope(store, config, ids, recursive);
    REQUIRE_MESSAGE(checks.ok(), checks.status().message());
    REQUIRE(checks->size() == 1);
    return Describe(checks->at(0).findings);
  };
  // Into the version store, to a sibling, up and down: only the broken ones.
  CHECK(scoped({kHolder}, false, MakeConfig(false, true)) ==
        Lines{"DANGLING-REFERENCE n2 n11", "DANGLING-REFERENCE n2 n98"});
  CHECK(scoped({kVersionable}, false, MakeConfig(true, true)) ==
        Lines{"MISSING-VERSION-HISTORY n1 n11"});
  CHECK(scoped({kVersionable}, false, MakeConfig(false, true)) ==
        Lines{"DANGLING-REFERENCE n1 n11"});
  // What the nodes outside the scope hold is not looked at.
  CHECK(scoped({kLeaf}, false, MakeConfig(true, true)) == Lines{});
  CHECK(scoped({kRootNodeId}, true, MakeConfig(true, true)) ==
        Lines{"MISSING-VERSION-HISTORY n1 n11", "DANGLING-REFERENCE n2 n11",
              "DANGLING-REFERENCE n2 n98"});
  // Off unless asked.
  CHECK(scoped({kRootNodeId}, true, MakeConfig(false, false)) == Lines{});
}

TEST_CASE("links: fix repairs the rest and leaves a dangling reference alone") {
  Damage damage;
  damage.extra = {Refs("broken", PropertyType::kReference, {TestId(98)})};
  MemoryStore store = Repository(damage);
  PutBundle(store, TestId(4), Node(kHolder));  // abandoned: kHolder does not list it
  const Config config = MakeConfig(true, true);
  RepositoryCheck check = Check(store, config);
  REQUIRE(Findings(check) ==
          Lines{"DANGLING-REFERENCE n2 n98 @default", "ABANDONED n4 n2 @default"});
  const WorkspaceCheck& ws = check.workspaces[0];
  Plan plan = PlanRepairs(ws.index, ws.findings, {});
  CHECK_FALSE(plan.outcomes[0].repaired());
  CHECK(plan.outcomes[1].repaired());
  testing::TempDir dir;
  Result<Applied> applied =
      ApplyRepairs(store, {{ws.workspace, ws.table_prefix, ws.findings, plan}},
                   {.store_url = "memory:", .undo_path = dir.File("undo")});
  REQUIRE_MESSAGE(applied.ok(), applied.status().message());
  CHECK(Findings(Check(store, config)) == Lines{"DANGLING-REFERENCE n2 n98 @default"});
}

TEST_CASE("links: the double check drops what no longer holds") {
  Damage damage;
  damage.extra = {Refs("broken", PropertyType::kReference, {TestId(98)})};
  MemoryStore store = Repository(damage);
  const Finding dangling{
      .kind = ProblemKind::kDanglingReference, .node = kHolder, .related = TestId(98)};
  const Finding history{
      .kind = ProblemKind::kMissingVersionHistory, .node = kVersionable, .related = kHistory};
  auto recheck = [&] {
    Result<DoubleCheckResult> r = DoubleCheckLinks(store, "DEFAULT_", {"DEFAULT_", "VERSION_"},
                                                   "VERSION_", {dangling, history});
    REQUIRE(r.ok());
    return Describe(r->confirmed);
  };
  // The history exists: that finding is dropped at once.
  CHECK(recheck() == Lines{"DANGLING-REFERENCE n2 n98"});
  // The target appears in the version store.
  PutBundle(store, TestId(98), Node(kRootVersion), "VERSION_");
  CHECK(recheck() == Lines{});
}

}  // namespace
}  // namespace checker
