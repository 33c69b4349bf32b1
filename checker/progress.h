// ProgressMeter: progress of full scans, for stderr (never stdout, which
// carries the report).
//
// On a terminal one line is rewritten in place ("\r") and ended with a
// newline when the scan ends; elsewhere (a log file, a pipe) each update is
// a line of its own. At most one update every 0.5 s; the line at the end of
// each scan is always written.
//
//   scanning default: 1,234,567 nodes, 2.1M nodes/s, 45%, about 3 s left
//   scanning default: 1,234,567 nodes, 2.1M nodes/s        (no total known)
//   scanned default: 2,718,281 nodes in 1.3 s (2.1M nodes/s)
#ifndef CHECKER_CHECKER_PROGRESS_H_
#define CHECKER_CHECKER_PROGRESS_H_

#include <cstddef>
#include <functional>
#include <ostream>
#include <string>

#include "checker/full_check.h"

namespace checker {

class ProgressMeter {
 public:
  // Seconds on a monotonic clock.
  using Clock = std::function<double()>;
  static double SteadySeconds();

  ProgressMeter(std::ostream& out, bool terminal, Clock clock = SteadySeconds);

  // Shows how far the scan of `workspace` is, if an update is due.
  void Show(const std::string& workspace, const ScanState& state);

 private:
  void Write(const std::string& line, bool final);

  std::ostream& out_;
  const bool terminal_;
  const Clock clock_;
  std::string workspace_;  // the scan being shown
  double start_ = 0;
  double last_update_ = 0;
  size_t last_width_ = 0;  // of the line on the terminal, to blank what is left of it
};

// Whether progress is shown: --progress forces it, --no-progress turns it
// off, otherwise only when stderr is a terminal.
bool ProgressWanted(bool progress_flag, bool no_progress_flag);
bool StderrIsTerminal();

}  // namespace checker

#endif  // CHECKER_CHECKER_PROGRESS_H_
