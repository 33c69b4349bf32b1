#include "checker/config.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace checker {
namespace {

constexpr char kSource[] = "checker.properties";
constexpr char kBaseDir[] = "/etc/checker";
constexpr char kUrl[] = "storage.url = sqlite:repo.db\n";
constexpr char kUuid[] = "0123abcd-0000-4000-8000-00000000000f";

Result<Config> FromText(std::string_view text, const std::string& base_dir = kBaseDir) {
  Result<std::vector<PropertiesEntry>> entries = ParseProperties(text, kSource);
  REQUIRE_MESSAGE(entries.ok(), entries.status().message());
  return ConfigFromProperties(*entries, base_dir, kSource);
}

Config Load(std::string_view text, const std::string& base_dir = kBaseDir) {
  Result<Config> config = FromText(text, base_dir);
  REQUIRE_MESSAGE(config.ok(), config.status().message());
  return *config;
}

std::string LoadError(std::string_view text) {
  Result<Config> config = FromText(text);
  REQUIRE_FALSE(config.ok());
  CHECK(config.status().IsInvalidArgument());
  return config.status().message();
}

void WriteFile(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

std::vector<std::string> Names(const Config& config) {
  std::vector<std::string> names;
  for (const WorkspaceConfig& workspace : config.workspaces) names.push_back(workspace.name);
  return names;
}

TEST_CASE("config: storage.url alone gives the defaults") {
  Config config = Load(kUrl);
  CHECK(config.storage_url == "sqlite:/etc/checker/repo.db");
  REQUIRE(config.workspaces.size() == 1);
  CHECK(config.workspaces[0].name == "default");
  CHECK(config.workspaces[0].table_prefix == "DEFAULT_");
  CHECK_FALSE(config.workspaces[0].lost_found.has_value());
  CHECK(config.workspaces[0].lost_found_origin.empty());
  CHECK_FALSE(config.check_history);
  CHECK_FALSE(config.check_references);
  CHECK(config.version_workspace.name == "version");
  CHECK(config.version_workspace.table_prefix == "VERSION_");
  CHECK_FALSE(config.version_workspace.lost_found.has_value());
  CHECK(config.source == kSource);
}

TEST_CASE("config: storage paths are relative to the properties file's folder") {
  CHECK(Load("storage.url = sqlite:data/repo.db").storage_url ==
        "sqlite:/etc/checker/data/repo.db");
  CHECK(Load("storage.url = sqlite:../repo.db").storage_url == "sqlite:/etc/checker/../repo.db");
  CHECK(Load("storage.url = sqlite:/var/repo.db").storage_url == "sqlite:/var/repo.db");
  CHECK(Load("storage.url = lmdb:store").storage_url == "lmdb:/etc/checker/store");
  CHECK(Load("storage.url = lmdb:/srv/store/").storage_url == "lmdb:/srv/store/");
  // A file in the working directory has no folder: the path stays relative.
  CHECK(Load("storage.url = sqlite:repo.db", "").storage_url == "sqlite:repo.db");
  CHECK(Load("storage.url = sqlite:repo.db", "conf").storage_url == "sqlite:conf/repo.db");
  // Surrounding blanks are not part of the value.
  CHECK(Load("storage.url =   sqlite:repo.db  \t").storage_url == "sqlite:/etc/checker/repo.db");
}

TEST_CASE("config: a postgresql url is kept as written") {
  CHECK(Load("storage.url = postgresql://db.example.com:5432/jcr?user=checker").storage_url ==
        "postgresql://db.example.com:5432/jcr?user=checker");
}

TEST_CASE("config: storage.url must be given and well-formed") {
  CHECK(LoadError("check.history = true\n") ==
        "checker.properties: storage.url is missing: set it to sqlite:<file>, lmdb:<dir> or "
        "postgresql://<host>/<database>");
  CHECK(LoadError("# x\nstorage.url = mysql://db/jcr\n") ==
        "checker.properties:2: storage.url: unsupported url 'mysql://db/jcr': expected "
        "sqlite:<file>, lmdb:<dir> or postgresql://<host>/<database>");
  CHECK(LoadError("storage.url = repo.db") ==
        "checker.properties:1: storage.url: unsupported url 'repo.db': expected "
        "sqlite:<file>, lmdb:<dir> or postgresql://<host>/<database>");
  CHECK(LoadError("storage.url =") ==
        "checker.properties:1: storage.url: unsupported url '': expected "
        "sqlite:<file>, lmdb:<dir> or postgresql://<host>/<database>");
  CHECK(LoadError("storage.url = sqlite:") ==
        "checker.properties:1: storage.url: 'sqlite:' names no file: expected sqlite:<file>");
  CHECK(LoadError("storage.url = lmdb:  ") ==
        "checker.properties:1: storage.url: 'lmdb:' names no directory: expected lmdb:<dir>");
}

TEST_CASE("config: check.workspaces is a trimmed, comma-separated list") {
  Config config = Load(std::string(kUrl) + "check.workspaces =  default , live,preview2  ");
  CHECK(Names(config) == std::vector<std::string>{"default", "live", "preview2"});
  CHECK(config.workspaces[1].table_prefix == "LIVE_");
  CHECK(config.workspaces[2].table_prefix == "PREVIEW2_");
  CHECK(Names(Load(std::string(kUrl) + "check.workspaces = live")) ==
        std::vector<std::string>{"live"});
}

TEST_CASE("config: empty, repeated or reserved workspace names are errors") {
  CHECK(LoadError(std::string(kUrl) + "check.workspaces = default,,live") ==
        "checker.properties:2: check.workspaces: empty workspace name in 'default,,live': "
        "expected names separated by commas, e.g. default,live");
  CHECK(LoadError(std::string(kUrl) + "check.workspaces = default,") ==
        "checker.properties:2: check.workspaces: empty workspace name in 'default,': "
        "expected names separated by commas, e.g. default,live");
  CHECK(LoadError(std::string(kUrl) + "check.workspaces =") ==
        "checker.properties:2: check.workspaces: empty workspace name in '': "
        "expected names separated by commas, e.g. default,live");
  CHECK(LoadError(std::string(kUrl) + "check.workspaces = live, default, live") ==
        "checker.properties:2: check.workspaces: workspace 'live' is listed twice");
  CHECK(LoadError(std::string(kUrl) + "check.workspaces = default, version") ==
        "checker.properties:2: check.workspaces: 'version' is the version storage, not a "
        "workspace: it is checked when check.history = true");
}

TEST_CASE("config: the default table prefix is Jackrabbit's escaped, upper-cased name") {
  CHECK(*DefaultTablePrefix("default") == "DEFAULT_");
  CHECK(*DefaultTablePrefix("Live2") == "LIVE2_");
  CHECK(*DefaultTablePrefix("my_ws") == "MY_WS_");
  CHECK(*DefaultTablePrefix("my-ws") == "MY_x002d_WS_");
  CHECK(*DefaultTablePrefix("a b.c") == "A_x0020_B_x002e_C_");
  CHECK(DefaultTablePrefix("").status().IsInvalidArgument());
  Result<std::string> non_ascii = DefaultTablePrefix("w\xC3\xB6rk");
  REQUIRE_FALSE(non_ascii.ok());
  CHECK(non_ascii.status().message() ==
        "cannot derive a table prefix from the non-ASCII name 'w\xC3\xB6rk': set "
        "storage.prefix.w\xC3\xB6rk");
}

TEST_CASE("config: a non-ASCII workspace needs an explicit prefix") {
  std::string listed = std::string(kUrl) + "check.workspaces = w\xC3\xB6rk\n";
  CHECK(LoadError(listed) ==
        "checker.properties:2: check.workspaces: cannot derive a table prefix from the "
        "non-ASCII name 'w\xC3\xB6rk': set storage.prefix.w\xC3\xB6rk");
  // Written as the escape a Java tool would write, too.
  Config config = Load(listed + "storage.prefix.w\\u00f6rk = WORK_");
  CHECK(config.workspaces[0].table_prefix == "WORK_");
}

TEST_CASE("config: storage.prefix.<ws> overrides the table prefix") {
  Config config = Load(std::string(kUrl) +
                       "check.workspaces = default, live, staging\n"
                       "storage.prefix.live = live_\n"
                       "storage.prefix.staging =\n");
  CHECK(config.workspaces[0].table_prefix == "DEFAULT_");
  CHECK(config.workspaces[1].table_prefix == "live_");
  CHECK(config.workspaces[2].table_prefix == "");  // Jackrabbit's own default
  // Names with dots work: the workspace is what is between the key's parts.
  CHECK(Load(std::string(kUrl) + "check.workspaces = a.b\nstorage.prefix.a.b = AB_")
            .workspaces[0]
            .table_prefix == "AB_");
}

TEST_CASE("config: a prefix holds only letters, digits and '_'") {
  CHECK(LoadError(std::string(kUrl) + "storage.prefix.default = DEF-AULT_") ==
        "checker.properties:2: storage.prefix.default: invalid table prefix 'DEF-AULT_': only "
        "letters, digits and '_' are allowed, found '-'");
  CHECK(LoadError(std::string(kUrl) + "storage.prefix.default = X;DROP TABLE")
            .starts_with("checker.properties:2: storage.prefix.default: invalid table prefix"));
}

TEST_CASE("config: a key naming a workspace that is not checked is an error") {
  CHECK(LoadError(std::string(kUrl) + "check.foo.lostnfound = " + kUuid) ==
        "checker.properties:2: check.foo.lostnfound: workspace 'foo' is not in "
        "check.workspaces (default)");
  CHECK(LoadError(std::string(kUrl) + "check.workspaces = live, preview\n" +
                  "storage.prefix.default = DEFAULT_") ==
        "checker.properties:3: storage.prefix.default: workspace 'default' is not in "
        "check.workspaces (live, preview)");
}

TEST_CASE("config: two workspaces may not share a table") {
  CHECK(LoadError(std::string(kUrl) + "check.workspaces = live, Live") ==
        "checker.properties:2: workspace 'live' and workspace 'Live' would share the table "
        "LIVE_BUNDLE: give each its own prefix with storage.prefix.<workspace>");
  CHECK(LoadError(std::string(kUrl) + "check.workspaces = default, live\n"
                                      "# comment\n"
                                      "storage.prefix.live = default_\n") ==
        "checker.properties:4: workspace 'default' and workspace 'live' would share the table "
        "default_BUNDLE: give each its own prefix with storage.prefix.<workspace>");
  CHECK(LoadError(std::string(kUrl) + "storage.prefix.default = VERSION_") ==
        "checker.properties:2: workspace 'default' and the version storage would share the "
        "table VERSION_BUNDLE: give each its own prefix with storage.prefix.<workspace>");
  CHECK(LoadError(std::string(kUrl) + "check.history = true\nstorage.prefix.version = DEFAULT_")
            .starts_with("checker.properties:3: workspace 'default' and the version storage "
                         "would share the table DEFAULT_BUNDLE"));
}

TEST_CASE("config: check.history and check.references take true or false in any case") {
  Config config = Load(std::string(kUrl) + "check.history = TRUE\ncheck.references = True  ");
  CHECK(config.check_history);
  CHECK(config.check_references);
  config = Load(std::string(kUrl) + "check.history = false\ncheck.references = fAlSe");
  CHECK_FALSE(config.check_history);
  CHECK_FALSE(config.check_references);
}

TEST_CASE("config: any other boolean is an error") {
  CHECK(LoadError(std::string(kUrl) + "check.history = yes") ==
        "checker.properties:2: check.history: expected true or false, got 'yes'");
  CHECK(LoadError(std::string(kUrl) + "\n\ncheck.references = 1") ==
        "checker.properties:4: check.references: expected true or false, got '1'");
  CHECK(LoadError(std::string(kUrl) + "check.references =") ==
        "checker.properties:2: check.references: expected true or false, got ''");
}

TEST_CASE("config: check.<ws>.lostnfound sets a lost+found node and where it was set") {
  Config config = Load(std::string(kUrl) +
                       "check.workspaces = default, live\n"
                       "check.live.lostnfound = 0123ABCD-0000-4000-8000-00000000000F\n");
  CHECK_FALSE(config.workspaces[0].lost_found.has_value());
  REQUIRE(config.workspaces[1].lost_found.has_value());
  CHECK(*config.workspaces[1].lost_found == *NodeId::Parse(kUuid));
  CHECK(config.workspaces[1].lost_found_origin == "checker.properties:3");
}

TEST_CASE("config: a malformed lost+found uuid is an error quoting it") {
  CHECK(LoadError(std::string(kUrl) + "check.default.lostnfound = 0123abcd-0000-4000-8000") ==
        "checker.properties:2: check.default.lostnfound: '0123abcd-0000-4000-8000' is not a "
        "uuid: expected 8-4-4-4-12 hex digits, e.g. 01234567-89ab-cdef-0123-456789abcdef");
  CHECK(LoadError(std::string(kUrl) + "check.default.lostnfound =") ==
        "checker.properties:2: check.default.lostnfound: '' is not a uuid: expected 8-4-4-4-12 "
        "hex digits, e.g. 01234567-89ab-cdef-0123-456789abcdef");
}

TEST_CASE("config: the version storage's keys need check.history = true") {
  std::string version_keys = std::string("storage.prefix.version = JCR_VERSION_\n") +
                             "check.version.lostnfound = " + kUuid + "\n";
  Config config = Load(std::string(kUrl) + version_keys + "check.history = true\n");
  CHECK(config.check_history);
  CHECK(Names(config) == std::vector<std::string>{"default"});  // not a workspace
  CHECK(config.version_workspace.table_prefix == "JCR_VERSION_");
  CHECK(config.version_workspace.lost_found == NodeId::Parse(kUuid));
  CHECK(config.version_workspace.lost_found_origin == "checker.properties:3");

  CHECK(LoadError(std::string(kUrl) + version_keys) ==
        "checker.properties:2: storage.prefix.version: the version storage is only checked "
        "when check.history = true: set it, or remove this key");
  CHECK(
      LoadError(std::string(kUrl) + "check.history = false\ncheck.version.lostnfound = " + kUuid) ==
      "checker.properties:3: check.version.lostnfound: the version storage is only checked "
      "when check.history = true: set it, or remove this key");
}

TEST_CASE("config: an unknown key is an error naming it, its line and the known keys") {
  CHECK(LoadError("storage.url = sqlite:a.db\n\ncheck.histroy = true\n") ==
        "checker.properties:3: unknown key 'check.histroy'; the known keys are storage.url, "
        "check.workspaces, storage.prefix.<workspace>, check.history, check.references, "
        "check.<workspace>.lostnfound");
  for (const char* key : {"storage.prefix.", "check..lostnfound", "check.lostnfound",
                          "check.default.lostfound", "Storage.url", "storage.url.x", ""}) {
    CAPTURE(key);
    std::string message = LoadError(std::string(kUrl) + "\n" + key + "= x\n");
    CHECK(message.starts_with("checker.properties:3: unknown key '" + std::string(key) + "'"));
  }
  // A user coming from the Hippo checker learns what replaces its key.
  CHECK(LoadError(std::string(kUrl) + "rep.config = checker-repository.xml")
            .ends_with("(this checker reads the bundle tables itself, without a "
                       "repository.xml: set storage.url instead)"));
}

TEST_CASE("config: LoadConfigFile resolves paths against the file's folder") {
  testing::TempDir dir;
  std::string path = dir.File("checker.properties");
  WriteFile(path,
            "storage.url = sqlite:repo.db\r\n"
            "check.workspaces = default, live\r\n"
            "check.references = true\r\n");
  Result<Config> config = LoadConfigFile(path);
  REQUIRE_MESSAGE(config.ok(), config.status().message());
  CHECK(config->storage_url == "sqlite:" + dir.path() + "/repo.db");
  CHECK(Names(*config) == std::vector<std::string>{"default", "live"});
  CHECK(config->check_references);
  CHECK(config->source == path);
}

TEST_CASE("config: LoadConfigFile names the file in every error") {
  testing::TempDir dir;
  std::string path = dir.File("checker.properties");
  WriteFile(path, "storage.url = sqlite:repo.db\ncheck.history = maybe\n");
  Result<Config> config = LoadConfigFile(path);
  REQUIRE_FALSE(config.ok());
  CHECK(config.status().IsInvalidArgument());
  CHECK(config.status().message() ==
        path + ":2: check.history: expected true or false, got 'maybe'");

  WriteFile(path, "storage.url = sqlite:repo.db\nstorage.url = sqlite:other.db\n");
  config = LoadConfigFile(path);
  REQUIRE_FALSE(config.ok());
  CHECK(config.status().message() == path +
                                         ":2: key 'storage.url' is given twice, on line 1 and "
                                         "line 2; keep only one of them");

  WriteFile(path, "# nothing set\n");
  config = LoadConfigFile(path);
  REQUIRE_FALSE(config.ok());
  CHECK(config.status().message().starts_with(path + ": storage.url is missing"));
}

TEST_CASE("config: a file that cannot be read is NotFound or IOError") {
  testing::TempDir dir;
  Result<Config> missing = LoadConfigFile(dir.File("absent.properties"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().IsNotFound());
  CHECK(missing.status().message() ==
        "cannot read " + dir.File("absent.properties") + ": No such file or directory");

  Result<Config> folder = LoadConfigFile(dir.path());
  REQUIRE_FALSE(folder.ok());
  CHECK(folder.status().code() == Status::Code::kIOError);
  CHECK(folder.status().message() == "cannot read " + dir.path() + ": Is a directory");
}

TEST_CASE("config: the sample file is a valid configuration") {
  std::string sample = SamplePropertiesText();
  Config config = Load(sample);
  CHECK(config.storage_url == "sqlite:/etc/checker/repository.db");
  CHECK(Names(config) == std::vector<std::string>{"default"});
}

TEST_CASE("config: every setting in the sample is known and valid when uncommented") {
  // Settings are commented out as "#key = value"; explanations as "# text".
  std::istringstream lines(SamplePropertiesText());
  std::string uncommented;
  int settings = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > 1 && line[0] == '#' && line[1] != ' ') {
      line.erase(0, 1);
      ++settings;
    }
    uncommented += line + "\n";
  }
  CHECK(settings == 7);
  Config config = Load(uncommented);
  CHECK(config.check_history);
  CHECK(config.check_references);
  CHECK(config.workspaces[0].lost_found.has_value());
  CHECK(config.version_workspace.lost_found.has_value());
  for (std::string_view key : {"storage.url", "check.workspaces", "storage.prefix.",
                               "check.history", "check.references", ".lostnfound"}) {
    CAPTURE(key);
    CHECK(uncommented.find(key) != std::string::npos);
  }
}

}  // namespace
}  // namespace checker
