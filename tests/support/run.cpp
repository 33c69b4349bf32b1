#include "tests/support/run.h"

#include <sys/wait.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
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

namespace {

// Replaces each "<before><digits>.<3 digits><after>" by before+fixed+after.
std::string MaskSeconds(const std::string& text) {
  static const std::string kBefore = "in ";
  std::string out;
  size_t at = 0;
  while (true) {
    size_t found = text.find(kBefore, at);
    if (found == std::string::npos) break;
    size_t digits = found + kBefore.size();
    size_t end = digits;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
    bool seconds = end > digits && end + 6 <= text.size() && text[end] == '.' &&
                   std::isdigit(static_cast<unsigned char>(text[end + 1])) &&
                   std::isdigit(static_cast<unsigned char>(text[end + 2])) &&
                   std::isdigit(static_cast<unsigned char>(text[end + 3])) &&
                   text.compare(end + 4, 2, " s") == 0;
    out += text.substr(at, digits - at);
    if (seconds) {
      out += "<elapsed>";
      at = end + 4;
    } else {
      at = digits;
    }
  }
  return out + text.substr(at);
}

// Replaces the digits after each "key": by 0.
std::string MaskNumberField(const std::string& text, const std::string& key) {
  const std::string field = "\"" + key + "\":";
  std::string out;
  size_t at = 0;
  while (true) {
    size_t found = text.find(field, at);
    if (found == std::string::npos) break;
    size_t end = found + field.size();
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
    out += text.substr(at, found - at) + field + "0";
    at = end;
  }
  return out + text.substr(at);
}

}  // namespace

std::string Normalize(std::string text, const std::string& temp_dir) {
  text = ReplaceAll(std::move(text), temp_dir, "<tmp>");
  return MaskNumberField(MaskSeconds(text), "elapsed_ms");
}

}  // namespace checker::testing
