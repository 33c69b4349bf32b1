// How it works: ConfigReader first sorts the entries by the key they set (an
// unknown key fails at once), then reads the keys that decide which
// workspaces exist (check.workspaces, check.history) before the keys that
// name a workspace, fills in derived table prefixes, and finally checks that
// no two workspaces share a table. Every error is built by ErrorAt, which puts
// "<source>:<line>: " in front, so the user can go straight to the line.
#include "checker/config.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <map>
#include <system_error>
#include <utility>

#include "storage/table_name.h"

namespace checker {
namespace {

constexpr std::string_view kStorageUrlKey = "storage.url";
constexpr std::string_view kWorkspacesKey = "check.workspaces";
constexpr std::string_view kHistoryKey = "check.history";
constexpr std::string_view kReferencesKey = "check.references";
constexpr std::string_view kPrefixKeyStart = "storage.prefix.";
constexpr std::string_view kLostFoundKeyStart = "check.";
constexpr std::string_view kLostFoundKeyEnd = ".lostnfound";
constexpr std::string_view kKnownKeys =
    "storage.url, check.workspaces, storage.prefix.<workspace>, check.history, "
    "check.references, check.<workspace>.lostnfound";
constexpr std::string_view kDefaultWorkspaces = "default";
constexpr std::string_view kUrlForms =
    "sqlite:<file>, lmdb:<dir> or postgresql://<host>/<database>";
constexpr std::string_view kUuidExample = "01234567-89ab-cdef-0123-456789abcdef";

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\f\r\n\v";
  size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(kSpace) + 1 - begin);
}

char ToUpperAscii(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, {}, ToUpperAscii, ToUpperAscii);
}

// The characters Jackrabbit keeps in an upper-cased schemaObjectPrefix.
bool IsJackrabbitPrefixChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// The entries of a file, sorted by what they set.
struct SortedEntries {
  const PropertiesEntry* storage_url = nullptr;
  const PropertiesEntry* workspaces = nullptr;
  const PropertiesEntry* history = nullptr;
  const PropertiesEntry* references = nullptr;
  // (workspace, entry) of storage.prefix.<ws> and check.<ws>.lostnfound.
  std::vector<std::pair<std::string, const PropertiesEntry*>> prefixes;
  std::vector<std::pair<std::string, const PropertiesEntry*>> lost_founds;
};

class ConfigReader {
 public:
  ConfigReader(std::string base_dir, std::string source)
      : base_dir_(std::move(base_dir)), source_(std::move(source)) {
    config_.source = source_;
    config_.version_workspace.name = kVersionWorkspaceName;
    config_.version_workspace.table_prefix = *DefaultTablePrefix(kVersionWorkspaceName);
  }

  Result<Config> Read(const std::vector<PropertiesEntry>& entries) {
    SortedEntries sorted;
    CHECKER_RETURN_IF_ERROR(Sort(entries, &sorted));
    if (sorted.storage_url == nullptr) {
      return ErrorAt(nullptr, "storage.url is missing: set it to " + std::string(kUrlForms));
    }
    CHECKER_RETURN_IF_ERROR(ReadStorageUrl(*sorted.storage_url));
    CHECKER_RETURN_IF_ERROR(ReadBool(sorted.history, &config_.check_history));
    CHECKER_RETURN_IF_ERROR(ReadBool(sorted.references, &config_.check_references));
    workspaces_entry_ = sorted.workspaces;
    CHECKER_RETURN_IF_ERROR(ReadWorkspaceNames());
    for (const auto& [workspace, entry] : sorted.prefixes) {
      CHECKER_RETURN_IF_ERROR(ReadPrefix(workspace, *entry));
    }
    for (const auto& [workspace, entry] : sorted.lost_founds) {
      CHECKER_RETURN_IF_ERROR(ReadLostFound(workspace, *entry));
    }
    CHECKER_RETURN_IF_ERROR(FillDerivedPrefixes());
    CHECKER_RETURN_IF_ERROR(CheckTablesDistinct());
    return std::move(config_);
  }

 private:
  // "<source>:<line>: <message>", or "<source>: <message>" without an entry.
  Status ErrorAt(const PropertiesEntry* entry, std::string_view message) const {
    std::string where = source_;
    if (entry != nullptr) where += ":" + std::to_string(entry->line);
    return Status::InvalidArgument(where + ": " + std::string(message));
  }

  Status KeyError(const PropertiesEntry& entry, std::string_view message) const {
    return ErrorAt(&entry, entry.key + ": " + std::string(message));
  }

  // An error about check.workspaces, given or (without an entry) defaulted.
  Status WorkspacesError(std::string_view message) const {
    return ErrorAt(workspaces_entry_, std::string(kWorkspacesKey) + ": " + std::string(message));
  }

  Status Sort(const std::vector<PropertiesEntry>& entries, SortedEntries* sorted) const {
    for (const PropertiesEntry& entry : entries) {
      std::string_view key = entry.key;
      if (key == kStorageUrlKey) {
        sorted->storage_url = &entry;
      } else if (key == kWorkspacesKey) {
        sorted->workspaces = &entry;
      } else if (key == kHistoryKey) {
        sorted->history = &entry;
      } else if (key == kReferencesKey) {
        sorted->references = &entry;
      } else if (key.starts_with(kPrefixKeyStart) && key.size() > kPrefixKeyStart.size()) {
        sorted->prefixes.emplace_back(key.substr(kPrefixKeyStart.size()), &entry);
      } else if (key.starts_with(kLostFoundKeyStart) && key.ends_with(kLostFoundKeyEnd) &&
                 key.size() > kLostFoundKeyStart.size() + kLostFoundKeyEnd.size()) {
        size_t name_size = key.size() - kLostFoundKeyStart.size() - kLostFoundKeyEnd.size();
        sorted->lost_founds.emplace_back(key.substr(kLostFoundKeyStart.size(), name_size), &entry);
      } else {
        return UnknownKey(entry);
      }
    }
    return Status::Ok();
  }

  Status UnknownKey(const PropertiesEntry& entry) const {
    std::string message =
        "unknown key " + Quoted(entry.key) + "; the known keys are " + std::string(kKnownKeys);
    // The Hippo checker's own key; a user coming from it gets told why.
    if (entry.key == "rep.config") {
      message +=
          " (this checker reads the bundle tables itself, without a repository.xml: "
          "set storage.url instead)";
    }
    return ErrorAt(&entry, message);
  }

  // Keeps the scheme; a relative file or directory is taken as relative to
  // the properties file, which is where a user looks for it.
  Status ReadStorageUrl(const PropertiesEntry& entry) {
    std::string_view url = Trim(entry.value);
    if (url.starts_with("postgresql://")) {
      config_.storage_url = url;
      return Status::Ok();
    }
    for (std::string_view scheme : {"sqlite:", "lmdb:"}) {
      if (!url.starts_with(scheme)) continue;
      std::filesystem::path path(url.substr(scheme.size()));
      if (path.empty()) {
        return KeyError(entry, Quoted(url) + " names no " +
                                   (scheme == "sqlite:" ? "file: expected sqlite:<file>"
                                                        : "directory: expected lmdb:<dir>"));
      }
      if (path.is_relative()) path = std::filesystem::path(base_dir_) / path;
      config_.storage_url = std::string(scheme) + path.string();
      return Status::Ok();
    }
    return KeyError(entry,
                    "unsupported url " + Quoted(url) + ": expected " + std::string(kUrlForms));
  }

  Status ReadBool(const PropertiesEntry* entry, bool* value) const {
    if (entry == nullptr) return Status::Ok();
    std::string_view text = Trim(entry->value);
    if (EqualsIgnoreCase(text, "true")) {
      *value = true;
    } else if (EqualsIgnoreCase(text, "false")) {
      *value = false;
    } else {
      return KeyError(*entry, "expected true or false, got " + Quoted(text));
    }
    return Status::Ok();
  }

  Status ReadWorkspaceNames() {
    std::string_view list = workspaces_entry_ ? Trim(workspaces_entry_->value) : kDefaultWorkspaces;
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = std::min(list.find(',', start), list.size());
      std::string_view name = Trim(list.substr(start, comma - start));
      start = comma + 1;
      if (name.empty()) {
        return WorkspacesError("empty workspace name in " + Quoted(list) +
                               ": expected names separated by commas, e.g. default,live");
      }
      if (name == kVersionWorkspaceName) {
        return WorkspacesError(
            "'version' is the version storage, not a workspace: it is checked when "
            "check.history = true");
      }
      if (FindListed(name) != nullptr) {
        return WorkspacesError("workspace " + Quoted(name) + " is listed twice");
      }
      config_.workspaces.emplace_back().name = name;
    }
    return Status::Ok();
  }

  WorkspaceConfig* FindListed(std::string_view name) {
    auto it = std::ranges::find(config_.workspaces, name, &WorkspaceConfig::name);
    return it == config_.workspaces.end() ? nullptr : &*it;
  }

  // The workspace a storage.prefix.<ws> or check.<ws>.lostnfound entry names.
  Result<WorkspaceConfig*> NamedWorkspace(std::string_view name, const PropertiesEntry& entry) {
    if (name == kVersionWorkspaceName) {
      if (config_.check_history) return &config_.version_workspace;
      return KeyError(entry,
                      "the version storage is only checked when check.history = true: set it, "
                      "or remove this key");
    }
    if (WorkspaceConfig* workspace = FindListed(name)) return workspace;
    std::string listed;
    for (const WorkspaceConfig& workspace : config_.workspaces) {
      listed += (listed.empty() ? "" : ", ") + workspace.name;
    }
    return KeyError(entry,
                    "workspace " + Quoted(name) + " is not in check.workspaces (" + listed + ")");
  }

  Status ReadPrefix(std::string_view name, const PropertiesEntry& entry) {
    Result<WorkspaceConfig*> workspace = NamedWorkspace(name, entry);
    if (!workspace.ok()) return workspace.status();
    std::string_view prefix = Trim(entry.value);
    Status valid = ValidatePrefix(prefix);
    if (!valid.ok()) return KeyError(entry, valid.message());
    (*workspace)->table_prefix = prefix;
    prefix_entries_[(*workspace)->name] = &entry;
    return Status::Ok();
  }

  Status ReadLostFound(std::string_view name, const PropertiesEntry& entry) {
    Result<WorkspaceConfig*> workspace = NamedWorkspace(name, entry);
    if (!workspace.ok()) return workspace.status();
    std::string_view text = Trim(entry.value);
    std::optional<NodeId> id = NodeId::Parse(text);
    if (!id) {
      return KeyError(entry, Quoted(text) +
                                 " is not a uuid: expected 8-4-4-4-12 hex digits, e.g. " +
                                 std::string(kUuidExample));
    }
    (*workspace)->lost_found = *id;
    (*workspace)->lost_found_origin = source_ + ":" + std::to_string(entry.line);
    return Status::Ok();
  }

  Status FillDerivedPrefixes() {
    for (WorkspaceConfig& workspace : config_.workspaces) {
      if (prefix_entries_.contains(workspace.name)) continue;
      Result<std::string> prefix = DefaultTablePrefix(workspace.name);
      if (!prefix.ok()) return WorkspacesError(prefix.status().message());
      workspace.table_prefix = std::move(prefix).value();
    }
    return Status::Ok();
  }

  // Where a workspace's prefix comes from: its storage.prefix entry, else
  // check.workspaces (null for the version storage's default, and for the
  // default workspace list).
  const PropertiesEntry* PrefixOrigin(const WorkspaceConfig& workspace) const {
    auto it = prefix_entries_.find(workspace.name);
    if (it != prefix_entries_.end()) return it->second;
    return &workspace == &config_.version_workspace ? nullptr : workspaces_entry_;
  }

  static std::string Describe(const WorkspaceConfig& workspace) {
    if (workspace.name == kVersionWorkspaceName) return "the version storage";
    return "workspace " + Quoted(workspace.name);
  }

  // SQL table names are case-insensitive, so prefixes are compared that way.
  Status CheckTablesDistinct() const {
    std::map<std::string, const WorkspaceConfig*> by_table;
    auto claim = [&](const WorkspaceConfig& workspace) -> Status {
      std::string table = BundleTableName(workspace.table_prefix);
      std::ranges::transform(table, table.begin(), ToUpperAscii);
      auto [it, inserted] = by_table.emplace(table, &workspace);
      if (inserted) return Status::Ok();
      const PropertiesEntry* origin = PrefixOrigin(workspace);
      if (origin == nullptr) origin = PrefixOrigin(*it->second);
      return ErrorAt(origin, Describe(*it->second) + " and " + Describe(workspace) +
                                 " would share the table " +
                                 BundleTableName(workspace.table_prefix) +
                                 ": give each its own prefix with "
                                 "storage.prefix.<workspace>");
    };
    for (const WorkspaceConfig& workspace : config_.workspaces) {
      CHECKER_RETURN_IF_ERROR(claim(workspace));
    }
    return claim(config_.version_workspace);
  }

  std::string base_dir_;
  std::string source_;
  Config config_;
  const PropertiesEntry* workspaces_entry_ = nullptr;
  std::map<std::string, const PropertiesEntry*> prefix_entries_;  // by workspace name
};

Status CannotRead(const std::string& path, int error) {
  std::string message = "cannot read " + path + ": " + std::system_category().message(error);
  return error == ENOENT ? Status::NotFound(message) : Status::IOError(message);
}

Result<std::string> ReadFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return CannotRead(path, errno);
  std::string text;
  char buffer[8192];
  size_t count;
  while ((count = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, count);
  int error = std::ferror(file) ? errno : 0;
  std::fclose(file);
  if (error != 0) return CannotRead(path, error);
  return text;
}

}  // namespace

Result<Config> LoadConfigFile(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  Result<std::vector<PropertiesEntry>> entries = ParseProperties(*text, path);
  if (!entries.ok()) return entries.status();
  return ConfigFromProperties(*entries, std::filesystem::path(path).parent_path().string(), path);
}

Result<Config> ConfigFromProperties(const std::vector<PropertiesEntry>& entries,
                                    const std::string& base_dir, const std::string& source_name) {
  return ConfigReader(base_dir, source_name).Read(entries);
}

Result<std::string> DefaultTablePrefix(std::string_view workspace) {
  if (workspace.empty()) return Status::InvalidArgument("a workspace name must not be empty");
  std::string prefix;
  for (char c : workspace) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) {
      return Status::InvalidArgument("cannot derive a table prefix from the non-ASCII name " +
                                     Quoted(workspace) + ": set storage.prefix." +
                                     std::string(workspace));
    }
    char upper = ToUpperAscii(c);
    if (IsJackrabbitPrefixChar(upper)) {
      prefix += upper;
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "_x%04x_", byte);
      prefix += escaped;
    }
  }
  return prefix + "_";
}

std::string SamplePropertiesText() {
  // Lines "#key = value" are settings to uncomment; "# " lines explain.
  return R"(# checker.properties: what `checker` checks and where the store is.
#
# Java .properties syntax: '#' or '!' starts a comment line; "key = value"
# or "key: value"; a backslash at the end of a line continues it; \uXXXX
# escapes. Each key may be given once. An unknown key is an error, never
# ignored. Command-line flags override what is set here.

# The store holding the <PREFIX>BUNDLE tables (required), one of:
#   sqlite:<file>         a SQLite database file
#   lmdb:<dir>            an LMDB environment directory
#   postgresql://<host>/<database>   (planned)
# A relative file or directory is taken relative to the folder of this file.
storage.url = sqlite:repository.db

# The workspaces to check, separated by commas (default: default).
#check.workspaces = default

# storage.prefix.<ws>: the table prefix of workspace <ws>, whose bundles are
# in <prefix>BUNDLE.
# Default: the name upper-cased plus '_', as Jackrabbit turns its
# schemaObjectPrefix "${wsp.name}_" into table names (DEFAULT_BUNDLE).
# Letters, digits and '_' only.
#storage.prefix.default = DEFAULT_

# Also check the version storage (table prefix VERSION_) and that the version
# history of every versionable node exists (default: false). The keys
# storage.prefix.version and check.version.lostnfound need it.
#check.history = true
#storage.prefix.version = VERSION_

# Also check that every REFERENCE property points to an existing node
# (default: false).
#check.references = true

# check.<ws>.lostnfound: the uuid of the lost+found node of workspace <ws>,
# an existing nt:unstructured node under which `checker fix` re-attaches
# orphaned nodes, each named by its uuid. Without one, orphans are reported
# but not fixed.
#check.default.lostnfound = 01234567-89ab-cdef-0123-456789abcdef
#check.version.lostnfound = 01234567-89ab-cdef-0123-456789abcdef
)";
}

}  // namespace checker
