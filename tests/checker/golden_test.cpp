// Golden transcripts, e2fsck style: for every fixture in fixtures/, the store
// is built, then checked, fixed, checked again and fixed again; the four
// transcripts (output and exit status) must match tests/golden/<name>.txt.
// Each fixture runs on sqlite and on lmdb; the two transcripts must be the
// same, so the golden files hold for both backends.
// A repairable fixture goes 4, 1, 0, 0: the second fix finds nothing and
// writes nothing. Set CHECKER_UPDATE_GOLDEN=1 to rewrite the golden files
// after a deliberate change, and review the diff.
// The checker's flags follow from the fixture (FlagsOf) and are shown in the
// step titles ("$ checker check --history"), only when there are any.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "checker/config.h"
#include "checker/problem.h"
#include "fixtures/expected_finding.h"
#include "fixtures/fixture_format.h"
#include "tests/support/files.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

namespace checker {
namespace {

using testing::CheckerBin;
using testing::Run;
using testing::RunResult;

constexpr char kLostFound[] = "1f000000-0000-0000-0000-00000000f00d";

std::vector<std::string> FixtureNames() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(testing::SourcePath("fixtures"))) {
    if (e.path().extension() == ".fixture") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string Step(const std::string& title, const RunResult& r) {
  return "$ " + title + "\n" + r.out + r.err + "exit status " + std::to_string(r.exit_code) + "\n";
}

struct Transcript {
  std::string text;
  std::vector<int> exits;
  std::string truth;           // the fixture's expect lines
  std::string first_findings;  // what the first check found, in truth form
};

// The flags that make the checker check what the fixture holds: -w NAME for
// each workspace section but the version store, when there is one besides
// "default"; --history with a "version" section; --references when a node has
// a REFERENCE property. The fixture's tables must have the prefixes the
// checker derives from the workspace names.
std::string FlagsOf(const std::string& fixture_path) {
  auto fixture = fixtures::ReadFixtureFile(fixture_path);
  REQUIRE_MESSAGE(fixture.ok(), fixture.status().message());
  std::vector<std::string> workspaces;
  bool history = false;
  bool references = false;
  for (const fixtures::FixtureWorkspace& ws : fixture->workspaces) {
    Result<std::string> derived = DefaultTablePrefix(ws.name);
    REQUIRE_MESSAGE((derived.ok() && *derived == ws.prefix),
                    "workspace " << ws.name << ": the checker needs prefix " << ws.prefix);
    if (ws.name == kVersionWorkspaceName) {
      history = true;
    } else {
      workspaces.push_back(ws.name);
    }
  }
  for (const fixtures::FixtureNode& node : fixture->nodes) {
    for (const PropertyEntry& property : node.bundle.properties) {
      references = references || property.type == PropertyType::kReference;
    }
  }
  std::string flags;
  if (workspaces != std::vector<std::string>{"default"}) {
    for (const std::string& name : workspaces) flags += " -w " + name;
  }
  if (history) flags += " --history";
  if (references) flags += " --references";
  return flags;
}

// "<kind> <node> <related|-> [ws=<workspace>]" lines from a JSON Lines report.
std::string FindingsOf(const std::string& jsonl) {
  std::vector<fixtures::ExpectedFinding> found;
  std::istringstream lines(jsonl);
  for (std::string line; std::getline(lines, line);) {
    auto field = [&](const std::string& key) {
      size_t at = line.find("\"" + key + "\":\"");
      if (at == std::string::npos) return std::string("-");
      at += key.size() + 4;
      return line.substr(at, line.find('"', at) - at);
    };
    if (field("type") != "finding") continue;
    auto kind = fixtures::FindingKindFromId(field("kind"));
    REQUIRE(kind.has_value());
    std::string related = field("related");
    found.push_back({*kind, *NodeId::Parse(field("node")),
                     related == "-" ? std::nullopt : NodeId::Parse(related), field("workspace")});
  }
  return fixtures::FormatTruth(found);
}

// The truth lines of the kinds this checker reports (fixtures also plant
// kinds that a later checker will know, such as duplicate-entry).
std::string KnownKindsOnly(const std::string& truth) {
  std::string kept;
  std::istringstream lines(truth);
  for (std::string line; std::getline(lines, line);) {
    if (ProblemKindFromId(line.substr(0, line.find(' ')))) kept += line + "\n";
  }
  return kept;
}

// `backend` is "sqlite" or "lmdb".
Transcript RunFixture(const std::string& name, const std::string& backend) {
  testing::TempDir dir;
  const std::string store =
      backend == "sqlite" ? "sqlite:" + dir.File("repo.db") : "lmdb:" + dir.File("repo.lmdb");
  const std::string fixture = testing::SourcePath("fixtures/" + name + ".fixture");
  RunResult built = Run(testing::MkfixtureBin() + " build '" + fixture + "' " + store +
                        " --truth " + dir.File("truth"));
  REQUIRE_MESSAGE(built.exit_code == 0, built.err);
  Transcript t;
  t.truth = KnownKindsOnly(testing::ReadFile(dir.File("truth")));
  const std::string flags = FlagsOf(fixture);
  const std::string url = " --url " + store;
  t.first_findings = FindingsOf(Run(CheckerBin() + " check" + flags + " --format json" + url).out);

  const std::string fix = " fix" + flags + url + " --lost-found " + kLostFound + " --undo-file ";
  const std::vector<std::pair<std::string, std::string>> steps = {
      {"checker check" + flags, CheckerBin() + " check" + flags + url},
      {"checker fix" + flags, CheckerBin() + fix + dir.File("fix1.undo")},
      {"checker check" + flags, CheckerBin() + " check" + flags + url},
      {"checker fix" + flags, CheckerBin() + fix + dir.File("fix2.undo")},
  };
  for (const auto& [title, command] : steps) {
    RunResult r = Run(command);
    t.exits.push_back(r.exit_code);
    t.text += Step(title, r);
  }
  t.text = testing::Normalize(t.text, dir.path());
  // The second fix found nothing to do, so it wrote no undo file.
  CHECK_FALSE(std::filesystem::exists(dir.File("fix2.undo")));
  return t;
}

TEST_CASE("golden transcripts of check, fix, check, fix for every fixture") {
  std::vector<std::string> names = FixtureNames();
  REQUIRE(names.size() >= 13);
  const bool update = std::getenv("CHECKER_UPDATE_GOLDEN") != nullptr;
  for (const std::string& name : names) {
    CAPTURE(name);
    Transcript t = RunFixture(name, "sqlite");
    Transcript on_lmdb = RunFixture(name, "lmdb");
    CHECK(on_lmdb.text == t.text);
    CHECK(on_lmdb.first_findings == t.first_findings);
    const std::string golden = testing::SourcePath("tests/golden/" + name + ".txt");
    if (update) {
      std::filesystem::create_directories(std::filesystem::path(golden).parent_path());
      std::ofstream(golden, std::ios::binary) << t.text;
    }
    CHECK(t.text == testing::ReadFile(golden));
    // The first check reports exactly what the fixture says it planted.
    CHECK(t.first_findings == t.truth);
    // A second fix has nothing left to do: it ends as the check before it.
    CHECK(t.exits[3] == t.exits[2]);
    // A fix that repaired everything leaves a clean store.
    if (t.exits[1] == 1) CHECK(t.exits[2] == 0);
  }
}

}  // namespace
}  // namespace checker
