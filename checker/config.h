// The checker's configuration, read from checker.properties.
//
// Keys (see DESIGN.md, "Configuration", and SamplePropertiesText()):
//   storage.url                  required: sqlite:<file>, lmdb:<dir> or
//                                postgresql://...; a relative file or dir is
//                                resolved against the properties file's folder
//   check.workspaces             comma-separated names, default "default"
//   storage.prefix.<ws>          table prefix of <ws>, as written ([A-Za-z0-9_],
//                                may be empty); default: derived from the name
//                                (DefaultTablePrefix)
//   check.history                true/false (any case), default false
//   check.references             true/false (any case), default false
//   check.<ws>.lostnfound        uuid of <ws>'s lost+found node, default none
// With check.history = true the version storage is checked too, as the
// workspace "version" (prefix VERSION_); only then are
// storage.prefix.version and check.version.lostnfound accepted.
//
// Nothing is silently ignored: an unknown key, a key naming a workspace that
// is not checked, a malformed value, a key given twice, an empty or repeated
// workspace name, "version" in check.workspaces, and two workspaces (or one
// and the version storage) sharing a table (compared case-insensitively, as
// SQL does) are errors. Values are taken without surrounding blanks.
//
// Every error is a Status whose message starts with "<source>:<line>: " (or
// "<source>: " when no line applies) and says what is expected. A problem in
// the file is InvalidArgument; a file that cannot be read is NotFound (it does
// not exist) or IOError. The command line maps both to exit status 8.
#ifndef CHECKER_CHECKER_CONFIG_H_
#define CHECKER_CHECKER_CONFIG_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checker/properties.h"
#include "model/node_id.h"
#include "model/status.h"

namespace checker {

// Every member has a default initializer, so that designated initializers
// ({.name = "default", .table_prefix = "DEFAULT_"}) need not list them all.
struct WorkspaceConfig {
  std::string name = {};
  std::string table_prefix = {};  // the table is <table_prefix>BUNDLE
  std::optional<NodeId> lost_found = {};
  // "<source>:<line>" of the check.<ws>.lostnfound entry, for messages about
  // that node (e.g. it does not exist); empty when lost_found is not set.
  std::string lost_found_origin = {};
};

struct Config {
  // "sqlite:<path>" or "lmdb:<path>" with a path that is absolute or relative
  // to the working directory, or "postgresql://..." as written.
  std::string storage_url;
  std::vector<WorkspaceConfig> workspaces;  // in the order of check.workspaces
  bool check_history = false;
  bool check_references = false;
  // The version storage; checked only when check_history. Always filled in
  // (name "version", prefix VERSION_ unless overridden), so that a command
  // line flag can turn history checks on.
  WorkspaceConfig version_workspace;
  std::string source;  // the properties file's path, for messages
};

inline constexpr std::string_view kVersionWorkspaceName = "version";

// Reads and checks the properties file at `path`; relative paths in it are
// resolved against the file's folder.
Result<Config> LoadConfigFile(const std::string& path);

// Builds a Config from parsed entries; relative storage paths are resolved
// against `base_dir` (left relative if it is empty). Messages name
// `source_name`. REQUIRES: no key occurs twice (ParseProperties ensures it).
Result<Config> ConfigFromProperties(const std::vector<PropertiesEntry>& entries,
                                    const std::string& base_dir, const std::string& source_name);

// The table prefix Jackrabbit derives from a workspace's schemaObjectPrefix
// "${wsp.name}_": upper-cased, with characters other than [A-Z0-9_] written
// as _xhhhh_ (Jackrabbit's escaping when the database allows no extra
// characters in names), e.g. "default" -> "DEFAULT_", "my-ws" -> "MY_x002d_WS_".
// InvalidArgument for a name that is empty or not ASCII (Java's upper-casing
// of other characters is not reproduced: such a workspace needs an explicit
// storage.prefix.<ws>).
Result<std::string> DefaultTablePrefix(std::string_view workspace);

// A commented checker.properties (what `checker props` prints): every key,
// its meaning and its default. It parses as a valid configuration.
std::string SamplePropertiesText();

}  // namespace checker

#endif  // CHECKER_CHECKER_CONFIG_H_
