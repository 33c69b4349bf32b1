// The command line: the only place that knows about argv, exit codes and
// messages on stderr. Everything below it returns Status values; this file
// turns them into one line on stderr and an fsck-style exit status.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>

#include "checker/config.h"
#include "checker/exit_code.h"
#include "checker/full_check.h"
#include "checker/report.h"
#include "storage/bundle_store.h"

namespace checker {
namespace {

constexpr char kDefaultConfigFile[] = "checker.properties";

// Options shared by the commands that read a repository.
struct StoreOptions {
  std::string config_path;
  std::string url;
  std::vector<std::string> workspaces;
  std::string format = "text";
};

struct CheckOptions {
  StoreOptions store;
  std::vector<std::string> uuids;
  bool recursive = false;
};

int Fail(int code, const std::string& message) {
  std::cerr << "checker: " << message << "\n";
  return code;
}

int FailStatus(const Status& status) { return Fail(kExitOperational, status.message()); }

void AddStoreOptions(CLI::App* command, StoreOptions* options) {
  command->add_option("-c,--config", options->config_path,
                      "checker.properties to read (default: ./checker.properties if it "
                      "exists)");
  command->add_option("--url", options->url, "the store, overriding storage.url: sqlite:<file>");
  command->add_option("-w,--workspace", options->workspaces,
                      "a workspace to check (repeatable), overriding check.workspaces");
  command->add_option("--format", options->format, "output format: text or json")
      ->check(CLI::IsMember({"text", "json"}));
}

// The configuration: the properties file (if any), then the command line.
Result<Config> ResolveConfig(const StoreOptions& options) {
  Config config;
  std::string path = options.config_path;
  if (path.empty() && std::filesystem::exists(kDefaultConfigFile)) path = kDefaultConfigFile;
  if (!path.empty()) {
    Result<Config> loaded = LoadConfigFile(path);
    if (!loaded.ok()) return loaded.status();
    config = std::move(*loaded);
  } else {
    config.workspaces.push_back({.name = "default", .table_prefix = "DEFAULT_"});
  }
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
  for (const WorkspaceConfig& ws : config.workspaces) {
    if (std::find(tables->begin(), tables->end(), ws.table_prefix) != tables->end()) continue;
    std::string found;
    for (const std::string& t : *tables) found += (found.empty() ? "" : ", ") + t + "BUNDLE";
    return Status::NotFound("workspace '" + ws.name + "': no table " + ws.table_prefix +
                            "BUNDLE in " + store.Describe() +
                            " (bundle tables there: " + (found.empty() ? "none" : found) + ")");
  }
  return Status::Ok();
}

int RunCheck(const CheckOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& text : options.uuids) {
    if (!NodeId::Parse(text)) {
      return Fail(kExitUsage, "'" + text + "' is not a node id (expected 8-4-4-4-12 hex digits)");
    }
  }
  if (!options.uuids.empty()) {
    return Fail(kExitUsage, "checking given node ids is not available yet: run a full check");
  }
  Result<Config> config = ResolveConfig(options.store);
  if (!config.ok()) return FailStatus(config.status());
  if (config->storage_url.empty()) {
    return Fail(kExitUsage,
                "no store given: pass --url sqlite:<file>, or -c <checker.properties> with "
                "storage.url");
  }
  Result<std::unique_ptr<BundleStore>> store = OpenStore(config->storage_url, OpenMode::kReadOnly);
  if (!store.ok()) return FailStatus(store.status());
  if (Status s = VerifyTables(**store, *config); !s.ok()) return FailStatus(s);

  auto format = options.store.format == "json" ? ReportFormat::kJson : ReportFormat::kText;
  std::unique_ptr<ReportSink> sink = MakeReportSink(format, std::cout);
  RunSummary summary;
  for (const WorkspaceConfig& ws : config->workspaces) {
    Result<WorkspaceCheck> check = CheckWorkspace(**store, ws.name, ws.table_prefix);
    if (!check.ok()) return FailStatus(check.status());
    for (const Finding& f : check->findings) {
      sink->OnFinding({.finding = &f,
                       .workspace = ws.name,
                       .repaired = false,
                       .repair = std::string(Problem(f.kind).fix)});
      ++summary.findings[static_cast<size_t>(f.kind)];
    }
    summary.workspaces.push_back({ws.name, check->nodes});
    summary.dropped += check->dropped.size();
  }
  summary.exit_code = summary.total_findings() > 0 ? kExitRemaining : kExitClean;
  summary.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - start)
                           .count();
  sink->OnSummary(summary);
  std::cout.flush();
  return summary.exit_code;
}

int RunProps() {
  std::cout << SamplePropertiesText();
  return kExitClean;
}

constexpr char kFooter[] = R"(
Exit status (fsck convention, bits may be ORed):
  0  no inconsistencies           1  found, and all repaired
  4  inconsistencies remain       8  operational error (store, config, lock, I/O)
  16 usage error                  32 interrupted (the transaction was rolled back)

Examples:
  checker props > checker.properties        write a commented configuration
  checker check -c checker.properties       full read-only check of every workspace
  checker check --url sqlite:repo.db --format json > report.jsonl)";

}  // namespace
}  // namespace checker

int main(int argc, char** argv) {
  using namespace checker;
  CLI::App app{
      "checker: consistency checker for Jackrabbit bundle stores (parent ids against child "
      "entries)."};
  app.footer(kFooter);
  app.require_subcommand(1);

  CheckOptions check;
  CLI::App* check_cmd = app.add_subcommand(
      "check", "Read-only check: report orphaned, abandoned, missing and disconnected nodes.");
  AddStoreOptions(check_cmd, &check.store);
  check_cmd->add_option("uuids", check.uuids, "node ids to check instead of the whole store");
  check_cmd->add_flag("--recursive", check.recursive, "with node ids: their subtrees too");

  app.add_subcommand("props", "Print a commented sample checker.properties.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitClean : kExitUsage;
  }
  if (check_cmd->parsed()) return RunCheck(check);
  return RunProps();
}
