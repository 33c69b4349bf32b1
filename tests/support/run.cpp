#include "tests/support/run.h"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/support/temp_dir.h"

namespace checker::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  if (from.empty()) return text;
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace

RunResult Run(const std::string& command) {
  TempDir dir;
  std::string full = "(" + command + ") </dev/null >" + dir.File("out") + " 2>" + dir.File("err");
  int status = std::system(full.c_str());
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = Slurp(dir.File("out"));
  result.err = Slurp(dir.File("err"));
  return result;
}

std::string CheckerBin() { return std::string("'") + CHECKER_BIN + "'"; }
std::string MkfixtureBin() { return std::string("'") + MKFIXTURE_BIN + "'"; }
std::string SourcePath(const std::string& relative) {
  return std::string(CHECKER_SOURCE_DIR) + "/" + relative;
}

std::string Normalize(std::string text, const std::string& temp_dir) {
  text = ReplaceAll(std::move(text), temp_dir, "<tmp>");
  text = std::regex_replace(text, std::regex(R"(in [0-9]+\.[0-9]{3} s)"), "in <elapsed> s");
  text = std::regex_replace(text, std::regex(R"("elapsed_ms":[0-9]+)"), R"("elapsed_ms":0)");
  return text;
}

}  // namespace checker::testing
