// The progress meter: what it writes, when, and how (terminal or not), on a
// clock the test moves by hand.
#include <doctest/doctest.h>

#include <sstream>

#include "checker/progress.h"

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

}  // namespace
}  // namespace checker
