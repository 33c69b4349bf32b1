// checker against Jackrabbit's own checker: for every scenario store in
// tests/jackrabbit-vectors/scenarios, a full check must report the same items
// (kind, node, message) as ConsistencyCheckerImpl did in runs[0] of the
// scenario's .expected.json, and count the same nodes. Where Jackrabbit is
// wrong, a named test below says what checker does instead, and why.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "checker/full_check.h"
#include "storage/bundle_store.h"
#include "tests/support/files.h"
#include "tests/support/json.h"
#include "tests/support/run.h"

namespace checker {
namespace {

using testing::Json;
using Items = std::vector<std::string>;

const std::string kScenarioDir = testing::SourcePath("tests/jackrabbit-vectors/scenarios");

Json LoadExpected(const std::string& name) {
  auto json = testing::ParseJson(testing::ReadFile(kScenarioDir + "/" + name + ".expected.json"));
  REQUIRE(json.ok());
  return std::move(*json);
}

// "<TYPE>: <node> -- <message>", ReportItemImpl.toString()'s form, sorted.
Items JackrabbitItems(const Json& run) {
  Items items;
  for (const Json& item : run.at("items").elements()) {
    items.push_back(item.at("type").str() + ": " + item.at("nodeId").str() + " -- " +
                    item.at("message").str());
  }
  std::sort(items.begin(), items.end());
  return items;
}

struct OurRun {
  uint64_t nodes = 0;
  Items items;   // Jackrabbit's four kinds
  Items beyond;  // the kinds Jackrabbit's checker does not have
};

bool IsJackrabbitKind(ProblemKind kind) {
  return kind == ProblemKind::kMissing || kind == ProblemKind::kDisconnected ||
         kind == ProblemKind::kOrphaned || kind == ProblemKind::kAbandoned;
}

OurRun CheckScenario(const std::string& name) {
  auto store = OpenStore("sqlite:" + kScenarioDir + "/" + name + ".sqlite", OpenMode::kReadOnly);
  REQUIRE(store.ok());
  Result<WorkspaceCheck> check = CheckWorkspace(**store, "default", "DEFAULT_");
  REQUIRE(check.ok());
  OurRun run{check->nodes, {}, {}};
  for (const Finding& f : check->findings) {
    (IsJackrabbitKind(f.kind) ? run.items : run.beyond)
        .push_back(std::string(Problem(f.kind).label) + ": " + f.node.ToString() + " -- " +
                   FindingMessage(f));
  }
  std::sort(run.items.begin(), run.items.end());
  return run;
}

// The scenarios where checker deliberately differs on Jackrabbit's own kinds;
// each has its own test.
const std::vector<std::string> kKnownDifferences = {"shared_set", "disconnected_null_parent"};

// What checker finds beyond Jackrabbit's four kinds, by scenario: problems
// Jackrabbit's checker cannot see. Every other scenario must have none.
const std::map<std::string, Items> kBeyondJackrabbit = {
    {"duplicate_entry",
     {"DUPLICATE-ENTRY: 20000000-0000-0000-0000-000000000001 -- NodeState "
      "'20000000-0000-0000-0000-000000000001' lists child '20000000-0000-0000-0000-000000000002' "
      "2 times"}},
    {"duplicate_missing",
     {"DUPLICATE-ENTRY: 20000000-0000-0000-0000-000000000001 -- NodeState "
      "'20000000-0000-0000-0000-000000000001' lists child '20000000-0000-0000-0000-000000000063' "
      "2 times"}},
    {"duplicate_disconnected",
     {"DUPLICATE-ENTRY: 20000000-0000-0000-0000-000000000001 -- NodeState "
      "'20000000-0000-0000-0000-000000000001' lists child '20000000-0000-0000-0000-000000000003' "
      "2 times"}},
    {"detached_cycle",
     {"UNREACHABLE: 20000000-0000-0000-0000-000000000001 -- NodeState "
      "'20000000-0000-0000-0000-000000000001' cannot reach the root: its parent ids form a cycle "
      "through '20000000-0000-0000-0000-000000000002' (2 nodes cut off)"}},
    {"root_absent",
     {"MISSING-ROOT: cafebabe-cafe-babe-cafe-babecafebabe -- the root node "
      "'cafebabe-cafe-babe-cafe-babecafebabe' has no bundle"}},
};

std::vector<std::string> ScenarioNames() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(kScenarioDir)) {
    std::string file = entry.path().filename().string();
    const std::string suffix = ".expected.json";
    if (file.size() > suffix.size() && file.ends_with(suffix)) {
      names.push_back(file.substr(0, file.size() - suffix.size()));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST_CASE("every Jackrabbit scenario: the same items and node count as Jackrabbit's checker") {
  std::vector<std::string> names = ScenarioNames();
  REQUIRE(names.size() == 18);
  int compared = 0;
  for (const std::string& name : names) {
    if (std::count(kKnownDifferences.begin(), kKnownDifferences.end(), name)) continue;
    CAPTURE(name);
    Json expected = LoadExpected(name);
    const Json& run = expected.at("runs")[0];
    REQUIRE(run.at("mode").str() == "check");
    OurRun ours = CheckScenario(name);
    CHECK(ours.items == JackrabbitItems(run));
    CHECK(ours.nodes == static_cast<uint64_t>(*run.at("node_count").as_int64()));
    auto beyond = kBeyondJackrabbit.find(name);
    CHECK(ours.beyond == (beyond == kBeyondJackrabbit.end() ? Items{} : beyond->second));
    ++compared;
  }
  CHECK(compared == 16);
}

TEST_CASE("beyond Jackrabbit: duplicates, a detached cycle and an absent root are reported") {
  // Jackrabbit's checker reports nothing for a holder that lists the same
  // child twice (duplicate_entry), nothing for two nodes that are each
  // other's parent and child (detached_cycle: neither reaches the root), and
  // only orphans when the root bundle is gone (root_absent). checker reports
  // each, once, on the node to repair; the items of Jackrabbit's own kinds
  // stay exactly Jackrabbit's (checked above).
  for (const auto& [name, items] : kBeyondJackrabbit) {
    CAPTURE(name);
    CHECK(JackrabbitItems(LoadExpected(name).at("runs")[0]).size() ==
          CheckScenario(name).items.size());
    CHECK(CheckScenario(name).beyond == items);
  }
}

TEST_CASE("Jackrabbit differs: a parent in the shared set is not a disconnected entry") {
  // Jackrabbit ignores the shared set of a mix:shareable node, reports the
  // second parent's entry as DISCONNECTED, and its fix deletes the share.
  // The shared set is exactly the record of a node's other parents, so
  // checker reports nothing.
  Json expected = LoadExpected("shared_set");
  Items jackrabbit = JackrabbitItems(expected.at("runs")[0]);
  REQUIRE(jackrabbit.size() == 1);
  CHECK(jackrabbit[0].starts_with("DISCONNECTED: 20000000-0000-0000-0000-000000000002"));
  CHECK(CheckScenario("shared_set").items == Items{});
}

TEST_CASE("Jackrabbit differs: a listed child with a null parent is reported, not a crash") {
  // Jackrabbit reports the DISCONNECTED item, then its double check throws a
  // NullPointerException on the null parent id and the whole check fails.
  // checker reports the item, with 'null' in the message, and goes on.
  Json expected = LoadExpected("disconnected_null_parent");
  const Json& run = expected.at("runs")[0];
  CHECK(run.at("exception").str().find("NullPointerException") != std::string::npos);
  std::string reported;
  for (const Json& event : run.at("listener_events").elements()) {
    // "report <TYPE> <node> -- <message>"
    if (event.str().starts_with("report ")) reported = event.str().substr(7);
  }
  reported.replace(reported.find(' '), 1, ": ");
  REQUIRE_FALSE(reported.empty());
  OurRun ours = CheckScenario("disconnected_null_parent");
  CHECK(ours.items == Items{reported});
  CHECK(ours.nodes == static_cast<uint64_t>(*expected.at("bundle_count").as_int64()));
}

}  // namespace
}  // namespace checker
