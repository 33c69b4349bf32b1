// The passes, the double check and the scoped check on small hand-built graphs.
#include <doctest/doctest.h>

#include "checker/double_check.h"
#include "checker/fix.h"
#include "checker/full_check.h"
#include "checker/parallel.h"
#include "checker/passes.h"
#include "checker/planner.h"
#include "checker/scope.h"
#include "tests/support/forwarding_store.h"
#include "tests/support/graph.h"
#include "tests/support/temp_dir.h"

namespace checker {
namespace {

using testing::Describe;
using testing::Node;
using testing::PutBundle;
using testing::TestId;
using Lines = std::vector<std::string>;

// root -> n1 -> {n2, n3}; root -> jcr:system (virtual, its children absent).
MemoryStore HealthyStore() {
  MemoryStore store;
  PutBundle(store, kRootNodeId, Node(std::nullopt, {kSystemNodeId, TestId(1)}));
  PutBundle(store, kSystemNodeId, Node(kRootNodeId, {kVersionStorageNodeId}));
  PutBundle(store, TestId(1), Node(kRootNodeId, {TestId(2), TestId(3)}));
  PutBundle(store, TestId(2), Node(TestId(1)));
  PutBundle(store, TestId(3), Node(TestId(1)));
  return store;
}

Lines Check(MemoryStore& store) {
  Result<WorkspaceCheck> check = CheckWorkspace(store, "default", "DEFAULT_");
  REQUIRE(check.ok());
  return Describe(check->findings);
}

TEST_CASE("a healthy tree with a virtual jcr:system has no findings") {
  MemoryStore store = HealthyStore();
  CHECK(Check(store) == Lines{});
}

TEST_CASE("each of the four kinds, on the node Jackrabbit reports it on") {
  MemoryStore store = HealthyStore();
  SUBCASE("missing: an entry names a node with no bundle") {
    PutBundle(store, TestId(3), Node(TestId(1), {TestId(99)}));
    CHECK(Check(store) == Lines{"MISSING n3 n99"});
  }
  SUBCASE("disconnected: a second holder lists a node") {
    PutBundle(store, TestId(3), Node(TestId(1), {TestId(2)}));
    CHECK(Check(store) == Lines{"DISCONNECTED n3 n2"});
  }
  SUBCASE("orphaned: the parent id names no bundle") {
    PutBundle(store, TestId(4), Node(TestId(98)));
    CHECK(Check(store) == Lines{"ORPHANED n4 n98"});
  }
  SUBCASE("abandoned: the parent does not list the node") {
    PutBundle(store, TestId(1), Node(kRootNodeId, {TestId(2)}));
    CHECK(Check(store) == Lines{"ABANDONED n3 n1"});
  }
}

TEST_CASE("second-order damage is reported on every node involved") {
  MemoryStore store = HealthyStore();
  SUBCASE("an interrupted move: new holder lists it, old parent does not") {
    PutBundle(store, TestId(1), Node(kRootNodeId, {TestId(2)}));
    PutBundle(store, TestId(2), Node(TestId(1), {TestId(3)}));
    CHECK(Check(store) == Lines{"DISCONNECTED n2 n3", "ABANDONED n3 n1"});
  }
  SUBCASE("a deleted inner node: missing on its parent, the top of each chain orphaned") {
    PutBundle(store, TestId(3), Node(TestId(1), {TestId(4)}));
    PutBundle(store, TestId(4), Node(TestId(3), {TestId(5)}));
    PutBundle(store, TestId(5), Node(TestId(4)));
    MemoryStore damaged;
    for (auto& [prefix, rows] : store.Dump()) {
      for (auto& [id, bytes] : rows) {
        if (id != TestId(3)) testing::PutBytes(damaged, id, bytes);
      }
    }
    CHECK(Check(damaged) == Lines{"MISSING n1 n3", "ORPHANED n4 n3"});
  }
  SUBCASE("an entry listed twice gives one finding per entry") {
    PutBundle(store, TestId(3), Node(TestId(1), {TestId(99), TestId(99)}));
    CHECK(Check(store) == Lines{"MISSING n3 n99", "MISSING n3 n99", "DUPLICATE-ENTRY n3 n99"});
  }
}

TEST_CASE("a listed child whose parent id is null is disconnected, with 'null' in the message") {
  MemoryStore store = HealthyStore();
  PutBundle(store, TestId(3), Node(std::nullopt));
  Result<WorkspaceCheck> check = CheckWorkspace(store, "default", "DEFAULT_");
  REQUIRE(check.ok());
  REQUIRE(check->findings.size() == 1);
  CHECK(FindingMessage(check->findings[0]) ==
        "Node has invalid parent id: 'null' (instead of '20000000-0000-0000-0000-000000000001')");
}

TEST_CASE("a parent in the child's shared set is not a disconnected holder") {
  MemoryStore store = HealthyStore();
  PutBundle(store, TestId(3), Node(TestId(1), {TestId(2)}));
  PutBundle(store, TestId(2), Node(TestId(1), {}, {TestId(1), TestId(3)}));
  CHECK(Check(store) == Lines{});
}

TEST_CASE("virtual ids: not checked as subjects, not checked as children, but the root is") {
  MemoryStore store = HealthyStore();
  // jcr:system lists an absent non-virtual child: jcr:system is not checked.
  PutBundle(store, kSystemNodeId, Node(kRootNodeId, {kVersionStorageNodeId, TestId(97)}));
  // the root lists an absent virtual id and an absent ordinary id.
  PutBundle(store, kRootNodeId,
            Node(std::nullopt, {kSystemNodeId, TestId(1), kVersionStorageNodeId, TestId(96)}));
  CHECK(Check(store) == Lines{"MISSING cafebabe-cafe-babe-cafe-babecafebabe n96"});
}

TEST_CASE("an absent root orphans its children, except virtual ones") {
  MemoryStore store;
  PutBundle(store, kSystemNodeId, Node(kRootNodeId));
  PutBundle(store, TestId(1), Node(kRootNodeId));
  CHECK(Check(store) == Lines{"ORPHANED n1 cafebabe-cafe-babe-cafe-babecafebabe",
                              "MISSING-ROOT cafebabe-cafe-babe-cafe-babecafebabe"});
}

TEST_CASE("an unreadable bundle is reported once, and what names it or hangs below it is unknown") {
  MemoryStore store = HealthyStore();
  testing::PutBytes(store, TestId(1), Bytes{0x03, 0x00, 0x01});
  Result<WorkspaceCheck> check = CheckWorkspace(store, "default", "DEFAULT_");
  REQUIRE(check.ok());
  CHECK(Describe(check->findings) == Lines{"UNREADABLE n1"});
  CHECK(check->findings[0].offset == 2);
  CHECK(check->nodes == 5);
}

TEST_CASE("findings come in node id order, entries before the parent check") {
  MemoryStore store = HealthyStore();
  PutBundle(store, TestId(2), Node(TestId(98), {TestId(99)}));
  PutBundle(store, TestId(3), Node(TestId(1), {TestId(95)}));
  CHECK(Check(store) ==
        Lines{"DISCONNECTED n1 n2", "MISSING n2 n99", "ORPHANED n2 n98", "MISSING n3 n95"});
}

TEST_CASE("the double check drops what no longer holds and keeps the rest") {
  MemoryStore store = HealthyStore();
  PutBundle(store, TestId(3), Node(TestId(1), {TestId(99)}));
  PutBundle(store, TestId(4), Node(TestId(98)));
  Result<WorkspaceCheck> before = CheckWorkspace(store, "default", "DEFAULT_");
  REQUIRE(before.ok());
  REQUIRE(Describe(before->findings) == Lines{"MISSING n3 n99", "ORPHANED n4 n98"});
  // The store changes after the scan: the missing child appears.
  PutBundle(store, TestId(99), Node(TestId(3)));
  Result<DoubleCheckResult> again = DoubleCheck(store, "DEFAULT_", before->findings);
  REQUIRE(again.ok());
  CHECK(Describe(again->confirmed) == Lines{"ORPHANED n4 n98"});
  CHECK(Describe(again->dropped) == Lines{"MISSING n3 n99"});
}

TEST_CASE("the index resolves ids and counts its memory") {
  MemoryStore store = HealthyStore();
  Result<WorkspaceCheck> check = CheckWorkspace(store, "default", "DEFAULT_");
  REQUIRE(check.ok());
  const Index& index = check->index;
  REQUIRE(index.size() == 5);
  for (uint32_t pos = 1; pos < index.size(); ++pos) CHECK(index.id(pos - 1) < index.id(pos));
  std::optional<uint32_t> n1 = index.Find(TestId(1));
  REQUIRE(n1.has_value());
  CHECK(index.children(*n1).size() == 2);
  CHECK_FALSE(index.Find(TestId(42)).has_value());
  CHECK(index.MemoryBytes() > 0);
}

}  // namespace
}  // namespace checker

namespace checker {
namespace {

TEST_CASE("detached components: reported once, on their top, with their size") {
  MemoryStore store = HealthyStore();
  SUBCASE("a cycle: n4 and n5 are each other's parent and list each other") {
    PutBundle(store, TestId(4), Node(TestId(5), {TestId(5), TestId(6)}));
    PutBundle(store, TestId(5), Node(TestId(4), {TestId(4)}));
    PutBundle(store, TestId(6), Node(TestId(4)));
    CHECK(Check(store) == Lines{"UNREACHABLE n4 n5"});
  }
  SUBCASE("a subtree whose top has a null parent and no holder") {
    PutBundle(store, TestId(4), Node(std::nullopt, {TestId(6)}));
    PutBundle(store, TestId(6), Node(TestId(4)));
    Result<WorkspaceCheck> check = CheckWorkspace(store, "default", "DEFAULT_");
    REQUIRE(check.ok());
    REQUIRE(Describe(check->findings) == Lines{"UNREACHABLE n4"});
    CHECK(FindingMessage(check->findings[0]) ==
          "NodeState '20000000-0000-0000-0000-000000000004' cannot reach the root: its parent id "
          "is null (2 nodes cut off)");
  }
  SUBCASE("a null parent with a holder is disconnected, not unreachable") {
    PutBundle(store, TestId(3), Node(std::nullopt));
    CHECK(Check(store) == Lines{"DISCONNECTED n1 n3"});
  }
  SUBCASE("below an orphan: orphaned, not unreachable") {
    PutBundle(store, TestId(4), Node(TestId(98), {TestId(6)}));
    PutBundle(store, TestId(6), Node(TestId(4)));
    CHECK(Check(store) == Lines{"ORPHANED n4 n98"});
  }
}

// Large enough for the passes to run on every thread (PassThreads), with
// paths long enough that the threads walk the same nodes at once.
TEST_CASE("long chains and cycles walked by several threads give the findings of one") {
  constexpr uint64_t kChain = 40000;  // n1 .. n40000 below the root, each the next's parent
  constexpr uint64_t kCycle =
      20000;  // n100001 .. n120000, each the next's parent, the last n100001's
  constexpr uint64_t kDetached = 20000;  // n200001 .. n220000, a chain whose top has a null parent
  MemoryStore store;
  PutBundle(store, kRootNodeId, Node(std::nullopt, {TestId(1)}));
  auto put_chain = [&](uint64_t first, uint64_t count, std::optional<NodeId> top_parent,
                       std::optional<NodeId> last_child) {
    for (uint64_t i = 0; i < count; ++i) {
      std::optional<NodeId> parent = i == 0 ? top_parent : TestId(first + i - 1);
      std::vector<NodeId> children;
      if (i + 1 < count) children.push_back(TestId(first + i + 1));
      if (i + 1 == count && last_child) children.push_back(*last_child);
      PutBundle(store, TestId(first + i), Node(parent, children));
    }
  };
  put_chain(1, kChain, kRootNodeId, std::nullopt);
  put_chain(100001, kCycle, TestId(100000 + kCycle), TestId(100001));
  put_chain(200001, kDetached, std::nullopt, std::nullopt);

  Result<WorkspaceCheck> check = CheckWorkspace(store, "default", "DEFAULT_");
  REQUIRE(check.ok());
  REQUIRE(PassThreads(check->index) == DefaultThreads());
  REQUIRE(Describe(check->findings) == Lines{"UNREACHABLE n100001 n120000", "UNREACHABLE n200001"});
  CHECK(check->findings[0].count == kCycle);
  CHECK(check->findings[1].count == kDetached);
}

// A store whose point lookup of one id fails, as a read error of the
// backend would; everything else goes to the store it wraps.
class FailingGetStore final : public testing::ForwardingStore {
 public:
  FailingGetStore(BundleStore& store, const NodeId& bad) : ForwardingStore(store), bad_(bad) {}
  Result<std::optional<Bytes>> Get(std::string_view prefix, const NodeId& id) override {
    if (id == bad_) return Status::IOError("injected read failure of " + id.ToString());
    return ForwardingStore::Get(prefix, id);
  }

 private:
  NodeId bad_;
};

TEST_CASE("a scoped check fails with the error of a bundle it cannot read, never skipping it") {
  MemoryStore memory = HealthyStore();
  PutBundle(memory, TestId(2), Node(TestId(1), {TestId(4)}));
  PutBundle(memory, TestId(4), Node(TestId(2)));
  for (const NodeId& bad : {TestId(1), TestId(4), kRootNodeId}) {
    CAPTURE(bad.ToString());
    FailingGetStore store(memory, bad);
    Result<WorkspaceCheck> scoped = CheckScope(store, "default", "DEFAULT_", {TestId(1)}, true);
    REQUIRE(!scoped.ok());
    CHECK(scoped.status().code() == Status::Code::kIOError);
    CHECK(scoped.status().message() == "injected read failure of " + bad.ToString());
  }
  FailingGetStore store(memory, TestId(99));  // names nothing in the tree
  CHECK(CheckScope(store, "default", "DEFAULT_", {TestId(1)}, true).ok());
}

TEST_CASE("fix attaches detached components and duplicates under the plan's rules") {
  MemoryStore store = HealthyStore();
  const NodeId lost_found = TestId(50);
  PutBundle(store, kRootNodeId, Node(std::nullopt, {kSystemNodeId, TestId(1), lost_found}));
  PutBundle(store, lost_found, Node(kRootNodeId));
  PutBundle(store, TestId(4), Node(TestId(5), {TestId(5)}));
  PutBundle(store, TestId(5), Node(TestId(4), {TestId(4)}));
  PutBundle(store, TestId(7), Node(std::nullopt));
  PutBundle(store, TestId(1), Node(kRootNodeId, {TestId(2), TestId(3), TestId(2)}));
  REQUIRE(Check(store) == Lines{"DUPLICATE-ENTRY n1 n2", "UNREACHABLE n4 n5", "UNREACHABLE n7"});

  Result<WorkspaceCheck> check = CheckWorkspace(store, "default", "DEFAULT_");
  REQUIRE(check.ok());
  Plan plan = PlanRepairs(check->index, check->findings, {.lost_found = lost_found});
  for (const Outcome& outcome : plan.outcomes) CHECK(outcome.repaired());
  testing::TempDir dir;
  REQUIRE(ApplyRepairs(store, {{"default", "DEFAULT_", check->findings, plan}},
                       {"memory:", dir.File("undo")})
              .ok());
  CHECK(Check(store) == Lines{});
}

}  // namespace
}  // namespace checker
