// The command line on good and bad input: one clear line on stderr, the
// documented exit status, and a store left exactly as it was.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "model/bundle_codec.h"
#include "tests/support/graph.h"
#include "tests/support/run.h"
#include "tests/support/sqlite_fixture.h"
#include "tests/support/temp_dir.h"

namespace checker {
namespace {

using testing::CheckerBin;
using testing::Run;
using testing::RunResult;
using testing::TempDir;

int LineCount(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_CASE("a healthy store: exit 0 and one summary line") {
  TempDir dir;
  testing::WriteSqliteStore(dir.File("repo.db"), testing::HealthyRows());
  RunResult r = Run(CheckerBin() + " check --url sqlite:" + dir.File("repo.db"));
  CHECK(r.exit_code == 0);
  CHECK(r.err == "");
  CHECK(LineCount(r.out) == 1);
  CHECK(r.out.find("checked 5 nodes (default)") == 0);
  CHECK(r.out.find(": no inconsistencies\n") != std::string::npos);
}

TEST_CASE("check never writes: the file is byte for byte the same, no journal appears") {
  TempDir dir;
  auto rows = testing::HealthyRows();
  rows.emplace_back(testing::TestId(7), *EncodeBundle(testing::Node(testing::TestId(99))));
  testing::WriteSqliteStore(dir.File("repo.db"), rows);
  std::string before = ReadAll(dir.File("repo.db"));
  RunResult r = Run(CheckerBin() + " check --url sqlite:" + dir.File("repo.db"));
  CHECK(r.exit_code == 4);
  CHECK(ReadAll(dir.File("repo.db")) == before);
  int files = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  CHECK(files == 1);
}

TEST_CASE("bad input gets one line naming the problem and the documented exit status") {
  TempDir dir;
  testing::WriteSqliteStore(dir.File("repo.db"), testing::HealthyRows());
  const std::string repo = " --url sqlite:" + dir.File("repo.db");

  SUBCASE("a missing file") {
    RunResult r = Run(CheckerBin() + " check --url sqlite:" + dir.File("nope.db"));
    CHECK(r.exit_code == 8);
    CHECK(LineCount(r.err) == 1);
    CHECK(r.err.find("nope.db") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.File("nope.db")));
  }
  SUBCASE("a file that is not SQLite") {
    std::ofstream(dir.File("text.db")) << "this is not a database, just some text\n";
    RunResult r = Run(CheckerBin() + " check --url sqlite:" + dir.File("text.db"));
    CHECK(r.exit_code == 8);
    CHECK(LineCount(r.err) == 1);
    CHECK(r.err.find("not an SQLite database") != std::string::npos);
  }
  SUBCASE("a workspace whose table is missing") {
    RunResult r = Run(CheckerBin() + " check" + repo + " -w live");
    CHECK(r.exit_code == 8);
    CHECK(LineCount(r.err) == 1);
    CHECK(r.err.find("no table LIVE_BUNDLE") != std::string::npos);
    CHECK(r.err.find("DEFAULT_BUNDLE") != std::string::npos);
  }
  SUBCASE("--history on a repository without a version store") {
    RunResult r = Run(CheckerBin() + " check" + repo + " --history");
    CHECK(r.exit_code == 8);
    CHECK(LineCount(r.err) == 1);
    CHECK(r.err.find("the version store: no table VERSION_BUNDLE") != std::string::npos);
    CHECK(r.err.find("DEFAULT_BUNDLE") != std::string::npos);
  }
  SUBCASE("-w version: the version store is not a workspace") {
    RunResult r = Run(CheckerBin() + " check" + repo + " -w version");
    CHECK(r.exit_code == 16);
    CHECK(LineCount(r.err) == 1);
    CHECK(r.err.find("--history") != std::string::npos);
  }
  SUBCASE("a malformed uuid") {
    RunResult r = Run(CheckerBin() + " check" + repo + " cafebabe-cafe-babe-cafe-babecafebabeX");
    CHECK(r.exit_code == 16);
    CHECK(LineCount(r.err) == 1);
    CHECK(r.err.find("is not a node id") != std::string::npos);
  }
  SUBCASE("an unknown key in the properties file") {
    std::ofstream(dir.File("checker.properties"))
        << "storage.url = sqlite:repo.db\ncheck.workspace = default\n";
    RunResult r = Run(CheckerBin() + " check -c " + dir.File("checker.properties"));
    CHECK(r.exit_code == 8);
    CHECK(LineCount(r.err) == 1);
    CHECK(r.err.find(":2:") != std::string::npos);
    CHECK(r.err.find("check.workspace") != std::string::npos);
  }
  SUBCASE("a missing properties file") {
    RunResult r = Run(CheckerBin() + " check -c " + dir.File("absent.properties"));
    CHECK(r.exit_code == 8);
    CHECK(LineCount(r.err) == 1);
  }
  SUBCASE("an unknown option") {
    RunResult r = Run(CheckerBin() + " check --frobnicate" + repo);
    CHECK(r.exit_code == 16);
  }
  SUBCASE("no store at all") {
    RunResult r = Run("cd " + dir.path() + " && " + CheckerBin() + " check");
    CHECK(r.exit_code == 16);
    CHECK(r.err.find("no store given") != std::string::npos);
  }
}

TEST_CASE("a truncated bundle is an unreadable finding and the scan goes on") {
  TempDir dir;
  auto rows = testing::HealthyRows();
  Bytes truncated = rows[3].second;  // n2
  truncated.resize(10);
  rows[3].second = truncated;
  rows.emplace_back(testing::TestId(8), *EncodeBundle(testing::Node(testing::TestId(98))));
  testing::WriteSqliteStore(dir.File("repo.db"), rows);
  RunResult r = Run(CheckerBin() + " check --url sqlite:" + dir.File("repo.db"));
  CHECK(r.exit_code == 4);
  CHECK(r.out.find("UNREADABLE: 20000000-0000-0000-0000-000000000002 -- bundle cannot be "
                   "decoded: at byte 2: expected") == 0);
  CHECK(r.out.find("ORPHANED: 20000000-0000-0000-0000-000000000008") != std::string::npos);
}

TEST_CASE("--format json: one object per finding, then the summary") {
  TempDir dir;
  auto rows = testing::HealthyRows();
  rows.emplace_back(testing::TestId(7), *EncodeBundle(testing::Node(testing::TestId(99))));
  testing::WriteSqliteStore(dir.File("repo.db"), rows);
  RunResult r = Run(CheckerBin() + " check --format json --url sqlite:" + dir.File("repo.db"));
  CHECK(r.exit_code == 4);
  CHECK(testing::Normalize(r.out, dir.path()) ==
        "{\"type\":\"finding\",\"kind\":\"orphaned\",\"workspace\":\"default\","
        "\"node\":\"20000000-0000-0000-0000-000000000007\","
        "\"related\":\"20000000-0000-0000-0000-000000000063\","
        "\"message\":\"NodeState '20000000-0000-0000-0000-000000000007' references inexistent "
        "parent id '20000000-0000-0000-0000-000000000063'\",\"repaired\":false,"
        "\"repair\":\"not repaired: no lost+found node configured (set "
        "check.default.lostnfound or pass --lost-found UUID)\"}\n"
        "{\"type\":\"summary\",\"nodes\":6,\"workspaces\":{\"default\":6},\"findings\":"
        "{\"missing\":0,\"disconnected\":0,\"orphaned\":1,\"abandoned\":0,\"unreadable\":0,"
        "\"duplicate-entry\":0,\"unreachable\":0,\"missing-root\":0,"
        "\"dangling-reference\":0,\"missing-version-history\":0},"
        "\"repaired\":0,\"dropped\":0,\"exit_code\":4,\"elapsed_ms\":0}\n");
}

}  // namespace
}  // namespace checker

namespace checker {
namespace {

TEST_CASE("cron: --quiet, --max-findings and an atomic --report file") {
  TempDir dir;
  auto rows = testing::HealthyRows();
  for (int n = 7; n <= 9; ++n) {
    rows.emplace_back(testing::TestId(n), *EncodeBundle(testing::Node(testing::TestId(90 + n))));
  }
  testing::WriteSqliteStore(dir.File("repo.db"), rows);
  const std::string check = CheckerBin() + " check --url sqlite:" + dir.File("repo.db");
  SUBCASE("--quiet prints only the summary") {
    RunResult r = Run(check + " --quiet");
    CHECK(r.exit_code == 4);
    CHECK(LineCount(r.out) == 1);
    CHECK(r.out.find("3 inconsistencies (orphaned 3)") != std::string::npos);
  }
  SUBCASE("--max-findings shows N and counts all") {
    RunResult r = Run(check + " --max-findings 1");
    CHECK(r.exit_code == 4);
    CHECK(LineCount(r.out) == 3);
    CHECK(r.out.find("... 2 more finding(s) not shown") != std::string::npos);
    CHECK(r.out.find("3 inconsistencies") != std::string::npos);
  }
  SUBCASE("--report writes every finding and the summary, and no temporary file stays") {
    RunResult r = Run(check + " --quiet --report " + dir.File("report.jsonl"));
    CHECK(r.exit_code == 4);
    std::string report = ReadAll(dir.File("report.jsonl"));
    CHECK(LineCount(report) == 4);
    CHECK(report.find("{\"type\":\"summary\"") != std::string::npos);
    int files = 0;
    for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
    CHECK(files == 2);
  }
  SUBCASE("a failed run leaves no report behind") {
    RunResult r = Run(CheckerBin() + " check --url sqlite:" + dir.File("repo.db") +
                      " -w nope --report " + dir.File("report.jsonl"));
    CHECK(r.exit_code == 8);
    CHECK_FALSE(std::filesystem::exists(dir.File("report.jsonl")));
  }
}

}  // namespace
}  // namespace checker
