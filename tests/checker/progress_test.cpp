// The progress meter: what it writes, when, and how (terminal or not), on a
// clock the test moves by hand; and what `check --progress` prints, run as a
// user runs it.
#include <doctest/doctest.h>

#include <sstream>

#include "checker/progress.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

namespace checker {
namespace {

struct Meter {
  explicit Meter(bool terminal) : meter(out, terminal, [this] { return now; }) {}
  std::ostringstream out;
  double now = 100;
  ProgressMeter meter;
};

TEST_CASE("progress: plain lines at most every half second, a total gives an ETA") {
  Meter m(false);
  m.meter.Show("default", {.rows = 0, .total = 4000000});
  m.now += 0.2;
  m.meter.Show("default", {.rows = 400000, .total = 4000000});
  CHECK(m.out.str() == "");  // too soon
  m.now += 0.8;
  m.meter.Show("default", {.rows = 1000000, .total = 4000000});
  m.now += 0.1;
  m.meter.Show("default", {.rows = 1100000, .total = 4000000});
  m.now += 1.0;
  m.meter.Show("default", {.rows = 4000000, .total = 4000000, .done = true});
  CHECK(m.out.str() ==
        "scanning default: 1,000,000 nodes, 1.0M nodes/s, 25%, about 3 s left\n"
        "scanned default: 4,000,000 nodes in 2.1 s (1.9M nodes/s)\n");
}

TEST_CASE("progress: on a terminal one line is rewritten, then ended") {
  Meter m(true);
  m.meter.Show("live", {.rows = 0});
  m.now += 1;
  m.meter.Show("live", {.rows = 12345678});
  m.now += 100;
  m.meter.Show("live", {.rows = 12345679});
  m.meter.Show("live", {.rows = 12345679, .done = true});
  m.meter.Show("version", {.rows = 0});
  m.now += 0.25;
  m.meter.Show("version", {.rows = 10, .done = true});
  std::string longer = "scanning live: 12,345,678 nodes, 12.3M nodes/s";
  std::string shorter = "scanning live: 12,345,679 nodes, 122.2k nodes/s";
  std::string done = "scanned live: 12,345,679 nodes in 101.0 s (122.2k nodes/s)";
  CHECK(m.out.str() == "\r" + longer + "\r" + shorter + "\r" + done + "\n" +
                           "\rscanned version: 10 nodes in 0.2 s (40 nodes/s)\n");
}

TEST_CASE("progress: the flags win over the terminal test") {
  CHECK(ProgressWanted(true, false));
  CHECK(!ProgressWanted(false, true));
  CHECK(ProgressWanted(false, false) == StderrIsTerminal());
}

// The command line: `check --progress` writes its lines to stderr (plain
// lines, since stderr is not a terminal here) and leaves stdout exactly as
// `--no-progress` does; asking for both is a usage error.
TEST_CASE("progress: check --progress writes to stderr only, stdout as with --no-progress") {
  testing::TempDir dir;
  for (const std::string backend : {"sqlite", "lmdb"}) {
    CAPTURE(backend);
    const std::string url = backend + ":" + dir.File("repo." + backend);
    testing::RunResult made =
        testing::Run(testing::MkfixtureBin() + " generate " + url +
                     " --nodes 3000 --seed 3 --damage missing-entry=2,abandoned=2,disconnected=1");
    REQUIRE(made.exit_code == 0);
    for (const std::string format : {"text", "json"}) {
      CAPTURE(format);
      const std::string check =
          testing::CheckerBin() + " check --url " + url + " --format " + format;
      testing::RunResult with = testing::Run(check + " --progress");
      testing::RunResult without = testing::Run(check + " --no-progress");
      CHECK(with.exit_code == 4);
      CHECK(without.exit_code == 4);
      CHECK(without.err == "");
      CHECK(with.out != "");
      CHECK(testing::Normalize(with.out, dir.path()) ==
            testing::Normalize(without.out, dir.path()));
      // Every stderr line is a progress line; the last one ends the scan.
      CHECK(with.err.find('\r') == std::string::npos);
      std::istringstream lines(with.err);
      std::string line, last;
      int count = 0;
      while (std::getline(lines, line)) {
        CHECK(
            (line.rfind("scanning default: ", 0) == 0 || line.rfind("scanned default: ", 0) == 0));
        last = line;
        ++count;
      }
      CHECK(count >= 1);
      CHECK(last.rfind("scanned default: ", 0) == 0);
      CHECK(last.find(" nodes in ") != std::string::npos);
      CHECK(with.err.back() == '\n');
    }
  }
}

TEST_CASE("progress: a scoped check shows none, and --progress with --no-progress is refused") {
  testing::TempDir dir;
  const std::string url = "sqlite:" + dir.File("repo.db");
  REQUIRE(testing::Run(testing::MkfixtureBin() + " generate " + url + " --nodes 100 --seed 5")
              .exit_code == 0);
  testing::RunResult scoped = testing::Run(testing::CheckerBin() + " check --url " + url +
                                           " --progress cafebabe-cafe-babe-cafe-babecafebabe -r");
  CHECK(scoped.exit_code == 0);
  CHECK(scoped.err == "");

  for (const std::string flags : {"--progress --no-progress", "--no-progress --progress"}) {
    CAPTURE(flags);
    testing::RunResult both =
        testing::Run(testing::CheckerBin() + " check --url " + url + " " + flags);
    CHECK(both.exit_code == 16);
    CHECK(both.out == "");
    CHECK(both.err.find("--progress") != std::string::npos);
    CHECK(both.err.find("--no-progress") != std::string::npos);
  }
}

}  // namespace
}  // namespace checker
