// Text lines follow Jackrabbit's ReportItemImpl.toString():
//   <LABEL>: <node> -- <message>
// and in fix mode an indented second line says what was done. The summary is
// one line, so that a healthy store prints exactly one line:
//   checked 7 nodes (default) in 0.003 s: no inconsistencies
// JSON Lines carry the same facts with stable field names (see DESIGN.md).
#include "checker/report.h"

#include <cstdio>
#include <numeric>

namespace checker {
namespace {

std::string Seconds(int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ms) / 1000.0);
  return buf;
}

std::string Plural(uint64_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string InfoMessage(const ReportedInfo& info) {
  return "unused version history: its versionable node '" + info.versionable.ToString() +
         "' exists in no checked workspace";
}

class TextSink : public ReportSink {
 public:
  explicit TextSink(std::ostream& out) : out_(out) {}

  void OnFinding(const ReportedFinding& item) override {
    const Finding& f = *item.finding;
    out_ << Problem(f.kind).label << ": " << f.node.ToString() << " -- " << FindingMessage(f);
    if (item.workspace != "default") out_ << " [workspace " << item.workspace << "]";
    out_ << "\n";
    if (item.show_repair) {
      out_ << "  " << (item.repaired ? "repaired: " : "") << item.repair << "\n";
    }
  }

  void OnInfo(const ReportedInfo& info) override {
    out_ << "INFO: " << info.history.ToString() << " -- " << InfoMessage(info) << " [workspace "
         << info.workspace << "]\n";
  }

  void OnSummary(const RunSummary& s) override {
    out_ << "checked " << Plural(s.nodes(), "node") << " (";
    for (size_t i = 0; i < s.workspaces.size(); ++i) {
      if (i > 0) out_ << ", ";
      out_ << s.workspaces[i].workspace;
      if (s.workspaces.size() > 1) out_ << " " << s.workspaces[i].nodes;
    }
    out_ << ") in " << Seconds(s.elapsed_ms) << " s: ";
    if (s.total_findings() == 0) {
      out_ << "no inconsistencies";
    } else {
      uint64_t total = s.total_findings();
      out_ << total << (total == 1 ? " inconsistency (" : " inconsistencies (");
      bool first = true;
      for (size_t k = 0; k < kProblemKindCount; ++k) {
        if (s.findings[k] == 0) continue;
        out_ << (first ? "" : ", ") << Problem(static_cast<ProblemKind>(k)).id << " "
             << s.findings[k];
        first = false;
      }
      out_ << ")";
      if (s.repaired > 0) out_ << ", " << s.repaired << " repaired";
    }
    out_ << "\n";
    if (!s.scope_note.empty()) out_ << "note: " << s.scope_note << "\n";
    if (s.unused_histories > 0) {
      out_ << "note: " << s.unused_histories
           << (s.unused_histories == 1 ? " version history" : " version histories")
           << " without a versionable node in the checked workspaces (information only)\n";
    }
    if (!s.undo_file.empty()) {
      out_ << "undo file: " << s.undo_file << " (checker undo " << s.undo_file
           << " puts the old bundles back)\n";
    }
    if (s.dropped > 0) {
      out_ << "note: " << Plural(s.dropped, "finding")
           << " no longer held when re-read (the store changed during the check) and "
           << (s.dropped == 1 ? "was" : "were") << " dropped\n";
    }
  }

 private:
  std::ostream& out_;
};

class JsonSink : public ReportSink {
 public:
  explicit JsonSink(std::ostream& out) : out_(out) {}

  void OnFinding(const ReportedFinding& item) override {
    const Finding& f = *item.finding;
    out_ << "{\"type\":\"finding\",\"kind\":" << JsonQuote(Problem(f.kind).id)
         << ",\"workspace\":" << JsonQuote(item.workspace)
         << ",\"node\":" << JsonQuote(f.node.ToString()) << ",\"related\":"
         << (HasRelated(f) ? JsonQuote(f.related.ToString()) : std::string("null"));
    if (f.kind == ProblemKind::kUnreadable) {
      out_ << ",\"offset\":" << f.offset << ",\"reason\":" << JsonQuote(f.reason);
    }
    if (f.kind == ProblemKind::kDuplicateEntry || f.kind == ProblemKind::kUnreachable) {
      out_ << ",\"count\":" << f.count;
    }
    out_ << ",\"message\":" << JsonQuote(FindingMessage(f))
         << ",\"repaired\":" << (item.repaired ? "true" : "false")
         << ",\"repair\":" << JsonQuote(item.repair) << "}\n";
  }

  void OnInfo(const ReportedInfo& info) override {
    out_ << "{\"type\":\"info\",\"kind\":\"unused-version-history\",\"workspace\":"
         << JsonQuote(info.workspace) << ",\"node\":" << JsonQuote(info.history.ToString())
         << ",\"related\":" << JsonQuote(info.versionable.ToString())
         << ",\"message\":" << JsonQuote(InfoMessage(info)) << "}\n";
  }

  void OnSummary(const RunSummary& s) override {
    out_ << "{\"type\":\"summary\",\"nodes\":" << s.nodes() << ",\"workspaces\":{";
    for (size_t i = 0; i < s.workspaces.size(); ++i) {
      out_ << (i ? "," : "") << JsonQuote(s.workspaces[i].workspace) << ":"
           << s.workspaces[i].nodes;
    }
    out_ << "},\"findings\":{";
    for (size_t k = 0; k < kProblemKindCount; ++k) {
      out_ << (k ? "," : "") << JsonQuote(Problem(static_cast<ProblemKind>(k)).id) << ":"
           << s.findings[k];
    }
    out_ << "},\"repaired\":" << s.repaired << ",\"dropped\":" << s.dropped;
    if (!s.undo_file.empty()) out_ << ",\"undo_file\":" << JsonQuote(s.undo_file);
    if (!s.scope_note.empty()) out_ << ",\"scope_note\":" << JsonQuote(s.scope_note);
    if (s.unused_histories > 0) out_ << ",\"unused_version_histories\":" << s.unused_histories;
    out_ << ",\"exit_code\":" << s.exit_code << ",\"elapsed_ms\":" << s.elapsed_ms << "}\n";
  }

 private:
  std::ostream& out_;
};

}  // namespace

uint64_t RunSummary::nodes() const {
  uint64_t n = 0;
  for (const WorkspaceCount& w : workspaces) n += w.nodes;
  return n;
}

uint64_t RunSummary::total_findings() const {
  return std::accumulate(findings.begin(), findings.end(), uint64_t{0});
}

std::string JsonQuote(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::unique_ptr<ReportSink> MakeReportSink(ReportFormat format, std::ostream& out) {
  if (format == ReportFormat::kJson) return std::make_unique<JsonSink>(out);
  return std::make_unique<TextSink>(out);
}

}  // namespace checker
