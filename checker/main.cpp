// The command line: the only place that knows about argv, exit codes and
// messages on stderr. Everything below it returns Status values; this file
// turns them into one line on stderr and an fsck-style exit status, and it
// is the one place that decides what a mode does with a finding.
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "checker/config.h"
#include "checker/copy.h"
#include "checker/exit_code.h"
#include "checker/fix.h"
#include "checker/full_check.h"
#include "checker/interrupt.h"
#include "checker/planner.h"
#include "checker/progress.h"
#include "checker/repair.h"
#include "checker/report.h"
#include "checker/repository_check.h"
#include "checker/scope.h"
#include "checker/undo_file.h"
#include "storage/bundle_store.h"

namespace checker {
namespace {

constexpr char kDefaultConfigFile[] = "checker.properties";

enum class Mode { kCheck, kDryRun, kFix };

struct RunOptions {
  std::string config_path;
  std::string url;
  std::vector<std::string> workspaces;
  std::string format = "text";
  std::vector<std::string> uuids;
  bool recursive = false;
  // reports for cron
  std::string report_file;
  bool quiet = false;
  int64_t max_findings = -1;  // -1: no limit
  bool history = false;       // as check.history = true
  bool references = false;    // as check.references = true
  bool progress = false;
  bool no_progress = false;
  // fix only
  bool dry_run = false;
  std::string lost_found;
  std::string undo_file;
};

struct UndoOptions {
  std::string file;
  bool force = false;
};

struct CopyOptions {
  std::string source;
  std::string destination;
};

int Fail(int code, const std::string& message) {
  std::cerr << "checker: " << message << "\n";
  return code;
}

int FailStatus(const Status& status) {
  if (status.IsInterrupted()) return Fail(kExitInterrupted, status.message());
  return Fail(kExitOperational, status.message());
}

// The configuration: the properties file (if any), then the command line.
Result<Config> ResolveConfig(const RunOptions& options) {
  Config config;
  std::string path = options.config_path;
  if (path.empty() && std::filesystem::exists(kDefaultConfigFile)) path = kDefaultConfigFile;
  if (!path.empty()) {
    Result<Config> loaded = LoadConfigFile(path);
    if (!loaded.ok()) return loaded.status();
    config = std::move(*loaded);
  } else {
    config.workspaces.push_back({.name = "default", .table_prefix = "DEFAULT_"});
    config.version_workspace = {.name = std::string(kVersionWorkspaceName),
                                .table_prefix = *DefaultTablePrefix(kVersionWorkspaceName)};
  }
  config.check_history = config.check_history || options.history;
  config.check_references = config.check_references || options.references;
  if (!options.url.empty()) config.storage_url = options.url;
  if (!options.workspaces.empty()) {
    std::vector<WorkspaceConfig> chosen;
    for (const std::string& name : options.workspaces) {
      auto known = std::find_if(config.workspaces.begin(), config.workspaces.end(),
                                [&](const WorkspaceConfig& w) { return w.name == name; });
      if (known != config.workspaces.end()) {
        chosen.push_back(*known);
        continue;
      }
      Result<std::string> prefix = DefaultTablePrefix(name);
      if (!prefix.ok()) return prefix.status();
      chosen.push_back({.name = name, .table_prefix = *prefix});
    }
    config.workspaces = std::move(chosen);
  }
  return config;
}

// Every configured workspace must have its table: a misspelt workspace is an
// error, never a silent skip.
Status VerifyTables(BundleStore& store, const Config& config) {
  Result<std::vector<std::string>> tables = store.ListBundleTables();
  if (!tables.ok()) return tables.status();
  for (const WorkspaceConfig& ws : CheckedWorkspaces(config)) {
    if (std::find(tables->begin(), tables->end(), ws.table_prefix) != tables->end()) continue;
    std::string found;
    for (const std::string& t : *tables) found += (found.empty() ? "" : ", ") + t + "BUNDLE";
    const bool version = config.check_history && ws.name == config.version_workspace.name;
    return Status::NotFound(
        (version ? "--history/check.history: the version store" : "workspace '" + ws.name + "'") +
        ": no table " + ws.table_prefix + "BUNDLE in " + store.Describe() +
        " (bundle tables there: " + (found.empty() ? "none" : found) + ")");
  }
  return Status::Ok();
}

// The path of a store url's file or folder, made absolute, and the url again.
std::pair<std::string, std::string> AbsoluteStore(const std::string& url) {
  size_t colon = url.find(':');
  if (colon == std::string::npos || url.compare(colon, 3, "://") == 0) return {"", url};
  std::string path = std::filesystem::absolute(url.substr(colon + 1)).lexically_normal().string();
  return {path, url.substr(0, colon + 1) + path};
}

struct PlannedWorkspace {
  WorkspaceCheck check;
  std::optional<NodeId> lost_found;
  Plan plan;
};

struct CheckedRepository {
  std::vector<PlannedWorkspace> workspaces;  // as CheckedWorkspaces(config)
  std::vector<UnusedHistory> unused_histories;
};

Result<CheckedRepository> CheckAll(BundleStore& store, const Config& config,
                                   const RunOptions& options, const std::vector<NodeId>& scope) {
  CheckedRepository out;
  std::vector<WorkspaceCheck> checks;
  if (scope.empty()) {
    std::optional<ProgressMeter> meter;
    if (ProgressWanted(options.progress, options.no_progress)) {
      meter.emplace(std::cerr, StderrIsTerminal());
    }
    Result<RepositoryCheck> checked =
        CheckRepository(store, config, [&](const std::string& ws, const ScanState& state) {
          if (meter) meter->Show(ws, state);
          return InterruptRequested() ? Status::Interrupted("interrupted during the scan")
                                      : Status::Ok();
        });
    if (!checked.ok()) return checked.status();
    checks = std::move(checked->workspaces);
    out.unused_histories = std::move(checked->unused_histories);
  } else {
    Result<std::vector<WorkspaceCheck>> scoped =
        CheckRepositoryScope(store, config, scope, options.recursive);
    if (!scoped.ok()) return scoped.status();
    checks = std::move(*scoped);
  }
  const std::vector<WorkspaceConfig> configs = CheckedWorkspaces(config);
  for (size_t i = 0; i < checks.size(); ++i) {
    PlannedWorkspace planned{.check = std::move(checks[i])};
    planned.lost_found = configs[i].lost_found;
    // --lost-found names a node of the workspaces; the version store's comes
    // only from check.version.lostnfound.
    if (!options.lost_found.empty() && !planned.check.version_store) {
      planned.lost_found = NodeId::Parse(options.lost_found);
    }
    out.workspaces.push_back(std::move(planned));
  }
  return out;
}

// Refuses a configured lost+found that is unusable, before anything is written.
Status ValidateLostFounds(BundleStore& store, const Config& config, const RunOptions& options,
                          const std::vector<PlannedWorkspace>& planned) {
  const std::vector<WorkspaceConfig> configs = CheckedWorkspaces(config);
  for (size_t i = 0; i < planned.size(); ++i) {
    if (!planned[i].lost_found) continue;
    const WorkspaceConfig& ws = configs[i];
    const bool from_flag = !options.lost_found.empty() && !planned[i].check.version_store;
    std::string origin = from_flag                      ? "--lost-found"
                         : ws.lost_found_origin.empty() ? "check." + ws.name + ".lostnfound"
                                                        : ws.lost_found_origin;
    CHECKER_RETURN_IF_ERROR(
        ValidateLostFound(store, ws.table_prefix, *planned[i].lost_found, origin));
  }
  return Status::Ok();
}

std::string ScopeNote(const RunOptions& options, Mode mode) {
  if (options.uuids.empty()) return "";
  std::string note = "scoped to " + std::to_string(options.uuids.size()) + " given node(s)" +
                     (options.recursive ? " and their subtrees" : "") +
                     ": entries held by nodes outside the scope were not seen";
  if (mode != Mode::kCheck) note += ", and the repairs are planned without them";
  return note;
}

// Where findings go: stdout (text or JSON; --quiet keeps only the summary,
// --max-findings cuts the list but not the counts), and with --report a JSON
// Lines file written whole or not at all (a temporary file renamed into
// place), so a cron job never reads half a report.
class Reports {
 public:
  explicit Reports(const RunOptions& options)
      : options_(options),
        stdout_(MakeReportSink(options.format == "json" ? ReportFormat::kJson : ReportFormat::kText,
                               std::cout)) {}

  Status Open() {
    if (options_.report_file.empty()) return Status::Ok();
    temp_path_ = options_.report_file + ".tmp-" + std::to_string(::getpid());
    file_.open(temp_path_, std::ios::binary | std::ios::trunc);
    if (!file_) return Status::IOError("cannot write report " + temp_path_);
    file_sink_ = MakeReportSink(ReportFormat::kJson, file_);
    return Status::Ok();
  }

  void AddInfo(const ReportedInfo& info) {
    if (file_sink_) file_sink_->OnInfo(info);
    if (!options_.quiet) stdout_->OnInfo(info);
  }

  void Add(const ReportedFinding& item) {
    if (file_sink_) file_sink_->OnFinding(item);
    ++seen_;
    if (options_.quiet) return;
    if (options_.max_findings >= 0 && seen_ > static_cast<uint64_t>(options_.max_findings)) {
      return;
    }
    stdout_->OnFinding(item);
  }

  Status Finish(const RunSummary& summary) {
    if (!options_.quiet && options_.max_findings >= 0 &&
        seen_ > static_cast<uint64_t>(options_.max_findings) && options_.format != "json") {
      std::cout << "... " << seen_ - options_.max_findings
                << " more finding(s) not shown (--max-findings)\n";
    }
    stdout_->OnSummary(summary);
    std::cout.flush();
    if (!file_sink_) return Status::Ok();
    file_sink_->OnSummary(summary);
    file_.flush();
    bool written = file_.good();
    file_.close();
    if (!written || std::rename(temp_path_.c_str(), options_.report_file.c_str()) != 0) {
      std::remove(temp_path_.c_str());
      return Status::IOError("cannot write report " + options_.report_file);
    }
    return Status::Ok();
  }

  ~Reports() {
    if (file_sink_ && file_.is_open()) {  // the run failed: no half report
      file_.close();
      std::remove(temp_path_.c_str());
    }
  }

 private:
  const RunOptions& options_;
  std::unique_ptr<ReportSink> stdout_;
  std::ofstream file_;
  std::string temp_path_;
  std::unique_ptr<ReportSink> file_sink_;
  uint64_t seen_ = 0;
};

int ExitCodeFor(const RunSummary& summary) {
  uint64_t total = summary.total_findings();
  if (total == 0) return kExitClean;
  return summary.repaired == total ? kExitRepaired : kExitRemaining;
}

int Run(const RunOptions& options, Mode mode) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<NodeId> scope;
  for (const std::string& text : options.uuids) {
    std::optional<NodeId> id = NodeId::Parse(text);
    if (!id) return Fail(kExitUsage, "'" + text + "' is not a node id (expected 8-4-4-4-12 hex)");
    scope.push_back(*id);
  }
  if (std::count(options.workspaces.begin(), options.workspaces.end(), kVersionWorkspaceName)) {
    return Fail(kExitUsage,
                "-w version: the version store is checked with --history (or check.history = "
                "true), not as a workspace");
  }
  if (!options.lost_found.empty() && !NodeId::Parse(options.lost_found)) {
    return Fail(kExitUsage, "--lost-found '" + options.lost_found + "' is not a node id");
  }
  Result<Config> config = ResolveConfig(options);
  if (!config.ok()) return FailStatus(config.status());
  if (config->storage_url.empty()) {
    return Fail(kExitUsage,
                "no store given: pass --url sqlite:<file>, or -c <checker.properties> with "
                "storage.url");
  }
  auto [store_path, store_url] = AbsoluteStore(config->storage_url);
  OpenMode open_mode = mode == Mode::kFix ? OpenMode::kReadWrite : OpenMode::kReadOnly;
  Result<std::unique_ptr<BundleStore>> store = OpenStore(config->storage_url, open_mode);
  if (!store.ok()) return FailStatus(store.status());
  if (Status s = VerifyTables(**store, *config); !s.ok()) return FailStatus(s);
  InstallInterruptHandler();

  Result<CheckedRepository> checked = CheckAll(**store, *config, options, scope);
  if (!checked.ok()) return FailStatus(checked.status());
  std::vector<PlannedWorkspace>* planned = &checked->workspaces;
  if (mode != Mode::kCheck) {
    if (Status s = ValidateLostFounds(**store, *config, options, *planned); !s.ok()) {
      return FailStatus(s);
    }
  }
  std::vector<WorkspaceRepair> repairs;
  for (PlannedWorkspace& p : *planned) {
    p.plan = PlanRepairs(p.check.index, p.check.findings, {.lost_found = p.lost_found});
    if (!p.plan.edits.empty()) {
      repairs.push_back({p.check.workspace, p.check.table_prefix, p.check.findings, p.plan});
    }
  }

  RunSummary summary;
  Applied applied;
  if (mode == Mode::kFix && !repairs.empty()) {
    summary.undo_file = !options.undo_file.empty() ? options.undo_file
                                                   : DefaultUndoPath(store_path, UtcCompactNow());
    Result<Applied> done =
        ApplyRepairs(**store, repairs, {.store_url = store_url, .undo_path = summary.undo_file});
    if (!done.ok()) return FailStatus(done.status());
    applied = std::move(*done);
  }

  const bool done = mode == Mode::kFix;
  Reports reports(options);
  if (Status s = reports.Open(); !s.ok()) return FailStatus(s);
  for (const PlannedWorkspace& p : *planned) {
    for (size_t i = 0; i < p.check.findings.size(); ++i) {
      const Finding& f = p.check.findings[i];
      const Outcome& outcome = p.plan.outcomes[i];
      bool repaired = done && outcome.repaired();
      reports.Add({.finding = &f,
                   .workspace = p.check.workspace,
                   .repaired = repaired,
                   .repair = RepairText(f, outcome, done, applied.added_names, p.check.workspace),
                   .show_repair = mode != Mode::kCheck});
      ++summary.findings[static_cast<size_t>(f.kind)];
      summary.repaired += repaired ? 1 : 0;
    }
    summary.workspaces.push_back({p.check.workspace, p.check.nodes});
    summary.dropped += p.check.dropped.size();
  }
  for (const UnusedHistory& unused : checked->unused_histories) {
    reports.AddInfo({.workspace = config->version_workspace.name,
                     .history = unused.history,
                     .versionable = unused.versionable});
  }
  summary.unused_histories = checked->unused_histories.size();
  summary.scope_note = ScopeNote(options, mode);
  summary.exit_code = ExitCodeFor(summary);
  summary.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - start)
                           .count();
  if (Status s = reports.Finish(summary); !s.ok()) return FailStatus(s);
  return summary.exit_code;
}

int RunUndo(const UndoOptions& options) {
  Result<UndoRecord> record = ReadUndoFile(options.file);
  if (!record.ok()) return FailStatus(record.status());
  Result<std::unique_ptr<BundleStore>> store = OpenStore(record->store_url, OpenMode::kReadWrite);
  if (!store.ok()) return FailStatus(store.status());
  Result<UndoResult> undone = ApplyUndo(**store, *record, options.force);
  if (!undone.ok()) return FailStatus(undone.status());
  std::cout << "restored " << undone->restored << " bundle(s) of " << record->store_url
            << " as they were before the fix of " << record->created;
  if (undone->changed_since > 0) {
    std::cout << " (" << undone->changed_since << " had changed since, restored anyway)";
  }
  std::cout << "\n";
  return kExitClean;
}

int RunCopy(const CopyOptions& options) {
  Result<std::unique_ptr<BundleStore>> source = OpenStore(options.source, OpenMode::kReadOnly);
  if (!source.ok()) return FailStatus(source.status());
  Result<std::unique_ptr<BundleStore>> destination =
      OpenStore(options.destination, OpenMode::kCreate);
  if (!destination.ok()) return FailStatus(destination.status());
  InstallInterruptHandler();
  Result<CopyReport> copied = CopyStore(**source, **destination);
  if (!copied.ok()) return FailStatus(copied.status());
  std::cout << CopySummary(*copied) << "\n";
  return kExitClean;
}

void AddStoreOptions(CLI::App* command, RunOptions* options) {
  command->add_option("-c,--config", options->config_path,
                      "checker.properties to read (default: ./checker.properties if it exists)");
  command->add_option("--url", options->url,
                      "the store, overriding storage.url: sqlite:<file> or lmdb:<dir>");
  command->add_option("-w,--workspace", options->workspaces,
                      "a workspace to check (repeatable), overriding check.workspaces");
  command->add_option("--format", options->format, "output format: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  command->add_option("uuids", options->uuids,
                      "node ids to check by point lookups instead of scanning the whole store");
  command->add_flag("-r,--recursive", options->recursive, "with node ids: their subtrees too");
  command->add_option("--report", options->report_file,
                      "also write the JSON Lines report to FILE, atomically (for cron)");
  command->add_flag("-q,--quiet", options->quiet, "print only the summary line");
  command
      ->add_option("--max-findings", options->max_findings,
                   "print at most N findings (all are still counted)")
      ->check(CLI::NonNegativeNumber);
  command->add_flag("--history", options->history,
                    "also check the version store (VERSION_BUNDLE) and that every "
                    "jcr:versionHistory exists there (as check.history = true)");
  command->add_flag("--references", options->references,
                    "also check that every REFERENCE value names an existing node "
                    "(as check.references = true)");
  CLI::Option* progress =
      command->add_flag("--progress", options->progress,
                        "show scan progress on stderr even when it is not a terminal");
  command->add_flag("--no-progress", options->no_progress, "never show scan progress")
      ->excludes(progress);
}

constexpr char kFooter[] = R"(
Exit status (fsck convention, bits may be ORed):
  0  no inconsistencies           1  found, and all repaired
  4  inconsistencies remain       8  operational error (store, config, lock, I/O)
  16 usage error                  32 interrupted (a fix was rolled back)

Examples:
  checker props > checker.properties         write a commented configuration
  checker check -c checker.properties        full read-only check of every workspace
  checker check --url sqlite:repo.db UUID -r one node and its subtree, by point lookups
  checker fix --dry-run                      show what fix would do; write nothing
  checker fix                                repair, in one transaction, after saving an undo file
  checker undo repo.db.checker-undo-...      put back what a fix changed
  checker copy sqlite:repo.db lmdb:copy.lmdb copy a store to work on
  checker check -q --report /var/log/checker.jsonl   for cron: one line, a full report file)";

}  // namespace
}  // namespace checker

int main(int argc, char** argv) {
  using namespace checker;
  CLI::App app{
      "checker: consistency checker and repairer for Jackrabbit bundle stores (parent ids "
      "against child entries)."};
  app.footer(kFooter);
  app.require_subcommand(1);

  RunOptions check;
  CLI::App* check_cmd =
      app.add_subcommand("check",
                         "Read-only check: report orphaned, abandoned, missing, disconnected, "
                         "unreadable and unreachable nodes, duplicate entries and a missing root. "
                         "Never writes.");
  AddStoreOptions(check_cmd, &check);

  RunOptions fix;
  CLI::App* fix_cmd = app.add_subcommand(
      "fix",
      "Check, then repair everything found in one transaction, after saving the old "
      "bundles to an undo file. Orphans go under the workspace's lost+found node.");
  AddStoreOptions(fix_cmd, &fix);
  fix_cmd->add_flag("-n,--dry-run", fix.dry_run, "print what would be done; write nothing");
  fix_cmd->add_option("--lost-found", fix.lost_found,
                      "uuid of an existing nt:unstructured node that receives orphans "
                      "(overrides check.<ws>.lostnfound)");
  fix_cmd->add_option("--undo-file", fix.undo_file,
                      "where to save the undo file (default: beside the store, named with the "
                      "time)");

  UndoOptions undo;
  CLI::App* undo_cmd = app.add_subcommand(
      "undo", "Put back the bundles a fix rewrote, from its undo file, in one transaction.");
  undo_cmd->add_option("file", undo.file, "the undo file that fix wrote")->required();
  undo_cmd->add_flag("--force", undo.force, "restore even bundles that changed since the fix");

  CopyOptions copy;
  CLI::App* copy_cmd = app.add_subcommand(
      "copy",
      "Copy every bundle table of a store into a new, empty store (any backend to "
      "any backend) and verify both sides: take a copy to check and fix first.");
  copy_cmd->add_option("source", copy.source, "the store to copy, e.g. sqlite:repo.db")->required();
  copy_cmd->add_option("destination", copy.destination, "an empty store, e.g. lmdb:copy.lmdb")
      ->required();

  app.add_subcommand("props", "Print a commented sample checker.properties.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitClean : kExitUsage;
  }
  if (check_cmd->parsed()) return Run(check, Mode::kCheck);
  if (fix_cmd->parsed()) return Run(fix, fix.dry_run ? Mode::kDryRun : Mode::kFix);
  if (undo_cmd->parsed()) return RunUndo(undo);
  if (copy_cmd->parsed()) return RunCopy(copy);
  std::cout << SamplePropertiesText();
  return kExitClean;
}
