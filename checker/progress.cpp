// The meter keeps the time the current scan started and of its last update;
// each call compares the clock against them (a clock read per batch of about
// a thousand rows costs nothing). A new workspace name starts a new scan.
#include "checker/progress.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace checker {
namespace {

constexpr double kUpdateEvery = 0.5;  // seconds

// 1234567 -> "1,234,567"
std::string Grouped(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string Format(const char* format, double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

// "950 nodes/s", "12.3k nodes/s", "2.1M nodes/s"
std::string Rate(double per_second) {
  if (per_second >= 1e6) return Format("%.1fM nodes/s", per_second / 1e6);
  if (per_second >= 1e3) return Format("%.1fk nodes/s", per_second / 1e3);
  return Format("%.0f nodes/s", per_second);
}

// "42 s", "3 min 05 s", "2 h 07 min"
std::string Duration(double seconds) {
  auto s = static_cast<uint64_t>(std::ceil(seconds));
  char buffer[48];
  if (s < 60) {
    std::snprintf(buffer, sizeof buffer, "%llu s", static_cast<unsigned long long>(s));
  } else if (s < 3600) {
    std::snprintf(buffer, sizeof buffer, "%llu min %02llu s",
                  static_cast<unsigned long long>(s / 60), static_cast<unsigned long long>(s % 60));
  } else {
    std::snprintf(buffer, sizeof buffer, "%llu h %02llu min",
                  static_cast<unsigned long long>(s / 3600),
                  static_cast<unsigned long long>(s / 60 % 60));
  }
  return buffer;
}

}  // namespace

double ProgressMeter::SteadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

ProgressMeter::ProgressMeter(std::ostream& out, bool terminal, Clock clock)
    : out_(out), terminal_(terminal), clock_(std::move(clock)) {}

void ProgressMeter::Show(const std::string& workspace, const ScanState& state) {
  const double now = clock_();
  if (workspace != workspace_) {
    workspace_ = workspace;
    start_ = last_update_ = now;
  }
  const double elapsed = now - start_;
  const double rate = elapsed > 0 ? state.rows / elapsed : 0;
  if (state.done) {
    Write("scanned " + workspace + ": " + Grouped(state.rows) + " nodes in " +
              Format("%.1f s", elapsed) + (rate > 0 ? " (" + Rate(rate) + ")" : ""),
          true);
    workspace_.clear();
    return;
  }
  if (now - last_update_ < kUpdateEvery) return;
  last_update_ = now;
  std::string line = "scanning " + workspace + ": " + Grouped(state.rows) + " nodes, " + Rate(rate);
  if (state.total && *state.total >= state.rows && *state.total > 0 && rate > 0) {
    line += Format(", %.0f%%", 100.0 * state.rows / *state.total) + ", about " +
            Duration((*state.total - state.rows) / rate) + " left";
  }
  Write(line, false);
}

void ProgressMeter::Write(const std::string& line, bool final) {
  if (!terminal_) {
    out_ << line << '\n' << std::flush;
    return;
  }
  std::string padded = "\r" + line;
  if (line.size() < last_width_) padded.append(last_width_ - line.size(), ' ');
  last_width_ = final ? 0 : line.size();
  out_ << padded << (final ? "\n" : "") << std::flush;
}

bool StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

bool ProgressWanted(bool progress_flag, bool no_progress_flag) {
  if (no_progress_flag) return false;
  return progress_flag || StderrIsTerminal();
}

}  // namespace checker
