// Report sinks: where findings and the summary go. Text (Jackrabbit's
// report-item lines, then one summary line) or JSON Lines (one object per
// finding, then a summary object), both on stdout. Sinks format only; what a
// finding's outcome is (repaired or not, and how) is decided before it
// reaches them.
#ifndef CHECKER_CHECKER_REPORT_H_
#define CHECKER_CHECKER_REPORT_H_

#include <array>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "checker/problem.h"

namespace checker {

struct ReportedFinding {
  const Finding* finding = nullptr;
  std::string workspace;
  bool repaired = false;
  std::string repair;        // what was done, or (check mode) what fix would do
  bool show_repair = false;  // text output: print `repair` under the finding
};

// Information that is not an inconsistency and never changes the exit
// status: a version history whose versionable node exists in no checked
// workspace (an administrator may remove it).
struct ReportedInfo {
  std::string workspace;  // the version store's
  NodeId history;
  NodeId versionable;
};

struct WorkspaceCount {
  std::string workspace;
  uint64_t nodes = 0;
};

struct RunSummary {
  std::vector<WorkspaceCount> workspaces;
  std::array<uint64_t, kProblemKindCount> findings{};  // by ProblemKind
  uint64_t repaired = 0;
  uint64_t dropped = 0;  // findings that no longer held when re-read
  int exit_code = 0;
  int64_t elapsed_ms = 0;
  std::string undo_file;          // fix: where the before-images were saved
  std::string scope_note;         // scoped runs: what the check could not see
  uint64_t unused_histories = 0;  // information lines (ReportedInfo)

  uint64_t nodes() const;
  uint64_t total_findings() const;
};

class ReportSink {
 public:
  virtual ~ReportSink() = default;
  virtual void OnFinding(const ReportedFinding& item) = 0;
  virtual void OnInfo(const ReportedInfo& info) = 0;
  virtual void OnSummary(const RunSummary& summary) = 0;
};

enum class ReportFormat { kText, kJson };

std::unique_ptr<ReportSink> MakeReportSink(ReportFormat format, std::ostream& out);

// JSON string literal with the escapes RFC 8259 requires.
std::string JsonQuote(std::string_view text);

}  // namespace checker

#endif  // CHECKER_CHECKER_REPORT_H_
