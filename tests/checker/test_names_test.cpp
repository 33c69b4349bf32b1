// ctest runs each doctest case by name (doctest_discover_tests) and splits
// a name at ';': a case whose name has one runs no test at all and still
// "passes". This keeps every name in tests/ free of it.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "tests/support/files.h"
#include "tests/support/run.h"

namespace checker {
namespace {

TEST_CASE("no test case name has a semicolon, which would hide it from ctest") {
  int cases = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(testing::SourcePath("tests"))) {
    if (entry.path().extension() != ".cpp") continue;
    const std::string text = testing::ReadFile(entry.path().string());
    for (size_t at = text.find("TEST_CASE(\""); at != std::string::npos;
         at = text.find("TEST_CASE(\"", at + 1)) {
      const size_t begin = at + 11;
      const std::string name = text.substr(begin, text.find('"', begin) - begin);
      ++cases;
      CHECK_MESSAGE(name.find(';') == std::string::npos, entry.path().string() << ": " << name);
    }
  }
  CHECK(cases > 100);
}

}  // namespace
}  // namespace checker
